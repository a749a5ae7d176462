import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from campaigns.importing.loader import load
from campaigns.importing.sources import InvalidSource, read_dataset

SHOWN_PROBLEMS = 25


class Command(BaseCommand):
    help = (
        "Load parliaments' areas, members and the postcode tables from the open data in "
        "seeds/representatives/. Idempotent: run it again after updating the files. A member "
        "no longer listed has their term ended, never deleted. Every row is checked first; "
        "if any is bad, nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=settings.BASE_DIR / "seeds" / "representatives",
            help="The folder holding the CSV files (default: seeds/representatives).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report changes; save nothing."
        )

    def handle(self, *, source, dry_run, verbosity, **options):
        started = time.perf_counter()
        try:
            data = read_dataset(source)
        except InvalidSource as error:
            raise CommandError(self._problems(error.problems)) from error
        with transaction.atomic():
            report = load(data, today=timezone.localdate())
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            self._report(report, verbosity, dry_run, time.perf_counter() - started)

    @staticmethod
    def _problems(problems):
        lines = [str(problem) for problem in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"... and {len(problems) - SHOWN_PROBLEMS} more.")
        return "Nothing was imported. Fix these rows first:\n" + "\n".join(lines)

    def _report(self, report, verbosity, dry_run, seconds):
        prefix = "Dry run (nothing saved): " if dry_run else ""
        for label, counts in [
            ("areas", report.areas),
            ("representatives", report.members),
            ("postcode shares", report.shares),
        ]:
            self.stdout.write(
                f"{prefix}{label}: {counts.created} new, {counts.updated} updated, "
                f"{counts.unchanged} unchanged, {counts.removed} removed"
            )
        self.stdout.write(f"{prefix}terms ended (seat changed hands): {len(report.ended)}")
        if report.kept_out:
            self.stdout.write(f"{prefix}left out of office by staff: {len(report.kept_out)}")
        if verbosity > 1:
            for line in report.ended:
                self.stdout.write(f"  ended: {line}")
            for line in report.kept_out:
                self.stdout.write(f"  still out of office: {line}")
        self.stdout.write(self.style.SUCCESS(f"{prefix}done in {seconds:.1f} s."))
