from django.core.management.base import BaseCommand, CommandError

from advocacy.withheld import names_under_another_key, published_faults


class Command(BaseCommand):
    help = (
        "Scan every published (or scheduled) story, spokesperson, prayer request and campaign, "
        "and every country, for withheld names: run it after recording a name on an existing "
        "person. Lists each page and the fields at fault, never the name, and exits with "
        "status 1 if there are any. Read-only."
    )

    def handle(self, *args, verbosity, **options):
        if stale := names_under_another_key():
            raise CommandError(
                f"{stale} withheld name(s) were hashed with another WITHHELD_NAMES_KEY and can "
                "no longer be found: restore the key, or record those names again."
            )
        faults = published_faults()
        for fault in faults:
            self.stdout.write(str(fault))
        if faults:
            raise CommandError(
                f"{len(faults)} published item(s) contain a withheld name. Edit them or take "
                "them down."
            )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("No published page contains a withheld name."))
