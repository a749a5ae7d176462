from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns.booklets.privacy import address_retention, booklets_anonymise
from campaigns.delivery.confirmation import CONFIRM_WITHIN
from campaigns.delivery.housekeeping import letters_purge
from campaigns.letters.supporters import letters_anonymise, retention


class Command(BaseCommand):
    help = (
        f"Delete letters never confirmed within {CONFIRM_WITHIN.days} days, with the "
        "supporter's name, email and address; anonymise letters finished longer ago than "
        "LETTERS_RETENTION_DAYS (sent, sent by the supporter themselves, or failed), keeping "
        "their reference and the counts. Letters waiting, held or sending are not touched. "
        "Booklet orders posted or cancelled longer ago than BOOKLET_ADDRESS_DAYS lose the "
        "supporter's name, address and email the same way. "
        "Safe to run from cron at any interval: a second run finds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted and anonymised; change nothing.",
        )

    def handle(self, *, dry_run, verbosity, **options):
        with transaction.atomic():
            deleted = letters_purge(dry_run=dry_run)
            anonymised = letters_anonymise(dry_run=dry_run)
            booklets = booklets_anonymise(dry_run=dry_run)
        if not verbosity:
            return
        days = f"older than {CONFIRM_WITHIN.days} days"
        self._report(f"{_letters(deleted, 'unconfirmed')} {days}", "delete", dry_run)
        if anonymised or verbosity > 1:  # quiet when there was nothing to anonymise
            days = f"older than {retention().days} days"
            self._report(f"{_letters(anonymised, 'finished')} {days}", "anonymise", dry_run)
        if booklets or verbosity > 1:
            days = f"posted or cancelled over {address_retention().days} days ago"
            self._report(f"{_orders(booklets)} {days}", "anonymise", dry_run)

    def _report(self, what: str, verb: str, dry_run: bool):
        if dry_run:
            self.stdout.write(f"Dry run (nothing {verb}d): would {verb} {what}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{verb.capitalize()}d {what}."))


def _letters(count: int, kind: str) -> str:
    return f"{count} {kind} letter{'' if count == 1 else 's'}"


def _orders(count: int) -> str:
    return f"{count} booklet order{'' if count == 1 else 's'}"
