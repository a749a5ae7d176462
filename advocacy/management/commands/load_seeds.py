from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advocacy.seeding import SEEDS_DIR, load_seeds
from core.seeds.reading import SeedError
from core.seeds.saving import CREATED, UNCHANGED, UPDATED

WOULD = {CREATED: "would create", UPDATED: "would update", UNCHANGED: "unchanged"}


class Command(BaseCommand):
    help = (
        "Load the demo content and the World Watch List from seeds/. Idempotent: objects are "
        "matched by slug (countries by ISO code, list entries by year and rank) and saved only "
        "when they differ. Everything is validated and loaded in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=SEEDS_DIR,
            help=f"The seeds folder to load (default: {SEEDS_DIR}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, then roll everything back.",
        )

    def handle(self, *args, path, dry_run, verbosity, **options):
        try:
            report = load_seeds(path, dry_run=dry_run)
        except SeedError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        if verbosity >= 2:
            self.list_changes(report)
        if verbosity >= 1:
            self.summarise(report, path)

    def list_changes(self, report):
        for action, model, key in report.changes:
            done = WOULD[action] if report.dry_run else action
            self.stdout.write(f"  {done} {model._meta.verbose_name} {key}")

    def summarise(self, report, path):
        for model, count in report.by_model().items():
            name = model._meta.verbose_name_plural
            self.stdout.write(f"{name[:1].upper()}{name[1:]}: {self.numbers(count)}")
        total = {action: report.count(action) for action in (CREATED, UPDATED, UNCHANGED)}
        if report.dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"Dry run of {path}, nothing saved. It would be: {self.numbers(total)}."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {path}: {self.numbers(total)}."))

    @staticmethod
    def numbers(count):
        return ", ".join(f"{count[action]} {action}" for action in (CREATED, UPDATED, UNCHANGED))
