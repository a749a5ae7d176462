"""How long recording a withheld name takes to redact the history, over many versions.

    .venv/bin/python bench/redaction.py                       # 500 stories x 10 versions
    .venv/bin/python bench/redaction.py --stories 100 --versions 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_redaction .venv/bin/python \\
        bench/redaction.py                                    # an existing, empty database

Migrates a scratch SQLite file (deleted on leaving) unless DATABASE_URL is set, makes stories
with a body of about 3,000 characters, saves each as a number of versions (each version's body
differs a little, as edits do), a trail step and an admin log entry per story; one story in a
hundred names the person. Then times history_redact for that name, twice: the first run
rewrites the rows that hold it, the second finds nothing left. Prints the rows read per second.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BODY = "<p>" + "The church met in a house, and they prayed for their neighbours. " * 45 + "</p>"
NAME = "Gwak Min-cheol"  # made up


def _setup(database_url: str | None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.test")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _fill(stories: int, versions: int) -> None:
    import reversion
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from core.models import Transition
    from core.publishing import Status
    from stories.models import Story

    user = get_user_model().objects.create_user("bench", is_staff=True)
    story_type = ContentType.objects.get_for_model(Story)
    with transaction.atomic():
        for number in range(stories):
            who = NAME if number % 100 == 0 else "a pastor"
            story = Story.objects.create(
                title=f"Story {number}", slug=f"story-{number}", standfirst=f"We met {who}.",
                body=BODY, status=Status.DRAFT,
            )  # fmt: skip
            for edit in range(versions):
                story.body = f"{BODY}<p>Edit {edit}: we met {who}.</p>"
                with reversion.create_revision():
                    reversion.set_comment(f"Edit {edit} with {who}")
                    story.save()
            Transition.objects.create(
                item=story, name="submit", from_status=Status.DRAFT, to_status=Status.REVIEW,
                by=user, comment=f"Checked with {who}",
            )  # fmt: skip
            LogEntry.objects.create(
                user=user, content_type=story_type, object_id=str(story.pk),
                object_repr=story.title, action_flag=CHANGE, change_message=f"Spoke to {who}",
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args()
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    _setup(f"sqlite:///{scratch}" if scratch else None)
    try:
        _fill(args.stories, args.versions)
        from reversion.models import Version

        from safeguarding.redaction import history_redact

        total = Version.objects.count()
        for run in ("first", "again"):
            started = time.perf_counter()
            counts = history_redact(names=[NAME])
            took = time.perf_counter() - started
            print(f"{run}: {total} versions read in {took:.2f} s ({total / took:.0f}/s); "
                  f"rewritten: {counts}")  # fmt: skip
    finally:
        if scratch:
            scratch.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
