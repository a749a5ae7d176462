from django.core.management.base import BaseCommand

from campaigns.results.weekly import weekly_summaries_send


class Command(BaseCommand):
    help = (
        "Email each campaign manager who asked for it the weekly summary of their campaign: "
        "letters this week and in all, replies, new supporters of its actions, and a link to "
        "its results page. One per manager, campaign and week: safe to run from cron at any "
        "interval, and twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report who would be sent one; send nothing."
        )

    def handle(self, *, dry_run, verbosity, **options):
        run = weekly_summaries_send(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        if verbosity > 1:
            for label in run.sent:
                self.stdout.write(f"  {verb}: {label}")
            for label in run.skipped:
                self.stdout.write(
                    f"  Not sent (sent already this week, or no longer a manager): {label}"
                )
        if verbosity:
            self.stdout.write(
                f"{verb} {len(run.sent)} weekly summar{'y' if len(run.sent) == 1 else 'ies'}; "
                f"{len(run.skipped)} not sent."
            )
        for label in run.failed:  # at any verbosity, so cron mails it
            self.stderr.write(
                f"Could not send the weekly summary to {label}: the next run tries again."
            )
