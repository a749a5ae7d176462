"""What staff do to letters we send: release, retry, and count them by stage."""

from django.db.models import Count, Q

from campaigns.delivery.sending import PAUSED_HOLD_REASON, letter_queue_again
from campaigns.delivery.states import InvalidTransition
from campaigns.models import Letter

State = Letter.State


def letters_retry(letters) -> list[Letter]:
    """Queue each letter to be sent again; any that moved meanwhile are left as they are."""
    requeued = []
    for letter in letters:
        try:
            requeued.append(letter_queue_again(letter.pk))
        except InvalidTransition:
            continue
    return requeued


def paused_letters_release(campaign_ids) -> list[Letter]:
    """Queue the letters a pause held, for campaigns no longer paused.

    Letters held for another reason (over a limit) stay held for staff to review.
    """
    held = Letter.objects.filter(
        campaign__in=campaign_ids,
        campaign__sending_paused=False,
        state=State.HELD,
        hold_reason=PAUSED_HOLD_REASON,
    )
    return letters_retry(held)


def letter_summary(letters) -> dict[str, int]:
    """How many letters are in each stage and went each way: one query."""

    def count(**lookups):
        return Count("pk", filter=Q(**lookups))

    return letters.aggregate(
        created=Count("pk"),
        confirmed=count(confirmed_at__isnull=False),
        pending=count(state=State.PENDING),
        queued=count(state__in=[State.READY, State.SENDING]),
        sent=count(sent_at__isnull=False),  # still sent once anonymised after retention
        failed=count(state=State.FAILED),
        held=count(state=State.HELD),
        anonymised=count(state=State.ANONYMISED),
        held_by_pause=count(state=State.HELD, hold_reason=PAUSED_HOLD_REASON),
        **{delivery.value: count(delivery=delivery) for delivery in Letter.Delivery},
    )
