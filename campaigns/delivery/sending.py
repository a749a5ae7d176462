"""Confirming and queueing letters, and the worker's job: claim a ready letter, send it once,
and record what happened."""

import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial

from anymail.exceptions import AnymailAPIError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from campaigns.delivery.confirmation import expired
from campaigns.delivery.mail import (
    copy_message,
    failure_message,
    member_message,
    undelivered_message,
)
from campaigns.delivery.pacing import letters_slot, waits
from campaigns.delivery.queue import QueueUnavailable, queue_in_database
from campaigns.delivery.states import InvalidTransition, letter_transition
from campaigns.models import Letter, Representative

logger = logging.getLogger(__name__)
State = Letter.State

MAX_ATTEMPTS = 5
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
# A letter claimed longer ago than this by a worker that has not finished it is taken to be
# lost with its worker, and queued again (see sweep_letters).
CLAIM_LEASE = timedelta(minutes=15)
PAUSED_HOLD_REASON = "Sending paused for the campaign."
BOUNCED_ADDRESS_ERROR = "Not sent: letters to this address have bounced (see the member)."


# The task's import path, campaigns.delivery.sending.deliver_letter, is stored in every queued
# task (a row in django_tasks_db, a job in Redis): keep this name and module, or letters
# already queued are lost.
@task()
def deliver_letter(letter_id: int) -> str:
    """The queued task: send the letter (letter_send)."""
    return letter_send(letter_id)


def letter_send(letter_id: int) -> str:
    """Send one letter; returns what happened: sent, retry, failed, held, skipped, or
    waiting (its slot is still to come: queued again for then)."""
    if letter_wait_for_slot(letter_id):
        return "waiting"
    try:
        letter = letter_transition(
            letter_id,
            State.SENDING,
            expect={State.READY},
            claimed_at=timezone.now(),
            attempts=lambda row: row.attempts + 1,
        )
    except (InvalidTransition, Letter.DoesNotExist):
        return "skipped"  # sent, held or purged meanwhile, or a second copy of the job
    # The claim is committed, so a worker killed from here on leaves the letter "sending".
    # Its row stays locked until the outcome is recorded: the sweep takes a claim only from a
    # worker whose lock is gone with it, never from one that is merely slow (stale_claims).
    with transaction.atomic():
        if not claim_kept(letter):
            return "skipped"  # slow past the lease, swept meanwhile: another worker has it
        outcome, letter = _send_claimed(letter)
    if outcome == "sent":
        tell_supporter(copy_message(letter))
    return outcome


def letter_wait_for_slot(letter_id: int) -> bool:
    """Queue a ready letter's task again for its slot, if that is still to come; whether it was.

    A task may run before the letter's hour: a backend that ran it early, a copy queued by
    the sweep, or a letter given a later slot after its task was queued. One query when the
    hour has come, which is nearly always.
    """
    early = Letter.objects.filter(pk=letter_id, state=State.READY, send_after__gt=timezone.now())
    if not early.exists():
        return False
    with transaction.atomic():
        letter = early.select_for_update().first()
        if letter is None:
            return False
        letters_enqueue([letter])
    logger.info("Letter %s waits for its slot at %s", letter.reference, letter.send_after)
    return True


def claim_kept(letter: Letter) -> bool:
    """Lock the letter, and say whether it is still in this worker's claim (its attempt)."""
    claimed = Letter.objects.filter(pk=letter.pk, state=State.SENDING, attempts=letter.attempts)
    return claimed.select_for_update().exists()


def _send_claimed(letter: Letter) -> tuple[str, Letter]:
    if letter.campaign.sending_paused:
        letter_transition(letter.pk, State.HELD, hold_reason=PAUSED_HOLD_REASON)
        return "held", letter
    if address_bounced(letter):
        return _address_refused(letter), letter
    try:
        member_message(letter).send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded; none is lost
        return _failed_attempt(letter, error), letter
    letter = letter_transition(letter.pk, State.SENT, sent_at=timezone.now(), last_error="")
    return "sent", letter


def address_bounced(letter: Letter) -> bool:
    """Whether the member's address is flagged for bouncing letters (delivery.bounces)."""
    return Representative.objects.filter(
        pk=letter.representative_id,
        email__iexact=letter.recipient_email,
        email_bounced_at__isnull=False,
    ).exists()


def _address_refused(letter: Letter) -> str:
    """Fail a letter to a bounced address unsent, and tell its writer to post it (unless
    they were told already, before staff retried it): another bounce would only count
    against our sending domain."""
    told_before = letter.undelivered_told_at is not None
    letter = letter_transition(
        letter.pk,
        State.FAILED,
        last_error=BOUNCED_ADDRESS_ERROR,
        undelivered_told_at=letter.undelivered_told_at or timezone.now(),
    )
    if not told_before:
        tell_supporter(undelivered_message(letter, "address"))
    return "failed"


def is_temporary(error: Exception) -> bool:
    """A failure worth trying again: the server was down or said 'try later' (4xx); a mail
    service's API did not answer, was busy (429) or failed (5xx)."""
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        return status is None or status == 429 or status >= 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError))


