from django.core.management.base import BaseCommand

from campaigns.delivery.housekeeping import letters_sweep, site_url
from campaigns.delivery.sending import CLAIM_LEASE


class Command(BaseCommand):
    help = (
        "Send the one reminder each unconfirmed submission gets, with a new link (the old one "
        "stops working), and queue again letters a worker claimed more than "
        f"{CLAIM_LEASE.seconds // 60} minutes ago and never finished (a worker still sending "
        "keeps its letter), and ready letters that no "
        "live task will send (none queued, or its worker silent past LETTERS_TASK_LEASE_SECONDS: "
        "killed). Safe to run from cron at "
        "any interval, and twice at once: no submission is reminded twice, no letter queued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; do nothing."
        )

    def handle(self, *, dry_run, verbosity, **options):
        # Each reminder commits on its own, so one failed mail does not undo the others.
        sweep = letters_sweep(dry_run=dry_run)
        if verbosity > 1:
            self._each(sweep, dry_run)
        if verbosity:
            self._summary(sweep, dry_run)
        if sweep.reminder_failed:  # at any verbosity, so cron mails it
            failed = _plural(len(sweep.reminder_failed), "reminder")
            self.stderr.write(f"Could not send {failed}: the next sweep tries again.")

    def _each(self, sweep, dry_run):
        """One line per submission or letter, by reference (its first letter's)."""
        remind, requeue = (
            ("Would remind", "Would queue again") if dry_run else ("Reminded", "Queued again")
        )
        for label, references in [
            (remind, sweep.reminded),
            ("Reminder failed, to try again", sweep.reminder_failed),
            (requeue, sweep.requeued),
        ]:
            for reference in references:
                self.stdout.write(f"  {label}: {reference}")

    def _summary(self, sweep, dry_run):
        reminders = _plural(len(sweep.reminded), "reminder")
        requeued = _plural(len(sweep.requeued), "abandoned letter")
        if dry_run:
            self.stdout.write(
                f"Dry run (nothing changed): would send {reminders} (links to {site_url()}) "
                f"and queue again {requeued}."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Sent {reminders}; queued again {requeued}."))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
