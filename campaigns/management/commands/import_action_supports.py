from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.importing.supports import SupportsFileError, supports_import, supports_read
from campaigns.models import ActionSupport, ParliamentaryAction
from core.cache_version import content_version_bump


class Command(BaseCommand):
    help = (
        "Record which members supported a parliamentary action (signed the EDM, backed the "
        "motion, spoke in the debate) from a CSV: the parliament's own export with a member id "
        "and a date column, or name, constituency and date. Every row is checked first; if any "
        "is bad, nothing changes. Idempotent: loading the same file again changes nothing. "
        "Members not in our list are reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", type=int, help="The parliamentary action's id.")
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument(
            "--kind",
            default=ActionSupport.Kind.SIGNED,
            choices=[choice.value for choice in ActionSupport.Kind],
            help="How the members supported it, unless the file has a kind column.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report changes; save nothing."
        )

    def handle(self, *, action, file, kind, dry_run, verbosity, **options):
        try:
            target = ParliamentaryAction.objects.get(pk=action)
        except ParliamentaryAction.DoesNotExist:
            raise CommandError(f"No parliamentary action has the id {action}.") from None
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot be read as UTF-8 text ({error}).") from error
        try:
            rows = supports_read(text, str(file), kind=kind)
        except SupportsFileError as error:
            raise CommandError(f"Nothing was imported. Fix these rows first:\n{error}") from error
        report = supports_import(target, rows, dry_run=dry_run)
        if not dry_run and (report.created or report.updated):
            content_version_bump()  # the campaign's page picks the thank-you letter by these
        if verbosity:
            prefix = "Dry run (nothing saved): " if dry_run else ""
            self.stdout.write(
                f"{prefix}{target}: {report.created} new, {report.updated} updated, "
                f"{report.unchanged} unchanged, {len(report.unmatched)} not matched to a member"
            )
            for line in report.unmatched:
                self.stdout.write(f"  not matched: {line}")
