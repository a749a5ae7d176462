"""Campaign managers who asked for a weekly summary of a campaign's results by email."""

from django.conf import settings
from django.db import models

from campaigns.models.campaigns import Campaign
from safeguarding.guard import not_public


@not_public("Staff's own choice of email; never shown on the site.")
class ResultsSubscription(models.Model):
    """One manager's weekly summary of one campaign: opted into, and sent once a week.

    Per campaign rather than per user: a manager follows the campaigns they run, and a closed
    campaign's mail stops by unsubscribing from it alone.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="results_subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The Monday of the last week a summary went for: the one send a week is claimed by
    # moving it on under the row's lock (campaigns.results.weekly).
    last_week = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"], name="results_subscription_once_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} follows {self.campaign}"
