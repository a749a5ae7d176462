from django.core.management.base import BaseCommand, CommandError

from campaigns.delivery.limits import normalise_email
from campaigns.letters.supporters import supporter_erase, supporter_sending


class Command(BaseCommand):
    help = (
        "Erase what we hold on an email address: every letter from it is anonymised (name, "
        "email, address, postcode, text and consent removed), its reference and the campaigns' "
        "counts kept. Jo+x@example.org and jo@example.org are one address. Running it again "
        "finds nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The supporter's email address.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )

    def handle(self, *, email, dry_run, verbosity, **options):
        if "@" not in email:
            raise CommandError(f"{email!r} is not an email address.")
        who = normalise_email(email)
        count = supporter_erase(email, dry_run=dry_run)  # one transaction
        if sending := supporter_sending(email):
            self.stderr.write(
                f"{sending} letter(s) from {who} are being sent at this moment and were left "
                "as they are: run this again in a few minutes."
            )
        if not verbosity:
            return
        records = f"{count} letter{'' if count == 1 else 's'}"
        if not count and not sending:
            self.stdout.write(f"Nothing held for {who}: nothing to erase.")
        elif dry_run:
            self.stdout.write(f"Dry run (nothing changed): would anonymise {records} from {who}.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Anonymised {records} from {who}; counts and references kept.")
            )
