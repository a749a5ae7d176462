"""``load_seeds``: the demo content of every app from seeds/, in one transaction.

The stories come first (countries, spokespeople, prayer requests, stories), then the campaigns
that link them. Each app's loader builds on the toolkit in core.seeds.
"""

from pathlib import Path

from django.conf import settings

from campaigns.seeding import load_campaigns
from core.cache_version import content_version_bump
from core.seeds.saving import SeedReport, all_or_nothing
from images.admin import renditions_prepare
from stories.seeding import load_stories_content

SEEDS_DIR = settings.BASE_DIR / "seeds"


def load_seeds(root: Path = SEEDS_DIR, *, dry_run: bool = False) -> SeedReport:
    """Load every seed file in one transaction; roll it all back on a bad file or a dry run."""
    with all_or_nothing(SeedReport(dry_run=dry_run)) as report:
        loaded = load_stories_content(Path(root), report)
        load_campaigns(Path(root) / "content" / "campaigns.json", loaded, report)
    if not dry_run:
        # Once committed, as the admin does on save: no reader's request waits for them, and
        # on S3 a page never makes them.
        for story in loaded.stories.values():
            renditions_prepare(story.hero_image, story.hero_width, story.hero_height)
    if report.changed_anything:
        content_version_bump()  # committed: no page cached before it is served again
    return report
