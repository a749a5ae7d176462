from django.db import models
from django.db.models import Q

from campaigns.models.letters import Letter
from safeguarding.guard import not_public


@not_public("What the mail service said about a letter: for staff only.")
class DeliveryEvent(models.Model):
    """A bounce, rejection or complaint the mail service reported for a letter we sent.

    Recorded once per event (``service`` and ``event_key``), however often its webhook is
    posted, so a repeated post changes nothing more.
    """

    class Kind(models.TextChoices):
        BOUNCED = "bounced", "Bounced: the office's mail server refused it"
        REJECTED = "rejected", "Rejected: the mail service would not send it"
        COMPLAINED = "complained", "Complaint: the office marked it as spam"

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="delivery_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    service = models.CharField(max_length=40, help_text="The mail service that reported it.")
    event_key = models.CharField(
        max_length=128, help_text="The service's id for the event (or a digest of it)."
    )
    recipient = models.EmailField(blank=True, help_text="The address that refused the letter.")
    reason = models.CharField(
        max_length=20, blank=True, help_text="The service's reason, normalised by Anymail."
    )
    description = models.TextField(blank=True, help_text="What the mail server answered.")
    occurred_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "event_key"], name="delivery_event_recorded_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.letter_id})"

    @staticmethod
    def against_address() -> Q:
        """The events that say the address itself is bad: a bounce, or a rejection for an
        earlier bounce or an invalid address (not a complaint, not the service's policy)."""
        return Q(kind=DeliveryEvent.Kind.BOUNCED) | Q(
            kind=DeliveryEvent.Kind.REJECTED, reason__in=["bounced", "invalid", "timed_out"]
        )
