from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from campaigns.letters.placeholders import PLACEHOLDERS, TemplateSyntaxError, check
from campaigns.models.campaigns import Campaign
from campaigns.models.parliaments import Parliament
from campaigns.models.representatives import Representative
from safeguarding.guard import check_not_withheld, not_public, public_text

PLACEHOLDER_HELP = "Placeholders: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + "."


@public_text(fields=("subject", "body", "prompts"), shown_on="campaign")
class LetterTemplate(models.Model):
    """The letter a campaign offers for one parliament's members, in one variant."""

    class Variant(models.TextChoices):
        ASK = "ask", "The ask (members who have not yet acted)"
        THANK_YOU = "thank_you", "Thank you (members who already support the motion)"
        CANDIDATES = "candidates", "To the candidates (while the parliament is dissolved)"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="templates")
    parliament = models.ForeignKey(
        Parliament,
        on_delete=models.PROTECT,
        related_name="letter_templates",
        help_text="Supporters writing to this parliament's members start from this letter.",
    )
    variant = models.CharField(
        max_length=20,
        choices=Variant.choices,
        default=Variant.ASK,
        help_text="“Thank you” goes to members listed as supporters of the campaign's "
        "motion; everyone else gets “the ask”.",
    )
    subject = models.CharField(
        max_length=200,
        help_text="The email subject or letter heading. " + PLACEHOLDER_HELP,
    )
    body = models.TextField(
        help_text="The letter the supporter starts from and can change. Put "
        "{personal_paragraph} where their own words go. " + PLACEHOLDER_HELP,
    )
    prompts = models.TextField(
        blank=True,
        help_text="Two or three short questions, one per line, to help the supporter write "
        "their own paragraph, e.g. “Why does this matter to you?”.",
    )

    class Meta:
        ordering = ["campaign", "parliament__position", "variant"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "parliament", "variant"],
                name="letter_template_one_per_variant",
            ),
        ]

    def __str__(self):
        return f"{self.campaign}: {self.parliament} ({self.get_variant_display()})"

    @property
    def prompt_list(self):
        return [line.strip() for line in self.prompts.splitlines() if line.strip()]

    def clean(self):
        errors = {}
        for name in ("subject", "body"):
            try:
                check(getattr(self, name))
            except TemplateSyntaxError as error:
                errors[name] = str(error)
        if errors:
            raise ValidationError(errors)
        if self.campaign_id:  # its text is on the campaign's pages, even edited on its own
            check_not_withheld(self)


class LetterQuerySet(models.QuerySet):
    def counted(self):
        """The letters in their campaign's count: the one definition, for the recount
        (``Letter.counts`` says the same of one letter in memory, for the increment).

        A letter counts once it is on its way: written by the supporter to send themselves,
        or ours to send and ready at least once (confirmed and not held, or released by
        staff). One tried once (``attempts``) has been ready. An anonymised one of ours
        counts if it was confirmed without a hold left on it.
        """
        return self.filter(
            ~Q(delivery=Letter.Delivery.SEND_FOR_ME)
            | Q(state__in=COUNTED_STATES)
            | Q(attempts__gt=0)
            | Q(state=Letter.State.ANONYMISED, confirmed_at__isnull=False, hold_reason="")
        )


