"""Letter states, changed only here: one row-locked transition at a time."""

from django.db import transaction
from django.db.models import F

from campaigns.models import Campaign, Letter

State = Letter.State

# Any letter may be anonymised (campaigns.letters.supporters) but one a worker is sending: its
# worker is about to record the outcome. Once anonymised, a letter never moves again. A sent
# letter fails when the office's mail server bounces it afterwards (delivery.bounces).
ALLOWED = {
    State.PENDING: {State.READY, State.HELD, State.ANONYMISED},
    State.READY: {State.SENDING, State.ANONYMISED},
    State.SENDING: {State.SENT, State.FAILED, State.READY, State.HELD},
    State.FAILED: {State.READY, State.ANONYMISED},
    State.HELD: {State.READY, State.ANONYMISED},
    State.SENT: {State.FAILED, State.ANONYMISED},
    State.OWN: {State.ANONYMISED},
    State.ANONYMISED: set(),
}


class InvalidTransition(Exception):
    """The letter is not in a state that may move to the one asked for."""


def letter_transition(letter_id: int, to: str, *, expect=None, **changes) -> Letter:
    """Move the letter to ``to`` under a row lock, with ``changes`` to its fields.

    ``expect``: the states it must be in now (default: any that may move to ``to``).
    Raises InvalidTransition otherwise, leaving the letter as it was. Call it inside a
    transaction to make more work (an enqueue, a count) part of the same commit.
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        allowed = ALLOWED[letter.state]
        if to not in allowed or (expect is not None and letter.state not in expect):
            raise InvalidTransition(f"{letter.reference}: {letter.state} cannot become {to}.")
        was_counted = to == State.READY and _counted(letter)
        letter.state = to
        for name, value in changes.items():  # a callable computes from the locked row
            setattr(letter, name, value(letter) if callable(value) else value)
        letter.save(update_fields=["state", *changes])
        if to == State.READY and not was_counted and _counted(letter):
            Campaign.objects.filter(pk=letter.campaign_id).update(
                letter_count=F("letter_count") + 1
            )
    return letter


def _counted(letter: Letter) -> bool:
    """Whether the letter, as stored now, is in the campaign's count (Letter.objects.counted).

    Only a move to ready can bring a letter into the count: its writer confirmed it, or
    staff released it. Every later return to ready (a retry, a release after a pause held
    it mid-send) finds it counted already: it has been tried.
    """
    return Letter.objects.counted().filter(pk=letter.pk).exists()
