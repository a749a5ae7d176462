"""Looking after letters over time, from cron: reminders, abandoned claims, and deleting
unconfirmed letters with the supporter's details (anonymising is in campaigns.letters.supporters).
Every function here is safe to run at any interval and twice at once: each change is
conditional on the state that called for it."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from campaigns.delivery.confirmation import CONFIRM_WITHIN, REMIND_AFTER, new_token
from campaigns.delivery.mail import confirmation_message, failure_message
from campaigns.delivery.queue import QueueUnavailable, task_live
from campaigns.delivery.sending import (
    MAX_ATTEMPTS,
    letter_queue_again,
    letters_enqueue,
    stale_claims,
    tell_supporter,
)
from campaigns.delivery.states import letter_transition
from campaigns.models import Letter

logger = logging.getLogger(__name__)
State = Letter.State

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The site's address for links in mail sent without a request."""
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/")


# Deleting


def unconfirmed_expired(now: datetime | None = None) -> QuerySet[Letter]:
    """Letters never confirmed whose link has expired: nothing may ever send them."""
    cutoff = (now or timezone.now()) - CONFIRM_WITHIN
    return Letter.objects.filter(state=State.PENDING, created_at__lt=cutoff)


def letters_purge(*, dry_run: bool = False) -> int:
    """Delete expired unconfirmed letters, and the supporter's details with them; the count."""
    with transaction.atomic():
        if dry_run:
            return unconfirmed_expired().count()
        # Lock first, so a confirmation in flight either finishes before or finds nothing.
        ids = list(unconfirmed_expired().select_for_update().values_list("pk", flat=True))
        _, deleted = unconfirmed_expired().filter(pk__in=ids).delete()
    return deleted.get(Letter._meta.label, 0)


# Anonymising finished letters past keeping is campaigns.letters.supporters.letters_anonymise,
# beside the rest of supporters' data; purge_letters calls it in the same transaction as this.


# Sweeping


@dataclass
class Sweep:
    """What a sweep did, by the reference of each submission's first letter."""

    reminded: list[str] = field(default_factory=list)
    reminder_failed: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)


def due_reminder(now: datetime) -> QuerySet[Letter]:
    """Pending letters old enough for their one reminder, never reminded, not yet expired."""
    return Letter.objects.filter(
        state=State.PENDING,
        reminded_at__isnull=True,
        created_at__lt=now - REMIND_AFTER,
        created_at__gte=now - CONFIRM_WITHIN,
    )


def letters_sweep(*, dry_run: bool = False) -> Sweep:
    """Remind each submission due a reminder, then requeue letters their worker abandoned.

    Each reminder is its own transaction, so a mail that fails undoes only its submission,
    which the next sweep tries again.
    """
    sweep = Sweep()
    now = timezone.now()
    submissions = (
        due_reminder(now)
        .order_by("campaign_id", "idempotency_key")
        .values_list("campaign_id", "idempotency_key")
        .distinct()
    )
    for campaign_id, key in list(submissions):
        if dry_run:
            sweep.reminded.append(_first_reference(due_reminder(now), campaign_id, key))
            continue
        try:
            reference = submission_remind(campaign_id=campaign_id, key=key, now=now)
        except Exception:  # noqa: BLE001 - rolled back: the old link still works; next sweep
            logger.exception("Could not send a reminder for submission %s", key)
            sweep.reminder_failed.append(_first_reference(due_reminder(now), campaign_id, key))
            continue
        if reference:
            sweep.reminded.append(reference)
    for letter in stale_claims().order_by("id"):
        if dry_run or stale_claim_recover(letter.pk):
            sweep.requeued.append(letter.reference)
    try:
        for letter in unqueued_ready(now):
            if dry_run or ready_requeue(letter.pk, now=now):
                sweep.requeued.append(letter.reference)
    except QueueUnavailable as error:
        logger.warning("Ready letters not checked: the task queue did not answer (%s)", error)
    return sweep


def task_lease() -> timedelta:
    """How long a worker may run a letter's task before it is taken to have died with it."""
    return timedelta(seconds=settings.LETTERS_TASK_LEASE_SECONDS)


