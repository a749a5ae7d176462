"""Bounces, rejections and complaints from the mail service, through django-anymail's tracking
webhooks: record each event once, fail the letter, tell its writer once, and flag a member's
address that has bounced letters twice.

The webhook view (anymail's, with its own signature and basic-auth checks) sends each event
to anymail's ``tracking`` signal; CampaignsConfig.ready() connects ``tracking_received``.
Everything for one event is one transaction, the writer's notice included: if any of it
fails, the webhook answers 500 and the service posts the event again later.
"""

import hashlib
import logging
from dataclasses import dataclass

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import transaction
from django.utils import timezone

from campaigns.delivery.mail import (
    LETTER_METADATA,
    reference_from_message_id,
    undelivered_message,
)
from campaigns.delivery.states import InvalidTransition, letter_transition
from campaigns.models import DeliveryEvent, Letter, Representative

logger = logging.getLogger(__name__)
Kind = DeliveryEvent.Kind
State = Letter.State

KINDS = {
    EventType.BOUNCED: Kind.BOUNCED,
    EventType.REJECTED: Kind.REJECTED,
    EventType.COMPLAINED: Kind.COMPLAINED,
}
# Letters refused at one address before staff are asked to check it, and no more are sent.
BOUNCES_TO_FLAG = 2
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class Outcome:
    """What one event did, for logs and tests."""

    recorded: bool
    failed: bool = False
    told: bool = False
    flagged: bool = False


def tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """anymail's ``tracking`` signal: act on bounces, rejections and complaints only."""
    kind = KINDS.get(event.event_type)
    if kind is None:
        return  # delivered, deferred, opened...: nothing to do (we track no opens)
    letter_id = letter_for_event(event)
    if letter_id is None:
        logger.warning(
            "%s %s event for a message that is not one of our letters (%s)",
            esp_name,
            kind,
            event.message_id,
        )
        return
    outcome = delivery_event_record(letter_id, kind=kind, event=event, service=esp_name)
    logger.info("Letter %s: %s from %s, %s", letter_id, kind, esp_name, outcome)


def letter_for_event(event: AnymailTrackingEvent) -> int | None:
    """The letter an event is about: by the reference in the metadata we sent with it, or
    else in its Message-ID (services that keep ours report it)."""
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    reference = str(metadata.get(LETTER_METADATA) or "")
    reference = reference or reference_from_message_id(event.message_id or "")
    if not reference:
        return None
    return Letter.objects.filter(reference=reference).values_list("pk", flat=True).first()


def event_key(event: AnymailTrackingEvent, kind: str) -> str:
    """The service's id for the event; a digest of what it said where it gives none."""
    if event.event_id:
        return str(event.event_id)[:128]
    said = [kind, event.message_id, event.recipient, event.timestamp, event.mta_response]
    return "digest:" + hashlib.sha256(repr(said).encode()).hexdigest()


def delivery_event_record(
    letter_id: int, *, kind: str, event: AnymailTrackingEvent, service: str
) -> Outcome:
    """Record the event once; the first time, act on it. A repeat changes nothing."""
    with transaction.atomic():
        recorded, created = DeliveryEvent.objects.get_or_create(
            service=service,
            event_key=event_key(event, kind),
            defaults={
                "letter_id": letter_id,
                "kind": kind,
                "recipient": (event.recipient or "")[:254],
                "reason": (event.reject_reason or "")[:20],
                "description": _description(event),
                "occurred_at": event.timestamp,
            },
        )
        if not created:
            return Outcome(recorded=False)
        failed = kind != Kind.COMPLAINED and _letter_fail(letter_id, recorded)
        told = _supporter_tell(letter_id, kind)
        flagged = _address_flag(recorded)
    return Outcome(recorded=True, failed=failed, told=told, flagged=flagged)


def _description(event: AnymailTrackingEvent) -> str:
    parts = [event.description or "", event.mta_response or ""]
    return " ".join(part for part in parts if part)[:DESCRIPTION_MAX]


def _letter_fail(letter_id: int, recorded: DeliveryEvent) -> bool:
    """A sent letter that bounced or was rejected has failed; any other stays as it is."""
    error = f"{recorded.get_kind_display()}. {recorded.description}".strip()[:DESCRIPTION_MAX]
    try:
        letter_transition(letter_id, State.FAILED, expect={State.SENT}, last_error=error)
    except InvalidTransition:
        return False
    return True


def _supporter_tell(letter_id: int, why: str) -> bool:
    """Tell the writer, the first time anything is reported about their letter, and only
    while we still have their address (not once it is anonymised)."""
    now = timezone.now()
    first = (
        Letter.objects.filter(pk=letter_id, undelivered_told_at__isnull=True)
        .exclude(state=State.ANONYMISED)
        .update(undelivered_told_at=now)
    )
    if not first:
        return False
    letter = Letter.objects.select_related("parliament").get(pk=letter_id)
    undelivered_message(letter, why).send()
    return True


def _address_flag(recorded: DeliveryEvent) -> bool:
    """Flag the member's address once BOUNCES_TO_FLAG letters to it have been refused there.

    Only an event at the address the member has now counts (outside production letters go
    to the test inbox, whose bounces say nothing of the member). The member's row is locked
    first, so two bounces at once see each other.
    """
    letter = Letter.objects.only("representative_id").get(pk=recorded.letter_id)
    if not letter.representative_id or not recorded.recipient:
        return False
    member = (
        Representative.objects.select_for_update()
        .filter(pk=letter.representative_id, email__iexact=recorded.recipient)
        .first()
    )
    if member is None or member.email_bounced_at is not None:
        return False
    refused = (
        DeliveryEvent.objects.filter(DeliveryEvent.against_address())
        .filter(letter__representative=member, recipient__iexact=member.email)
        .values("letter")
        .distinct()
        .count()
    )
    if refused < BOUNCES_TO_FLAG:
        return False
    member.email_bounced_at = timezone.now()
    member.save(update_fields=["email_bounced_at", "updated_at"])
    logger.warning("Member %s: %s letters bounced at their address; flagged", member.pk, refused)
    return True
