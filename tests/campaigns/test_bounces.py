"""Bounces, rejections and complaints, posted to the mail service's real webhook URL as the
service signs them (Mailgun: an HMAC of timestamp and token; Postmark: basic auth)."""

import json

import pytest
from django.core import mail

from campaigns.delivery.bounces import BOUNCES_TO_FLAG
from campaigns.delivery.sending import letter_queue_again
from campaigns.models import DeliveryEvent, Letter, Representative
from tests.support.letters import member_mails, pending_letters
from tests.support.mail_service import (
    MEMBER_EMAIL,
    auth_header,
    mail_service_settings,
    mailgun_event,
    mailgun_post,
)
from tests.support.worker import run_due_tasks

pytestmark = pytest.mark.django_db
POSTMARK_URL = "/anymail/postmark/tracking/"


@pytest.fixture(autouse=True)
def mail_service(settings):
    mail_service_settings(settings)


def sent_letters(client, campaign, mp, count=1) -> list[Letter]:
    """``count`` supporters' letters to the MP, confirmed and sent through the service."""
    for link in pending_letters(campaign, mp, count):
        client.post(link)
    assert run_due_tasks() == ["sent"] * count
    mail.outbox.clear()
    return list(Letter.objects.order_by("id"))


def notices():
    return [m for m in mail.outbox if "did not get through" in m.subject]


def test_a_signed_bounce_fails_the_letter_and_tells_the_writer_to_post_it(client, campaign, mp):
    (letter,) = sent_letters(client, campaign, mp)
    response = mailgun_post(client, mailgun_event(letter))
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.state == Letter.State.FAILED
    assert "does not exist" in letter.last_error
    (event,) = DeliveryEvent.objects.all()
    assert (event.kind, event.service, event.recipient) == ("bounced", "Mailgun", MEMBER_EMAIL)
    (notice,) = notices()
    assert notice.to == [letter.supporter_email]
    assert "House of Commons\nLondon\nSW1A 0AA" in notice.body  # where to post it
    assert letter.body in notice.body and letter.reference in notice.body
    assert Representative.objects.get().email_bounced_at is None  # one bounce: not yet


def test_a_bad_signature_is_refused_and_changes_nothing(client, campaign, mp):
    (letter,) = sent_letters(client, campaign, mp)
    forged = mailgun_post(client, mailgun_event(letter), key="not-the-signing-key")
    assert forged.status_code == 400
    no_auth = mailgun_post(client, mailgun_event(letter), credentials="hooks:guessed")
    assert no_auth.status_code == 400
    assert Letter.objects.get().state == Letter.State.SENT
    assert not DeliveryEvent.objects.exists() and notices() == []


def test_the_same_event_twice_changes_nothing_more(client, campaign, mp):
    (letter,) = sent_letters(client, campaign, mp)
    event, token = mailgun_event(letter), "a-token-mailgun-made-for-this-event"
    assert mailgun_post(client, event, token=token).status_code == 200
    assert mailgun_post(client, event, token=token).status_code == 200
    assert DeliveryEvent.objects.count() == 1 and len(notices()) == 1
    # A second, different report about the same letter is recorded, but no second notice.
    assert mailgun_post(client, mailgun_event(letter, event="complained")).status_code == 200
    assert DeliveryEvent.objects.count() == 2 and len(notices()) == 1


def test_a_complaint_is_recorded_and_the_writer_told_once_the_letter_stays_sent(
    client, campaign, mp
):
    (letter,) = sent_letters(client, campaign, mp)
    complaint = mailgun_event(letter, event="complained", severity=None, reason=None)
    assert mailgun_post(client, complaint).status_code == 200
    letter.refresh_from_db()
    assert letter.state == Letter.State.SENT  # it was delivered; the office called it spam
    assert DeliveryEvent.objects.get().kind == DeliveryEvent.Kind.COMPLAINED
    (notice,) = notices()
    assert "marked it as unwanted mail" in notice.body
    mailgun_post(client, mailgun_event(letter, event="complained", severity=None, reason=None))
    assert len(notices()) == 1
    assert Representative.objects.get().email_bounced_at is None  # complaints are not bounces


