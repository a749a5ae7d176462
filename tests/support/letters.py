"""A supporter writing a letter through the pages: the compose URL, its form, sending it."""

import re
import uuid

from django.core import mail
from django.urls import reverse

from campaigns.delivery.confirmation import new_token
from campaigns.letters.drafts import drafts_for
from campaigns.letters.services import Supporter, Written, letters_create
from campaigns.models import Letter
from tests.support.html import content, tags

POSTCODE = "SW1A 0AA"
OWN_WORDS = "My grandmother fled a war and strangers took her in; I pray for these refugees daily."


def compose_url(campaign, members, postcode=POSTCODE):
    query = "&".join([f"postcode={postcode}", *(f"member={m.pk}" for m in members)])
    return f"{reverse('campaigns:compose', args=[campaign.slug])}?{query}"


def form_key(client, url):
    """The idempotency key the compose page hands out."""
    html = content(client.get(url))
    return next(field["value"] for field in tags(html, "input") if field.get("name") == "key")


def letter_data(key, **overrides):
    data = {
        "key": key,
        "answer_1": "My grandmother fled a war, and strangers took her in.",
        "answer_2": "",
        "name": "Jane Doe",
        "email": "jane@example.org",
        "address": "1 High Street\nLondon",
        "subject_1": "North Korean refugees: Rachel Blake",
        "body_1": "Dear Rachel Blake,\n\nPlease act.\n\n{personal_paragraph}\n\nYours,\n"
        "{supporter_name}\n{supporter_address}",
        "delivery": "email_app",
    }
    return {**data, **overrides}


def send_for_me(client, campaign, members, **overrides):
    url = compose_url(campaign, members)
    data = letter_data(form_key(client, url), delivery="send_for_me", answer_1=OWN_WORDS)
    return client.post(url, {**data, **overrides}, REMOTE_ADDR=overrides.pop("ip", "192.0.2.1"))


def confirmation_link():
    (message,) = [m for m in mail.outbox if "confirm" in m.subject.lower()]
    return re.search(r"http://testserver(/letters/confirm/\S+/)", message.body).group(1)


def member_mails():
    return [m for m in mail.outbox if m.subject.startswith("North Korean refugees")]


def pending_letters(campaign, member, count) -> list[str]:
    """``count`` supporters' letters waiting for confirmation; each one's confirmation link."""
    (draft,) = drafts_for(campaign, [member])
    written = [Written(draft=draft, subject=draft.subject, body=draft.body)]
    links = []
    for n in range(count):
        token, token_hash = new_token()
        supporter = Supporter(
            name=f"Supporter {n}",
            email=f"supporter{n}@example.org",
            address="1 High Street\nLondon",
            postcode="SW1A 0AA",
        )
        letters_create(
            campaign=campaign,
            written=written,
            supporter=supporter,
            personal_paragraph=OWN_WORDS,
            delivery=Letter.Delivery.SEND_FOR_ME,
            key=uuid.uuid4().hex,
            confirmation_hash=token_hash,
        )
        links.append(reverse("campaigns:confirm", args=[token]))
    return links