@not_public("A supporter's letter goes to their representative and is never shown on the site.")
class Letter(models.Model):
    """One supporter's letter to one member, as written: the recipient is a snapshot."""

    class Delivery(models.TextChoices):
        EMAIL_APP = "email_app", "Their own email app"
        POST = "post", "Print and post"
        SEND_FOR_ME = "send_for_me", "Sent for them by us"

    class State(models.TextChoices):
        """Where a letter is. Those we send move only through campaigns.delivery.states."""

        OWN = "own", "Sent by the supporter"  # their email app or the post: not ours to send
        PENDING = "pending_confirmation", "Waiting for the supporter to confirm"
        READY = "ready", "Confirmed, waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        HELD = "held", "Held for review"
        # Finished and past keeping, or erased on request: no supporter's details remain.
        ANONYMISED = "anonymised", "Anonymised"

    class Reply(models.TextChoices):
        YES = "yes", "Yes, they replied"
        NO = "no", "No reply"
        NOT_YET = "not_yet", "Not yet"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="letters")
    parliament = models.ForeignKey(Parliament, on_delete=models.PROTECT, related_name="letters")
    representative = models.ForeignKey(
        Representative, null=True, on_delete=models.SET_NULL, related_name="letters"
    )
    recipient_name = models.CharField(max_length=150)
    recipient_title = models.CharField(max_length=250)
    recipient_email = models.EmailField(blank=True)
    constituency = models.CharField(max_length=150)
    area_code = models.CharField(max_length=20)
    variant = models.CharField(max_length=20, choices=LetterTemplate.Variant.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    personal_percent = models.PositiveSmallIntegerField(
        help_text="The share of the letter in the supporter's own words."
    )
    supporter_name = models.CharField(max_length=100)
    supporter_email = models.EmailField()
    supporter_address = models.TextField()
    supporter_postcode = models.CharField(max_length=8)
    marketing_consent = models.BooleanField(default=False)
    consent_wording = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    state = models.CharField(max_length=30, choices=State.choices, default=State.OWN, db_index=True)
    email_key = models.CharField(
        max_length=254, db_index=True, help_text="The supporter's address, normalised."
    )
    confirmation_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The start of the hour, in the member's office hours, this letter takes of their rate
    # (campaigns.delivery.pacing): no worker sends it earlier.
    send_after = models.DateTimeField(
        "send slot",
        null=True,
        blank=True,
        help_text="The hour it goes in, kept to the member's rate and office hours.",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Whichever backend holds the queue (a table or Redis) answers for this id whether the
    # task is still waiting or running: the sweep queues a ready letter without one again.
    task_id = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The task queued last to send it."
    )
    hold_reason = models.CharField(max_length=200, blank=True)
    # Once set, the supporter has been told this letter did not get through: never again.
    undelivered_told_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the supporter was told the office's mail did not take the letter.",
    )
    # A short campaign code from the link the supporter came by (?source= or utm_source):
    # counted per campaign, never a personal identifier.
    source = models.CharField(
        max_length=40, blank=True, help_text="The source code of the link the supporter came by."
    )
    # The supporter's answer to "Did your member reply?": not personal, so it outlives the
    # letter's anonymisation and is counted per campaign and member.
    reply = models.CharField(
        max_length=10,
        choices=Reply.choices,
        blank=True,
        help_text="What the supporter answered when asked whether the member replied.",
    )
    reply_answered_at = models.DateTimeField(null=True, blank=True)
    # Set once, by the run that sends the question (campaigns.replies): never asked twice.
    reply_asked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the supporter was asked whether the member replied."
    )
    reply_asked_again_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a supporter who answered “not yet” was asked the one more time.",
    )
    # The member's reply as the supporter pasted it: kept only with their consent, for staff,
    # never shown on the site, removed with the rest of the letter's text on anonymising.
    reply_text = models.TextField(
        blank=True, help_text="The reply the supporter pasted and agreed we may keep."
    )
    reply_text_consented_at = models.DateTimeField(
        null=True, blank=True, help_text="When the supporter agreed we may keep the reply's text."
    )
    reference = models.CharField(max_length=20, unique=True)
    idempotency_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the supporter's details and the letter's text were removed.",
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Pacing counts a member's letters in each hour from now on (delivery.pacing).
        indexes = [models.Index(fields=["representative", "send_after"], name="letter_member_slot")]
        constraints = [
            # One submitted form makes one letter per member, however often it is posted.
            models.UniqueConstraint(
                fields=["campaign", "idempotency_key", "representative"],
                name="letter_once_per_submission",
            ),
            # "You have already written": one letter we send per person, member and campaign,
            # even when two forms arrive at once. A failed one may be written again.
            models.UniqueConstraint(
                fields=["campaign", "email_key", "representative"],
                condition=Q(delivery="send_for_me") & ~Q(state="failed"),
                name="letter_sent_for_you_once_per_member",
            ),
            models.CheckConstraint(
                condition=Q(personal_percent__lte=100), name="letter_personal_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(reply_text="") | Q(reply_text_consented_at__isnull=False),
                name="letter_reply_text_kept_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(marketing_consent=False) | Q(consented_at__isnull=False),
                name="letter_consent_has_a_time",
            ),
            # Letters the supporter sent themselves are "own" until anonymised.
            models.CheckConstraint(
                condition=Q(state__in=["own", "anonymised"]) | Q(delivery="send_for_me"),
                name="letter_only_ours_to_send_have_a_sending_state",
            ),
            models.CheckConstraint(
                condition=Q(state="anonymised", anonymised_at__isnull=False)
                | (~Q(state="anonymised") & Q(anonymised_at__isnull=True)),
                name="letter_anonymised_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(state="own", _negated=True) | ~Q(delivery="send_for_me"),
                name="letter_ours_to_send_have_a_sending_state",
            ),
        ]

    def __str__(self):
        return f"{self.reference} to {self.recipient_name}"

    @property
    def counts(self) -> bool:
        """Whether the letter is in its campaign's count: ``LetterQuerySet.counted`` in Python,
        for letters just made, so counting them needs no query (a test keeps the two equal)."""
        return (
            self.delivery != Letter.Delivery.SEND_FOR_ME
            or self.state in COUNTED_STATES
            or self.attempts > 0
            or (
                self.state == Letter.State.ANONYMISED
                and self.confirmed_at is not None
                and self.hold_reason == ""
            )
        )

    @property
    def mailto_url(self):
        """Opens the letter, addressed and ready, in the supporter's own email app."""
        subject, body = (
            quote(text.replace("\n", "\r\n"), safe="") for text in (self.subject, self.body)
        )
        return f"mailto:{self.recipient_email}?subject={subject}&body={body}"

    @property
    def recipient_address(self):
        """The member's postal address: their name and title, then their parliament's."""
        parliament = self.parliament
        return f"{self.recipient_name} {parliament.member_suffix}\n{parliament.postal_address}"

    @property
    def supporter_address_block(self):
        parts = (self.supporter_name, self.supporter_address, self.supporter_postcode)
        return "\n".join(part for part in parts if part)  # an Eircode is optional


# Letters of ours that count whatever else is true of them: on their way, or tried and failed.
COUNTED_STATES = (
    Letter.State.READY,
    Letter.State.SENDING,
    Letter.State.SENT,
    Letter.State.FAILED,
)