def _failed_attempt(letter: Letter, error: Exception) -> str:
    detail = f"{type(error).__name__}: {error}"[:1000]
    if is_temporary(error) and letter.attempts < MAX_ATTEMPTS:
        wait = BACKOFF[min(letter.attempts, len(BACKOFF)) - 1]
        with transaction.atomic():
            letter = letter_transition(letter.pk, State.READY, last_error=detail)
            letters_enqueue([letter], run_after=timezone.now() + wait)
        logger.warning("Letter %s: temporary failure, retrying in %s", letter.reference, wait)
        return "retry"
    letter = letter_transition(letter.pk, State.FAILED, last_error=detail)
    logger.error("Letter %s failed: %s", letter.reference, type(error).__name__)
    tell_supporter(failure_message(letter))
    return "failed"


def tell_supporter(message) -> None:
    """Best effort: the letter's state is already recorded, whatever happens to this mail."""
    try:
        message.send()
    except Exception:  # noqa: BLE001
        logger.exception("Could not send a notice to a supporter")


def letter_queue_again(letter_id: int, *, new_slot: bool = True) -> Letter:
    """Queue a held, failed or abandoned (stale sending) letter to be sent again.

    ``new_slot``: a letter whose slot has passed takes the member's next free hour, so that
    staff releasing a paused campaign's letters do not send them all at once; a letter taken
    back from a dead worker keeps its slot (new_slot=False), having waited its turn already.
    """
    with transaction.atomic():
        letter = letter_transition(letter_id, State.READY, hold_reason="", last_error="")
        if new_slot and not waits(letter):
            letters_slot([letter])
        letters_enqueue([letter])
    return letter


def letters_enqueue(
    letters: list[Letter], *, run_after: datetime | None = None, committed: bool = False
) -> None:
    """Queue each ready letter's task, remembering its id on the letter. The task runs at
    ``run_after``, or else at the letter's slot if that is still to come, or else at once.

    A queue in our database takes the tasks inside the caller's transaction, so they commit
    or vanish with the letters. Any other (Redis) gets them once that transaction commits, or
    a worker could find a letter not yet ready; if it is down, the letters stay ready
    without a task, and sweep_letters queues them again. ``committed``: the letters were
    ready before this transaction, so queue them at once, and raise QueueUnavailable if the
    queue refuses them.
    """
    now = timezone.now()
    when = {
        letter.pk: run_after or (letter.send_after if waits(letter, now) else None)
        for letter in letters
    }
    if queue_in_database():
        _enqueue(when)
    elif committed:
        try:
            _enqueue(when)
        except Exception as error:  # noqa: BLE001 - whatever the backend raises when down
            raise QueueUnavailable(f"{type(error).__name__}: {error}") from error
    elif when:
        transaction.on_commit(partial(_enqueue_or_log, when))


def _enqueue(when: dict[int, datetime | None]) -> None:
    """Queue each letter's task, to run at its time (None: at once)."""
    for letter_id, run_after in when.items():
        task = deliver_letter.using(run_after=run_after) if run_after else deliver_letter
        result = task.enqueue(letter_id)
        Letter.objects.filter(pk=letter_id).update(task_id=result.id)


def _enqueue_or_log(when: dict[int, datetime | None]) -> None:
    try:
        _enqueue(when)
    except Exception as error:  # noqa: BLE001 - the letters are saved; only their tasks wait
        logger.error(
            "Letters %s are ready but the task queue refused them (%s: %s): "
            "sweep_letters will queue them once it answers",
            list(when),
            type(error).__name__,
            error,
        )


def stale_claims():
    """Letters claimed longer ago than the lease and not finished: their worker may be dead.

    Lock them with skip_locked to find the dead ones: a live worker holds its letter's row
    lock from the claim to the outcome (letter_send), and a dead one's went with its
    database session.
    """
    cutoff = timezone.now() - CLAIM_LEASE
    return Letter.objects.filter(state=State.SENDING, claimed_at__lt=cutoff)


def letters_confirm(letters: list[Letter]) -> list[Letter]:
    """Confirm the pending, unexpired letters and queue their sending, in one transaction,
    each at its slot: its member's next free hour (delivery.pacing).

    Held letters (over a limit) wait for staff instead, and take a slot when released.
    Confirming again changes nothing.
    """
    confirmed = []
    with transaction.atomic():
        for original in letters:
            if original.state != State.PENDING or expired(original):
                continue
            to = State.HELD if original.hold_reason else State.READY
            try:
                letter = letter_transition(
                    original.pk, to, expect={State.PENDING}, confirmed_at=timezone.now()
                )
            except (InvalidTransition, Letter.DoesNotExist):  # another click, or purged
                continue
            letter.campaign, letter.parliament = original.campaign, original.parliament
            confirmed.append(letter)
        ready = [letter for letter in confirmed if letter.state == State.READY]
        letters_slot(ready)
        letters_enqueue(ready)
    return confirmed
