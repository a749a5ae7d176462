import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.letters.supporters import supporter_data, supporter_held


class Command(BaseCommand):
    help = (
        "Everything we hold on an email address, as JSON: its letters with the name, address, "
        "text, consent wording and time. Jo+x@example.org and jo@example.org are one address. "
        "Written to standard output, or to --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The supporter's email address.")
        parser.add_argument("--output", type=Path, help="Write the JSON to this file instead.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how much is held; export nothing."
        )

    def handle(self, *, email, output, dry_run, verbosity, **options):
        if "@" not in email:
            raise CommandError(f"{email!r} is not an email address.")
        with transaction.atomic():  # one consistent reading of every kind of record
            data = supporter_data(email)
        held = supporter_held(data)
        who = data["email"]
        if not held:
            if verbosity:
                self.stdout.write(f"Nothing held for {who}: no file written.")
            return
        records = f"{held} record{'' if held == 1 else 's'}"
        if dry_run:
            if verbosity:
                self.stdout.write(f"Dry run (nothing exported): would export {records} for {who}.")
            return
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Wrote {records} held for {who} to {output}."))
