"""Supporters' data: what we hold on an email address, erasing it, and anonymising letters
once they are finished and past keeping.

Anonymising keeps the letter's row (its reference, campaign, member, constituency, delivery,
dates) so every count stays as it was; it removes the supporter's name, email, address,
postcode, the letter's text, the consent and any reply the supporter pasted (their answer to
"did your member reply?" stays, as a count). Booklet orders hold supporters' details too:
they join SUPPORTER_DATA with their own export and erase (campaigns.booklets.privacy).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.booklets.privacy import booklets_erase, booklets_export
from campaigns.delivery.limits import normalise_email
from campaigns.delivery.states import InvalidTransition, letter_transition
from campaigns.models import Letter

State = Letter.State

DEFAULT_RETENTION_DAYS = 28
ANONYMISED_NAME = "Anonymised"
# Finished letters, each anonymised a retention period after the moment named here.
FINISHED = {
    State.SENT: "sent_at",
    State.OWN: "created_at",  # the supporter sent it themselves, there and then
    State.FAILED: "last_tried",  # staff may retry it until then
}
# Erasing on request takes every letter but one a worker is sending at that moment.
ERASABLE = set(State) - {State.SENDING, State.ANONYMISED}


def retention() -> timedelta:
    """How long finished letters keep their text and the supporter's details."""
    return timedelta(days=getattr(settings, "LETTERS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def anonymised_values() -> dict:
    """The changes that anonymise a letter; its email key stays unique to its row."""
    return {
        "supporter_name": ANONYMISED_NAME,
        "supporter_email": "",
        "supporter_address": "",
        "supporter_postcode": "",
        "email_key": lambda letter: f"anonymised-{letter.pk}",
        "subject": "",
        "body": "",
        "marketing_consent": False,
        "consent_wording": "",
        "consented_at": None,
        "confirmation_hash": "",
        "last_error": "",  # a mail server's refusal can quote an address
        # The member's reply as pasted goes with the letter's text; the answer itself (reply)
        # stays: it says nothing of the supporter and is counted per campaign and member.
        "reply_text": "",
        "reply_text_consented_at": None,
        "anonymised_at": timezone.now(),
    }


def letter_anonymise(letter_id: int, *, expect: set[str]) -> bool:
    """Anonymise one letter if it is still in one of ``expect``; False if it moved meanwhile."""
    try:
        letter_transition(letter_id, State.ANONYMISED, expect=expect, **anonymised_values())
    except (InvalidTransition, Letter.DoesNotExist):
        return False
    return True


# Retention


def retention_expired(now=None) -> QuerySet[Letter]:
    """Finished letters past keeping: sent, written by the supporter, or failed, long ago."""
    cutoff = (now or timezone.now()) - retention()
    expired = Q()
    for state, moment in FINISHED.items():
        expired |= Q(state=state, **{f"{moment}__lt": cutoff})
    return Letter.objects.alias(last_tried=Coalesce("claimed_at", "created_at")).filter(expired)


def letters_anonymise(*, dry_run: bool = False) -> int:
    """Anonymise every finished letter past keeping; the count. One transaction."""
    with transaction.atomic():
        if dry_run:
            return retention_expired().count()
        letters = retention_expired().order_by("id").values_list("pk", "state")
        return sum(letter_anonymise(pk, expect={state}) for pk, state in list(letters))


# One supporter's data


@dataclass(frozen=True)
class Holder:
    """One kind of record that holds supporters' details, found by normalised email."""

    name: str
    export: Callable[[str], list[dict]]
    erase: Callable[[str, bool], int]


def supporter_letters(email: str) -> QuerySet[Letter]:
    """Every letter from this mailbox (Jo+x@ and jo@ are one), not yet anonymised."""
    return Letter.objects.filter(email_key=normalise_email(email))


LETTER_FIELDS = [
    "reference",
    "created_at",
    "delivery",
    "state",
    "recipient_name",
    "recipient_title",
    "constituency",
    "subject",
    "body",
    "supporter_name",
    "supporter_email",
    "supporter_address",
    "supporter_postcode",
    "marketing_consent",
    "consent_wording",
    "consented_at",
    "confirmed_at",
    "sent_at",
    "reply_asked_at",
    "reply",
    "reply_answered_at",
    "reply_text",
    "reply_text_consented_at",
]


def letters_export(email: str) -> list[dict]:
    letters = supporter_letters(email).select_related("campaign").order_by("created_at", "id")
    return [
        {
            "campaign": letter.campaign.title,
            **{name: _json_value(getattr(letter, name)) for name in LETTER_FIELDS},
        }
        for letter in letters
    ]


def letters_erase(email: str, dry_run: bool = False) -> int:
    erasable = supporter_letters(email).filter(state__in=ERASABLE)
    if dry_run:
        return erasable.count()
    ids = list(erasable.order_by("id").values_list("pk", flat=True))
    return sum(letter_anonymise(pk, expect=ERASABLE) for pk in ids)


SUPPORTER_DATA = [
    Holder("letters", letters_export, letters_erase),
    Holder("booklet_orders", booklets_export, booklets_erase),
]


def supporter_data(email: str) -> dict:
    """Everything we hold on the address, ready for JSON."""
    held = {holder.name: holder.export(email) for holder in SUPPORTER_DATA}
    return {"email": normalise_email(email), "exported_at": timezone.now().isoformat(), **held}


def supporter_held(data: dict) -> int:
    """How many records a supporter_data() export holds."""
    return sum(len(data[holder.name]) for holder in SUPPORTER_DATA)


def supporter_erase(email: str, *, dry_run: bool = False) -> int:
    """Anonymise every record of the address, keeping counts; how many. One transaction.

    Erasing again finds nothing. A letter being sent at this moment is left (see
    supporter_sending): run it again once that letter is sent.
    """
    with transaction.atomic():
        return sum(holder.erase(email, dry_run) for holder in SUPPORTER_DATA)


def supporter_sending(email: str) -> int:
    """Letters of the address a worker is sending now, which erasing has to leave."""
    return supporter_letters(email).filter(state=State.SENDING).count()


def _json_value(value):
    """A field's value as JSON holds it: dates and times as ISO 8601 text."""
    return value.isoformat() if hasattr(value, "isoformat") else value
