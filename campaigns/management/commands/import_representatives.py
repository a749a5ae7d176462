import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.importing.loader import ImportReport, load
from campaigns.importing.ni_assembly import read_ni_assembly
from campaigns.importing.sources import read_dataset
from campaigns.models import Area, PostcodeShare, Representative
from core.cache_version import content_version_bump
from core.seeds.reading import SeedError
from core.seeds.saving import CREATED, REMOVED, UNCHANGED, UPDATED, all_or_nothing

TABLES = [("areas", Area), ("representatives", Representative), ("postcode shares", PostcodeShare)]


class Command(BaseCommand):
    help = (
        "Load parliaments' areas, members and the postcode tables from the open data in "
        "seeds/representatives/ (the NI Assembly's boundaries in force today, and its MLAs if "
        "ni_assembly_members.csv is there). Idempotent: run it again after updating the files. "
        "A member no longer listed has their term ended, never deleted. Every row is checked "
        "first; if any is bad, nothing is imported."
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
        today = timezone.localdate()
        try:
            data = read_dataset(source)
            read_ni_assembly(source, data, today=today)
        except SeedError as error:
            raise CommandError(f"Nothing was imported. Fix these rows first:\n{error}") from error
        with all_or_nothing(ImportReport(dry_run=dry_run)) as report:
            load(data, report, today=today)
        if report.changed_anything:
            content_version_bump()  # campaign pages name members: none cached before is served
        if verbosity:
            self._report(report, verbosity, time.perf_counter() - started)

    def _report(self, report, verbosity, seconds):
        prefix = "Dry run (nothing saved): " if report.dry_run else ""
        for label, model in TABLES:
            counts = report.counts.get(model, Counter())
            self.stdout.write(
                f"{prefix}{label}: {counts[CREATED]} new, {counts[UPDATED]} updated, "
                f"{counts[UNCHANGED]} unchanged, {counts[REMOVED]} removed"
            )
        self.stdout.write(f"{prefix}terms ended (seat changed hands): {len(report.ended)}")
        for name in report.dissolved:
            self.stdout.write(
                f"{prefix}{name}: no member is left in office, so it is marked "
                "dissolved for an election until its new members are imported"
            )
        for name in report.reconvened:
            self.stdout.write(
                f"{prefix}{name}: the members elected after its dissolution are "
                "in, so it is no longer marked dissolved"
            )
        if report.kept_out:
            self.stdout.write(f"{prefix}left out of office by staff: {len(report.kept_out)}")
        if verbosity > 1:
            for line in report.ended:
                self.stdout.write(f"  ended: {line}")
            for line in report.kept_out:
                self.stdout.write(f"  still out of office: {line}")
        self.stdout.write(self.style.SUCCESS(f"{prefix}done in {seconds:.1f} s."))