def has_live_task(letter: Letter, now: datetime) -> bool:
    """Whether a task will still send the letter: queued (perhaps for later), or running
    within the lease. The queue's backend answers, whichever it is (delivery.queue)."""
    return task_live(letter.task_id, started_since=now - task_lease())


def stale_ready(now: datetime) -> QuerySet[Letter]:
    """Letters ready for longer than the lease: each may have lost its task."""
    ready = Letter.objects.filter(state=State.READY).alias(
        ready_since=Coalesce("claimed_at", "confirmed_at", "created_at")
    )
    return ready.filter(ready_since__lt=now - task_lease())


def unqueued_ready(now: datetime) -> Iterator[Letter]:
    """Ready letters, for longer than the lease, that no live task will send, oldest first.

    A worker killed after the queue handed it the task but before it claimed the letter
    leaves the task running (or failed, on RQ) and the letter ready with no one to send it;
    so does a queue that was down when the letter was confirmed.
    """
    for letter in stale_ready(now).only("pk", "reference", "task_id").order_by("id"):
        if not has_live_task(letter, now):
            yield letter


def ready_requeue(letter_id: int, *, now: datetime) -> bool:
    """Queue a ready letter again if it still has no live task; False if it moved meanwhile.

    Sending stays at most once whatever is queued: a task claims the letter only from ready
    (delivery.states), so a second task for it finds it claimed and skips it.
    """
    with transaction.atomic():
        locked = stale_ready(now).filter(pk=letter_id).select_for_update().first()
        if locked is None or has_live_task(locked, now):
            return False
        letters_enqueue([locked], committed=True)
    return True


def submission_remind(*, campaign_id: int, key: str, now: datetime) -> str | None:
    """Send a submission its one reminder, with a new link; the old link stops working.

    Returns the first letter's reference, or None when there was nothing to remind (another
    sweep got there first, or the supporter confirmed meanwhile). The mail goes inside the
    transaction: if it fails, the new link is forgotten and the old one still works.
    """
    token, token_hash = new_token()
    with transaction.atomic():
        due = due_reminder(now).filter(campaign_id=campaign_id, idempotency_key=key)
        ids = list(due.select_for_update().order_by("id").values_list("pk", flat=True))
        # Conditional on reminded_at IS NULL: of two sweeps at once, only one updates rows.
        if not ids or not due.filter(pk__in=ids).update(
            confirmation_hash=token_hash, reminded_at=timezone.now()
        ):
            return None
        letters = list(
            Letter.objects.filter(pk__in=ids)
            .select_related("campaign", "parliament")
            .order_by("id")
        )
        url = site_url() + reverse("campaigns:confirm", args=[token])
        confirmation_message(letters, url, reminder=True).send()
    return letters[0].reference


def stale_claim_recover(letter_id: int) -> bool:
    """Queue a letter again if it is still in a stale claim; False if it moved meanwhile.

    A letter whose workers have died with it MAX_ATTEMPTS times fails instead, and its
    writer is told, rather than going round for ever.
    """
    with transaction.atomic():
        # Locked and checked again: a worker may have finished it since the list was read.
        # skip_locked: a letter still locked is being sent by a live worker, however slow.
        letter = stale_claims().filter(pk=letter_id).select_for_update(skip_locked=True).first()
        if letter is None:
            return False
        if letter.attempts < MAX_ATTEMPTS:  # its slot came already: it goes at once
            letter_queue_again(letter_id, new_slot=False)
            return True
        reason = f"The worker stopped while sending it, {letter.attempts} times."
        failed = letter_transition(letter_id, Letter.State.FAILED, last_error=reason)
    tell_supporter(failure_message(failed))
    return False


def _first_reference(letters: QuerySet[Letter], campaign_id: int, key: str) -> str:
    return (
        letters.filter(campaign_id=campaign_id, idempotency_key=key)
        .order_by("id")
        .values_list("reference", flat=True)
        .first()
        or key
    )
