"""Asking supporters whether their member replied, and recording the answer.

Only letters we sent for a supporter are asked about: their address was confirmed and we know
when the letter went. Letters written in the supporter's own email app or for the post are
not: nobody confirmed those addresses (mail to them could go to a stranger), and we cannot
know whether or when the letter was sent.

One email per supporter and campaign, listing every member written to: a voter in Wales who
wrote to their six members gets one message, not six. The question goes out once; a "not yet"
is asked once more. Each email is sent by the run that marks its letters asked, under row
locks, so two runs at once (or a run after a crash) never ask twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from campaigns.letters.supporters import retention
from campaigns.models import Letter
from campaigns.replies.mail import question_message

logger = logging.getLogger(__name__)
State = Letter.State
Reply = Letter.Reply

# A question with less time than this before the letter is anonymised is not sent: its links
# would close before most people read their mail.
LEAST_TIME_TO_ANSWER = timedelta(days=2)
FIRST, AGAIN = "first", "again"


class ReplyClosed(Exception):
    """The letter has been anonymised, or is not one we ask about: no answer is taken."""


def ask_after() -> timedelta:
    return timedelta(days=settings.REPLIES_ASK_AFTER_DAYS)


def ask_again_after() -> timedelta:
    return timedelta(days=settings.REPLIES_ASK_AGAIN_DAYS)


def _open(now: datetime) -> Q:
    """Letters we sent that still have their supporter's details for long enough to answer."""
    return Q(state=State.SENT, sent_at__gt=now - retention() + LEAST_TIME_TO_ANSWER)


def askable(now: datetime) -> QuerySet[Letter]:
    """Sent letters never asked about: included in their supporter's next question."""
    return Letter.objects.filter(_open(now), reply_asked_at__isnull=True, reply="")


def first_due(now: datetime) -> QuerySet[Letter]:
    """Letters whose question is due: sent long enough ago, never asked."""
    return askable(now).filter(sent_at__lte=now - ask_after())


def again_due(now: datetime) -> QuerySet[Letter]:
    """Letters answered "not yet" long enough ago, and not yet asked again."""
    return Letter.objects.filter(
        _open(now),
        reply=Reply.NOT_YET,
        reply_asked_at__isnull=False,
        reply_asked_again_at__isnull=True,
        reply_answered_at__lte=now - ask_again_after(),
    )


@dataclass
class Asked:
    """What a run did, by the reference of each email's first letter."""

    asked: list[str] = field(default_factory=list)
    asked_again: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def questions_send(*, dry_run: bool = False, now: datetime | None = None) -> Asked:
    """Send every question due, one email per supporter and campaign; what was sent.

    Each email is its own transaction: one the mail server refuses is rolled back alone, and
    the next run tries it again.
    """
    now = now or timezone.now()
    done = Asked()
    for kind, due, sent in [(FIRST, first_due, done.asked), (AGAIN, again_due, done.asked_again)]:
        for campaign_id, email_key in _groups(due(now)):
            if dry_run:
                sent.append(_first_reference(due(now), campaign_id, email_key))
                continue
            try:
                reference = question_send(kind, campaign_id=campaign_id, key=email_key, now=now)
            except Exception:  # noqa: BLE001 - rolled back, so the next run asks again
                reference = _first_reference(due(now), campaign_id, email_key)
                # By reference, not address: the log outlives the supporter's details.
                logger.exception("Could not ask whether members replied (letter %s)", reference)
                done.failed.append(reference)
                continue
            if reference:
                sent.append(reference)
    return done


def question_send(kind: str, *, campaign_id: int, key: str, now: datetime) -> str | None:
    """Ask one supporter about their letters in one campaign; the first letter's reference,
    or None if another run asked them first.

    The letters are locked, marked asked only where still unasked, and the mail goes inside
    the transaction: if it fails, they are unmarked and the next run tries again.
    """
    mine = Q(campaign_id=campaign_id, email_key=key)
    with transaction.atomic():
        if kind == FIRST:
            # Every letter of theirs not yet asked about, not just the due ones, so that
            # letters sent a little apart still come in one email; but only while one is due.
            letters = list(askable(now).filter(mine).select_for_update().order_by("id"))
            if not any(letter.sent_at <= now - ask_after() for letter in letters):
                return None
            marked = askable(now).filter(pk__in=[letter.pk for letter in letters])
            changed = marked.update(reply_asked_at=now)
        else:
            letters = list(again_due(now).filter(mine).select_for_update().order_by("id"))
            marked = again_due(now).filter(pk__in=[letter.pk for letter in letters])
            changed = marked.update(reply_asked_again_at=now)
        if not changed:
            return None
        question_message(_with_parliament(letters), again=kind == AGAIN).send()
    return letters[0].reference


def reply_record(letter_id: int, *, answer: str, text: str = "", keep_text: bool = False):
    """Record the supporter's answer about one letter, replacing any earlier one.

    The reply's text is kept only when they agreed, and only with a "yes". Raises ReplyClosed
    for a letter anonymised (or not ours to ask about) meanwhile.
    """
    now = timezone.now()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None or letter.state != State.SENT:
            raise ReplyClosed(f"Letter {letter_id} takes no answer now.")
        keep = bool(text.strip()) and keep_text and answer == Reply.YES
        letter.reply = answer
        letter.reply_answered_at = now
        letter.reply_text = text.strip() if keep else ""
        letter.reply_text_consented_at = now if keep else None
        letter.save(
            update_fields=["reply", "reply_answered_at", "reply_text", "reply_text_consented_at"]
        )
    return letter


def asked_with(letter: Letter) -> list[Letter]:
    """The supporter's other letters in the campaign that they were asked about, which the
    same email listed: the page links to each, so six members are answered in one visit."""
    others = Letter.objects.filter(
        campaign_id=letter.campaign_id,
        email_key=letter.email_key,
        state=State.SENT,
        reply_asked_at__isnull=False,
    )
    return list(others.exclude(pk=letter.pk).select_related("parliament").order_by("id"))


def open_for_answer(letter: Letter) -> bool:
    """Whether the page takes an answer for the letter: sent by us and not anonymised."""
    return letter.state == State.SENT


def _groups(due: QuerySet[Letter]) -> list[tuple[int, str]]:
    """Each supporter and campaign with a letter due, by address (jo+x@ and jo@ are one)."""
    pairs = due.order_by("campaign_id", "email_key").values_list("campaign_id", "email_key")
    return list(pairs.distinct())


def _with_parliament(letters: list[Letter]) -> list[Letter]:
    ids = [letter.pk for letter in letters]
    return list(
        Letter.objects.filter(pk__in=ids).select_related("campaign", "parliament").order_by("id")
    )


def _first_reference(letters: QuerySet[Letter], campaign_id: int, key: str) -> str:
    mine = letters.filter(campaign_id=campaign_id, email_key=key).order_by("id")
    return mine.values_list("reference", flat=True).first() or f"campaign {campaign_id}"
