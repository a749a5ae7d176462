"""``load_seeds``: the demo content of every app from seeds/, in one transaction.

The stories come first (countries, spokespeople, prayer requests, stories), then the campaigns
that link them. Each app's loader builds on the toolkit in core.seeds.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from campaigns.seeding import load_campaigns
from core.seeds.saving import SeedReport, delete_written_files
from stories.seeding import load_stories_content

SEEDS_DIR = settings.BASE_DIR / "seeds"


def load_seeds(root: Path = SEEDS_DIR, *, dry_run: bool = False) -> SeedReport:
    """Load every seed file in one transaction; roll it all back on a bad file or a dry run."""
    report = SeedReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            loaded = load_stories_content(Path(root), report)
            content = Path(root) / "content"
            load_campaigns(content / "campaigns.json", loaded, report)
            transaction.set_rollback(dry_run)
    except BaseException:
        delete_written_files(report)
        raise
    if dry_run:
        delete_written_files(report)
    return report
