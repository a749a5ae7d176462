from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.letters.packs import (
    FORMATS,
    PARLIAMENT_ALIASES,
    RENDERERS,
    PackError,
    PackLetter,
    find_campaign,
    find_parliament,
    pack_letters,
)

PROGRESS_EVERY = 50


class Command(BaseCommand):
    help = (
        "Write a letter pack: one ready letter per current member of a parliament, in a file "
        "named by their constituency (and, where an area elects several members, their name), "
        "with the supporter's parts left as blanks such as [Your full name] to fill in by hand. "
        "Files of the same name already in the folder are overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="The campaign's slug, as in its address.")
        parser.add_argument(
            "--parliament",
            required=True,
            help="The parliament's slug or one of: " + ", ".join(PARLIAMENT_ALIASES) + ".",
        )
        parser.add_argument(
            "--out",
            type=Path,
            required=True,
            help="The folder to write to; created if missing. Same-named files are replaced.",
        )
        parser.add_argument(
            "--format", dest="fmt", choices=FORMATS, default="txt", help="Default: txt."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be written; write nothing."
        )

    def handle(self, *, campaign, parliament, out, fmt, dry_run, verbosity, **options):
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a folder: choose another --out.")
        try:
            # One transaction: every letter comes from the same state of the data.
            with transaction.atomic():
                found = find_campaign(campaign)
                chosen = find_parliament(parliament)
                letters = list(pack_letters(found, chosen, fmt=fmt))
        except PackError as error:
            raise CommandError(str(error)) from error
        if not dry_run:
            out.mkdir(parents=True, exist_ok=True)
        for number, letter in enumerate(letters, start=1):
            if not dry_run:
                _write(out / letter.filename, RENDERERS[fmt](letter))
            self._progress(letter, number, len(letters), verbosity)
        if verbosity:
            self._summary(len(letters), chosen.name, out, dry_run)

    def _progress(self, letter: PackLetter, number: int, total: int, verbosity: int):
        if verbosity > 1:
            variant = "thank you" if letter.is_thank_you else "ask"
            self.stdout.write(f"  {letter.filename} ({variant})")
        if verbosity and number % PROGRESS_EVERY == 0:
            self.stdout.write(f"{number} of {total} letters")

    def _summary(self, count: int, parliament: str, out: Path, dry_run: bool):
        if dry_run:
            message = f"Dry run (nothing written): would write {count} letters for {parliament}"
        else:
            message = f"Wrote {count} letters for {parliament}"
        self.stdout.write(self.style.SUCCESS(f"{message} to {out}"))


def _write(path: Path, text: str) -> None:
    """Write then rename, so a reader never finds a half-written letter."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
