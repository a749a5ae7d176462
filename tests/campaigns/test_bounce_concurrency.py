"""Mail service reports arriving at the same moment (PostgreSQL): one event posted many times
is recorded and told once; two letters' bounces at once see each other and flag the address."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from campaigns.models import DeliveryEvent, Letter, Representative
from tests.support.letters import pending_letters
from tests.support.mail_service import (
    MAILGUN_URL,
    auth_header,
    mail_service_settings,
    mailgun_body,
    mailgun_event,
)
from tests.support.worker import run_due_tasks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"
    ),
]


@pytest.fixture(autouse=True)
def mail_service(settings):
    mail_service_settings(settings)


def post_json_together(bodies):
    """POST each JSON body to the Mailgun webhook from its own thread, all at one moment."""
    start = threading.Barrier(len(bodies))

    def post(body):
        try:
            client = Client()
            start.wait()
            return client.post(MAILGUN_URL, body, content_type="application/json", **auth_header())
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def sent_letters(campaign, mp, count):
    client = Client()
    for link in pending_letters(campaign, mp, count):
        client.post(link)
    assert run_due_tasks() == ["sent"] * count
    mail.outbox.clear()
    return list(Letter.objects.order_by("id"))


def notices():
    return [m for m in mail.outbox if "did not get through" in m.subject]


def test_one_bounce_posted_eight_times_at_once_is_recorded_and_told_once(campaign_and_mp):
    (letter,) = sent_letters(*campaign_and_mp, count=1)
    body = mailgun_body(mailgun_event(letter), token="one-event-posted-again-and-again")
    responses = post_json_together([body] * 8)
    assert {response.status_code for response in responses} == {200}
    assert DeliveryEvent.objects.count() == 1 and len(notices()) == 1
    assert Letter.objects.get().state == Letter.State.FAILED


def test_two_letters_bouncing_at_the_same_moment_flag_the_address(campaign_and_mp):
    letters = sent_letters(*campaign_and_mp, count=2)
    bodies = [mailgun_body(mailgun_event(letter)) for letter in letters]
    responses = post_json_together(bodies)
    assert {response.status_code for response in responses} == {200}
    assert Representative.objects.get().email_bounced_at is not None
    assert DeliveryEvent.objects.count() == 2 and len(notices()) == 2
