"""Letters through a mail service (django-anymail's test backend): the headers an office's
filters look for, temporary API failures retried, and never a real member outside production."""

from datetime import timedelta

import pytest
import requests
import time_machine
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail
from django.utils import timezone

from campaigns.delivery.mail import member_message
from campaigns.models import Letter
from tests.support.letters import confirmation_link, member_mails, send_for_me
from tests.support.worker import run_due_tasks

pytestmark = pytest.mark.django_db
MEMBER_EMAIL = "rachel.blake.mp@example.org"


@pytest.fixture(autouse=True)
def mail_service(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    settings.LETTERS_FROM_EMAIL = "letters@advocacy.example"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False


@pytest.fixture
def confirmed(client, campaign, mp):
    send_for_me(client, campaign, [mp])
    client.post(confirmation_link())
    return Letter.objects.get()


def test_the_letter_carries_what_an_offices_filters_trust(confirmed):
    assert run_due_tasks() == ["sent"]
    (sent,) = member_mails()
    params = sent.anymail_test_params
    assert params["track_opens"] is False and params["track_clicks"] is False
    assert params["metadata"] == {"letter_reference": confirmed.reference}
    headers = {name.lower(): value for name, value in sent.extra_headers.items()}
    assert headers["message-id"] == f"<letter-{confirmed.reference}@advocacy.example>"
    assert "auto-submitted" not in headers
    assert not any(name.startswith("list-") or name == "precedence" for name in headers)
    assert sent.reply_to == ["jane@example.org"]
    message = sent.message()  # as it would go on the wire: one Message-ID, ours
    assert message.get_all("Message-ID") == [f"<letter-{confirmed.reference}@advocacy.example>"]
    assert message["Auto-Submitted"] is None
    assert "<img" not in sent.body and "http" not in sent.body.split("--")[0]


def busy() -> requests.Response:
    """The answer of a mail service's API that is down for a moment."""
    response = requests.Response()
    response.status_code, response.reason, response._content = 503, "Service Unavailable", b""
    return response


def test_a_mail_service_that_is_down_is_tried_again_with_the_same_message_id(
    confirmed, monkeypatch
):
    post = AnymailTestBackend.post_to_esp
    calls = []

    def down_once(backend, payload, message):
        calls.append(message.extra_headers["Message-ID"])
        if len(calls) == 1:
            raise AnymailAPIError("Mailgun API response 503", status_code=503, response=busy())
        return post(backend, payload, message)

    monkeypatch.setattr(AnymailTestBackend, "post_to_esp", down_once)
    assert run_due_tasks() == ["retry"]
    assert Letter.objects.get().state == Letter.State.READY
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert run_due_tasks() == ["sent"]
    assert calls[0] == calls[1] == f"<letter-{confirmed.reference}@advocacy.example>"
    assert member_message(Letter.objects.get()).extra_headers["Message-ID"] == calls[0]


def test_an_address_the_service_refuses_fails_and_the_writer_is_told(confirmed, monkeypatch):
    post = AnymailTestBackend.post_to_esp

    def refuse_letters(backend, payload, message):
        if message.subject.startswith("North Korean refugees"):
            raise AnymailRecipientsRefused("The service suppressed the address.")
        return post(backend, payload, message)

    monkeypatch.setattr(AnymailTestBackend, "post_to_esp", refuse_letters)
    assert run_due_tasks() == ["failed"]
    assert Letter.objects.get().state == Letter.State.FAILED
    assert any(m.subject.startswith("We could not deliver") for m in mail.outbox)


def test_outside_production_no_letter_reaches_a_real_member_through_a_service(confirmed):
    assert run_due_tasks() == ["sent"]
    (sent,) = member_mails()
    assert sent.anymail_test_params["to"][0].addr_spec == "test-inbox@example.org"
    everyone = [sent.from_email, *sent.to, *sent.cc, *sent.bcc, *sent.reply_to]
    assert not any(MEMBER_EMAIL in address for address in everyone)
    assert sent.body.startswith("[TEST SITE")


def test_in_production_opted_in_the_service_sends_to_the_member(confirmed, settings):
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = True
    assert run_due_tasks() == ["sent"]
    (sent,) = member_mails()
    assert sent.to == [MEMBER_EMAIL]
    assert sent.anymail_status.status == {"sent"}
