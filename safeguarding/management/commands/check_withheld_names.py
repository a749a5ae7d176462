from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeguarding.guard import (
    SENDS_BACK_TO,
    names_before_canonical_forms,
    names_under_another_key,
    published_faults,
    withheld_take_down,
)


class Command(BaseCommand):
    help = (
        "Scan every published (or scheduled) item of every public model (stories, "
        "spokespeople, prayer requests, campaigns, countries, and the rows shown on their "
        "pages) for withheld names, in any spelling. Lists each item and the fields at fault, "
        "never the name, and exits with status 1 if there are any. Read-only unless "
        "--take-down is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--take-down",
            action="store_true",
            help=f"Send every item at fault back to {SENDS_BACK_TO.label.lower()}, at once.",
        )

    def handle(self, *args, verbosity, take_down, **options):
        if stale := names_under_another_key():
            raise CommandError(
                f"{stale} withheld name(s) were hashed with another WITHHELD_NAMES_KEY and can "
                "no longer be found: restore the key, or record those names again."
            )
        if (legacy := names_before_canonical_forms()) and verbosity >= 1:
            self.stderr.write(
                f"{legacy} withheld name(s) were recorded before look-alike spellings were "
                "matched: they are found only as spelled. Record them again to match every "
                "spelling."
            )
        with transaction.atomic():
            faults = withheld_take_down() if take_down else published_faults()
        for fault in faults:
            self.stdout.write(str(fault))
        if faults and take_down:
            self.stdout.write(f"Sent {len(faults)} item(s) back to {SENDS_BACK_TO.label.lower()}.")
        elif faults:
            raise CommandError(
                f"{len(faults)} published item(s) contain a withheld name. Edit them or take "
                "them down (--take-down)."
            )
        elif verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("No published page contains a withheld name."))
