"""The messages: the letter to the member, and the supporter's confirmation, copy and notices."""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats

from campaigns.delivery.confirmation import CONFIRM_WITHIN
from campaigns.delivery.safety import delivering_to_representatives, letter_recipient
from campaigns.models import Letter

GREETING_MAX = 60  # characters of the supporter's name in "Hello ...,"


def _domain():
    return settings.LETTERS_FROM_EMAIL.rpartition("@")[2] or "localhost"


def greeting(name: str) -> str:
    """``Hello <first line of the name>,``, cut short: mail to an address anyone can type
    must not carry a sender's message in the name."""
    first_line = (name.strip().splitlines() or [""])[0].strip()
    if len(first_line) > GREETING_MAX:
        first_line = first_line[: GREETING_MAX - 1] + "…"
    return f"Hello {first_line},"


def member_message(letter: Letter) -> EmailMessage:
    """From us with the supporter's name, Reply-To the supporter, To the member (or the test
    recipient), with a footer the office can act on. The Message-ID is the letter's own, so a
    resend after a crash is recognisable as the same message."""
    sender = formataddr(
        (f"{letter.supporter_name} via {settings.SITE_NAME}", settings.LETTERS_FROM_EMAIL)
    )
    message = EmailMessage(
        subject=letter.subject,
        body=_test_banner(letter) + letter.body + "\n\n" + _footer(letter),
        from_email=sender,
        to=[letter_recipient(letter.recipient_email)],
        reply_to=[letter.supporter_email],
        headers={
            "Message-ID": letter_message_id(letter.reference),
            "X-Letter-Reference": letter.reference,
        },
    )
    # Read by a mail service's backend (django-anymail), ignored by SMTP. A person's letter
    # carries no tracking pixel and no rewritten link: offices' filters count both against
    # it. The metadata comes back with the service's bounces (delivery.bounces).
    message.track_opens = False
    message.track_clicks = False
    message.metadata = {LETTER_METADATA: letter.reference}
    return message


LETTER_METADATA = "letter_reference"


def letter_message_id(reference: str) -> str:
    """The letter's Message-ID: from our sending domain, the same on every attempt."""
    return f"<letter-{reference}@{_domain()}>"


def reference_from_message_id(message_id: str) -> str:
    """The letter reference in one of our Message-IDs, or ""."""
    local, _, domain = (message_id or "").strip().strip("<>").partition("@")
    if not local.startswith("letter-") or domain != _domain():
        return ""
    return local.removeprefix("letter-")


def _test_banner(letter):
    if delivering_to_representatives():
        return ""
    return (
        f"[TEST SITE: in production this letter would go to {letter.recipient_name} "
        f"{letter.parliament.member_suffix}. It has come to the test address instead.]\n\n"
    )


def _footer(letter):
    return (
        "--\n"
        f"Reference {letter.reference}. {letter.supporter_name} wrote this letter on "
        f"{settings.SITE_NAME} and asked us to send it to you. Replies go to them at "
        f"{letter.supporter_email}.\n"
        f"If you believe this letter is misuse, please tell us at {settings.LETTERS_ABUSE_EMAIL}, "
        f"quoting reference {letter.reference}."
    )


def _to_supporter(letter_or_email, subject, body) -> EmailMessage:
    email = getattr(letter_or_email, "supporter_email", letter_or_email)
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email]
    )


def _names(letters):
    return ", ".join(
        f"{letter.recipient_name} {letter.parliament.member_suffix}" for letter in letters
    )


def confirmation_message(letters: list[Letter], url: str, *, reminder=False) -> EmailMessage:
    first = letters[0]
    subject = "Reminder: please confirm your letter" if reminder else "Please confirm your letter"
    until = formats.date_format(first.created_at + CONFIRM_WITHIN, "j F Y")
    replaces = "This link replaces the one in our first email, which no longer works. "
    body = (
        f"{greeting(first.supporter_name)}\n\n"
        f"You asked us to send your letter to {_names(letters)} about “{first.campaign.title}”. "
        "We send nothing until you confirm it is you. Please open this link and press "
        f"“Confirm and send”:\n\n{url}\n\n"
        f"{replaces if reminder else ''}The link works until {until}. If you did not write "
        "this letter, ignore this email: nothing will be sent, and we delete the letter and "
        "your details when the link stops working.\n\n"
        f"{settings.SITE_NAME}"
    )
    return _to_supporter(first, f"{subject} to {_names(letters)}", body)


def copy_message(letter: Letter) -> EmailMessage:
    when = formats.date_format(letter.sent_at, "j F Y, H:i") if letter.sent_at else ""
    body = (
        f"{greeting(letter.supporter_name)}\n\n"
        f"Your letter to {letter.recipient_name} {letter.parliament.member_suffix} was sent "
        f"on {when}. Their office will reply to you at this address. Your reference is "
        f"{letter.reference}. Here is what you wrote:\n\n"
        f"Subject: {letter.subject}\n\n{letter.body}\n\n"
        f"Thank you for speaking up. {settings.SITE_NAME}"
    )
    return _to_supporter(letter, f"Sent: your letter to {letter.recipient_name}", body)


def failure_message(letter: Letter) -> EmailMessage:
    body = (
        f"{greeting(letter.supporter_name)}\n\n"
        f"We are sorry: we could not deliver your letter to {letter.recipient_name} "
        f"{letter.parliament.member_suffix} (reference {letter.reference}). Our team can see "
        "it and will try again if the problem is on our side. You can also send it "
        "yourself: here is the text.\n\n"
        f"Subject: {letter.subject}\n\n{letter.body}\n\n{settings.SITE_NAME}"
    )
    return _to_supporter(
        letter, f"We could not deliver your letter to {letter.recipient_name}", body
    )


UNDELIVERED_WHY = {
    "bounced": "the mail server of their office refused it",
    "rejected": "our mail service could not send it to their address",
    "complained": "their office's mail system marked it as unwanted mail, so it may not "
    "have been read",
    "address": "letters to their address have been refused before, so we did not send it",
}


def undelivered_message(letter: Letter, why: str) -> EmailMessage:
    """The one notice that a letter did not get through, with what the writer can do: post
    it. ``why`` is a key of UNDELIVERED_WHY."""
    member = f"{letter.recipient_name} {letter.parliament.member_suffix}"
    body = (
        f"{greeting(letter.supporter_name)}\n\n"
        f"We are sorry: your letter to {member} (reference {letter.reference}) may not have "
        f"reached them, because {UNDELIVERED_WHY[why]}. Our team has been told.\n\n"
        "Your words still count. You can print the letter below, sign it and post it to:\n\n"
        f"{letter.recipient_address}\n\n"
        "Members answer letters from their own constituents, so please put your name and "
        "full postal address at the top.\n\n"
        f"Subject: {letter.subject}\n\n{letter.body}\n\n{settings.SITE_NAME}"
    )
    return _to_supporter(letter, f"Your letter to {member} did not get through", body)
