from django.core.management.base import BaseCommand

from campaigns.delivery.confirmation import CONFIRM_WITHIN
from campaigns.delivery.housekeeping import letters_purge


class Command(BaseCommand):
    help = (
        "Delete letters never confirmed within "
        f"{CONFIRM_WITHIN.days} days, with the supporter's name, email and address. Nothing "
        "else is touched. Safe to run from cron at any interval: a second run finds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *, dry_run, verbosity, **options):
        # One transaction inside letters_purge. Anonymising sent letters (a later issue)
        # joins it here.
        count = letters_purge(dry_run=dry_run)
        if not verbosity:
            return
        letters = f"{count} unconfirmed letter{'' if count == 1 else 's'}"
        days = f"older than {CONFIRM_WITHIN.days} days"
        if dry_run:
            self.stdout.write(f"Dry run (nothing deleted): would delete {letters} {days}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {letters} {days}."))
