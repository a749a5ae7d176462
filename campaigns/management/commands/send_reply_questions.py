from django.conf import settings
from django.core.management.base import BaseCommand

from campaigns.delivery.housekeeping import site_url
from campaigns.replies.services import questions_send


class Command(BaseCommand):
    help = (
        "Ask each supporter, REPLIES_ASK_AFTER_DAYS after we sent their letter, whether the "
        "member replied: one email per supporter and campaign, listing every member they wrote "
        "to. Those who answered “not yet” are asked once more REPLIES_ASK_AGAIN_DAYS later. "
        "Letters anonymised, or written to send themselves, are never asked about. Safe to run "
        "from cron at any interval, and twice at once: no one is asked the same thing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report who would be asked; send nothing."
        )

    def handle(self, *, dry_run, verbosity, **options):
        # Each email commits on its own, so one refused by the mail server undoes no other.
        done = questions_send(dry_run=dry_run)
        if verbosity > 1:
            first, again = ("Would ask", "Would ask again") if dry_run else ("Asked", "Asked again")
            for label, references in [
                (first, done.asked),
                (again, done.asked_again),
                ("Failed, to try again", done.failed),
            ]:
                for reference in references:
                    self.stdout.write(f"  {label}: {reference}")
        if verbosity:
            asked = _emails(len(done.asked))
            again = _emails(len(done.asked_again))
            if dry_run:
                self.stdout.write(
                    f"Dry run (nothing sent): would send {asked} asking whether members "
                    f"replied (after {settings.REPLIES_ASK_AFTER_DAYS} days) and {again} "
                    f"asking again (links to {site_url()})."
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Sent {asked} asking whether members replied; {again} again."
                    )
                )
        if done.failed:  # at any verbosity, so cron mails it
            self.stderr.write(
                f"Could not send {_emails(len(done.failed))}: the next run tries again."
            )


def _emails(count: int) -> str:
    return f"{count} email{'' if count == 1 else 's'}"
