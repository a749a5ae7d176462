"""'Send it for me': make the letters, waiting for their writer's confirmation, and mail the link.

Only the token's hash is stored: the link exists in the email alone. Over a limit the letters
are made all the same, to be held for staff once confirmed (delivery.limits).
"""

import logging

from django.urls import reverse

from campaigns.delivery.confirmation import new_token
from campaigns.delivery.limits import count_submission, normalise_email
from campaigns.delivery.mail import confirmation_message
from campaigns.letters.services import Supporter, Written, letters_create
from campaigns.models import Campaign, Letter

logger = logging.getLogger(__name__)


def letters_send_for_me(
    *,
    campaign: Campaign,
    written: list[Written],
    supporter: Supporter,
    personal_paragraph: str,
    key: str,
    network: str,
    site_url: str,
    source: str = "",
) -> list[Letter]:
    """Make the letters we are to send and email the supporter the link to confirm them.

    ``network`` is the supporter's address, counted against the limits; ``site_url`` the
    scheme and host the link starts with. Raises AlreadyWritten (letters_create).
    """
    token, token_hash = new_token()
    letters, created = letters_create(
        campaign=campaign,
        written=written,
        supporter=supporter,
        personal_paragraph=personal_paragraph,
        delivery=Letter.Delivery.SEND_FOR_ME,
        key=key,
        confirmation_hash=token_hash,
        source=source,
    )
    if not created:  # the same form, posted again: its letters and mail exist already
        return letters
    letters_hold_over_limit(letters, network=network, email=supporter.email)
    url = site_url.rstrip("/") + reverse("campaigns:confirm", args=[token])
    try:
        confirmation_message(letters, url).send()
    except Exception:  # noqa: BLE001 - the letters page says what to do
        logger.exception("Could not send a confirmation email for %s", letters[0].reference)
    return letters


def letters_hold_over_limit(letters: list[Letter], *, network: str, email: str) -> None:
    """Count the submission against the limits; over one, its letters wait for staff too.

    Counted once the letters exist, so a double click counts once.
    """
    if hold := count_submission(network=network, email_key=normalise_email(email)):
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(hold_reason=hold)
        for letter in letters:
            letter.hold_reason = hold