def test_a_second_bounced_letter_flags_the_address_and_later_letters_are_not_sent(
    client, campaign, mp
):
    first, second = sent_letters(client, campaign, mp, count=BOUNCES_TO_FLAG)
    mailgun_post(client, mailgun_event(first))
    mailgun_post(client, mailgun_event(first))  # the same letter again: still one letter
    assert Representative.objects.get().email_bounced_at is None
    mailgun_post(client, mailgun_event(second))
    assert Representative.objects.get().email_bounced_at is not None

    # A later letter to the flagged address is not sent: its writer is told to post it.
    (link,) = pending_letters(campaign, mp, 1)  # a third supporter
    client.post(link)
    mail.outbox.clear()
    assert run_due_tasks() == ["failed"]
    later = Letter.objects.order_by("id").last()
    assert later.state == Letter.State.FAILED and "bounced" in later.last_error
    assert member_mails() == []
    (notice,) = notices()
    assert notice.to == [later.supporter_email] and "refused before" in notice.body


def test_a_bounced_letter_retried_by_staff_at_a_flagged_address_is_not_sent_nor_told_again(
    client, campaign, mp
):
    first, second = sent_letters(client, campaign, mp, count=2)
    for letter in (first, second):
        mailgun_post(client, mailgun_event(letter))
    assert len(notices()) == 2
    letter_queue_again(first.pk)  # staff: "retry failed letters"
    assert run_due_tasks() == ["failed"]
    assert member_mails() == [] and len(notices()) == 2


def test_bounces_at_the_test_inbox_never_flag_the_member(client, campaign, mp, settings):
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False
    letters = sent_letters(client, campaign, mp, count=2)
    for letter in letters:
        mailgun_post(client, mailgun_event(letter, recipient="letters-test@example.org"))
    assert Letter.objects.filter(state=Letter.State.FAILED).count() == 2
    assert Representative.objects.get().email_bounced_at is None


def test_a_bounce_for_an_unknown_message_is_accepted_and_ignored(client, campaign, mp, caplog):
    sent_letters(client, campaign, mp)
    stranger = mailgun_event(Letter.objects.get(), **{"user-variables": {}})
    stranger["message"] = {"headers": {"message-id": "20261206.abc@mailgun.example"}}
    response = mailgun_post(client, stranger)
    assert response.status_code == 200  # or the service would post it again for hours
    assert not DeliveryEvent.objects.exists() and notices() == []
    assert Letter.objects.get().state == Letter.State.SENT
    assert "not one of our letters" in caplog.text


def test_a_letter_is_found_by_its_message_id_when_the_metadata_is_missing(client, campaign, mp):
    (letter,) = sent_letters(client, campaign, mp)
    mailgun_post(client, mailgun_event(letter, **{"user-variables": {}}))
    assert Letter.objects.get().state == Letter.State.FAILED


def test_a_temporary_failure_changes_nothing(client, campaign, mp):
    (letter,) = sent_letters(client, campaign, mp)
    deferred = mailgun_event(letter, severity="temporary", reason="generic")
    assert mailgun_post(client, deferred).status_code == 200
    assert Letter.objects.get().state == Letter.State.SENT and not DeliveryEvent.objects.exists()


def test_no_webhook_answers_for_a_service_not_chosen(client, campaign, mp, settings):
    (letter,) = sent_letters(client, campaign, mp)
    settings.MAIL_SERVICE = ""
    assert mailgun_post(client, mailgun_event(letter)).status_code == 404
    assert client.post(POSTMARK_URL, "{}", content_type="application/json").status_code == 404
    assert Letter.objects.get().state == Letter.State.SENT


def postmark_bounce(letter):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": MEMBER_EMAIL,
        "BouncedAt": "2026-12-06T01:10:00Z",
        "Metadata": {"letter_reference": letter.reference},
        "Tag": "",
        "MessageStream": "outbound",
    }


def test_postmark_bounces_need_the_webhook_password(client, campaign, mp, settings):
    settings.MAIL_SERVICE = "postmark"
    (letter,) = sent_letters(client, campaign, mp)
    body = json.dumps(postmark_bounce(letter))
    refused = client.post(POSTMARK_URL, body, content_type="application/json")
    assert refused.status_code == 400
    assert Letter.objects.get().state == Letter.State.SENT
    accepted = client.post(POSTMARK_URL, body, content_type="application/json", **auth_header())
    assert accepted.status_code == 200
    assert Letter.objects.get().state == Letter.State.FAILED
    assert DeliveryEvent.objects.get().service == "Postmark" and len(notices()) == 1
