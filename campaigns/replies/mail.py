"""The question email: 'Did <member> reply?', with one link per answer for each letter.

Each link opens a page with the answer chosen and a button: following a link records nothing,
so a mail scanner that opens every link cannot answer for anyone (campaigns.replies.views).
It goes to the supporter's own confirmed address, like the confirmation: never to a member.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats

from campaigns.delivery.housekeeping import site_url
from campaigns.delivery.mail import greeting
from campaigns.letters.supporters import retention
from campaigns.models import Letter
from campaigns.replies.links import reply_path

ANSWER_WORDS = {
    Letter.Reply.YES: "Yes, they replied",
    Letter.Reply.NO: "No, no reply",
    Letter.Reply.NOT_YET: "Not yet",
}


def member(letter: Letter) -> str:
    return f"{letter.recipient_name} {letter.parliament.member_suffix}"


def question_subject(letters: list[Letter], *, again: bool = False) -> str:
    who = member(letters[0]) if len(letters) == 1 else "your representatives"
    return f"{'Has' if again else 'Did'} {who} {'replied yet' if again else 'reply'}?"


def question_message(letters: list[Letter], *, again: bool = False) -> EmailMessage:
    """One email to one supporter about their letters in one campaign."""
    first = letters[0]
    names = _together([member(letter) for letter in letters])
    yours = "your letter" if len(letters) == 1 else "your letters"
    if again:
        opening = (
            f"You told us {names} had not replied yet to {yours} about "
            f"“{first.campaign.title}”. Has a reply come since? This is the last time we ask."
        )
    else:
        sent = formats.date_format(first.sent_at, "j F Y")
        opening = (
            f"On {sent} we sent {yours} about “{first.campaign.title}” to {names}. "
            "Did they reply? Your answer tells us which members listen, and helps the "
            "campaign decide what to do next."
        )
    until = formats.date_format(first.sent_at + retention(), "j F Y")
    body = (
        f"{greeting(first.supporter_name)}\n\n{opening}\n\n"
        "Choose your answer below. Each link opens a page where you press a button to "
        "save it; you can also paste the reply there if you would like us to keep it.\n\n"
        + "\n\n".join(_answers(letter) for letter in letters)
        + "\n\n"
        f"The links work until {until}, when we remove your details from the letter; your "
        f"answer is kept only as part of the campaign's counts. {_after(again)}\n\n"
        f"{settings.SITE_NAME}"
    )
    message = EmailMessage(
        subject=question_subject(letters, again=again),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[first.supporter_email],
        headers={"Auto-Submitted": "auto-generated"},  # so out-of-office replies stay quiet
    )
    return message


def _after(again: bool) -> str:
    if again:
        return "We will not ask again."
    days = settings.REPLIES_ASK_AGAIN_DAYS
    return f"We ask once more, {days} days later, only if you answer “Not yet”."


def _answers(letter: Letter) -> str:
    page = site_url() + reply_path(letter.pk)
    lines = [f"{member(letter)} (your letter {letter.reference}):"]
    lines += [f"  {words}: {page}?answer={answer}" for answer, words in ANSWER_WORDS.items()]
    return "\n".join(lines)


def _together(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
