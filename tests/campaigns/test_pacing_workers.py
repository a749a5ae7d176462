"""Pacing on PostgreSQL: confirmations at once share a member's hours within the rate, and real
workers (the database backend's db_worker, RQ's rqworker) send each due letter once, a killed
worker and all, and leave a letter whose slot is to come for its hour."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from campaigns.delivery.housekeeping import letters_sweep
from campaigns.delivery.pacing import HOUR
from campaigns.delivery.sending import CLAIM_LEASE, deliver_letter
from campaigns.models import Letter
from tests.support import rq, slow_mail
from tests.support.campaign_factories import make_campaign
from tests.support.letters import pending_letters
from tests.support.together import post_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): row locks, and workers in other processes",
    ),
]
State = Letter.State
ALWAYS = {"office_opens": 0, "office_closes": 24, "send_at_weekends": True}


def test_twelve_confirmations_at_once_share_the_member_s_hours_within_the_rate(campaign_and_mp):
    _, mp = campaign_and_mp
    # Twelve campaigns, so that nothing but the member's lock stands between the twelve (the
    # letters of one campaign queue for its count's row anyway).
    office = {"letters_per_hour": 5, "office_opens": 9, "office_closes": 17}
    campaigns = [make_campaign(min_personal_percent=10, **office) for _ in range(12)]
    links = [link for campaign in campaigns for link in pending_letters(campaign, mp, 1)]
    # Tuesday 8 December 2026, 10:00 in London; the clock runs, so waiting for a lock takes time.
    with time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=UTC), tick=True):
        responses = post_together([(link, {}) for link in links])
    assert [response.status_code for response in responses] == [302] * 12

    hours = [letter.send_after.hour for letter in Letter.objects.order_by("send_after")]
    assert hours == [10] * 5 + [11] * 5 + [12] * 2
    assert set(Letter.objects.values_list("state", flat=True)) == {State.READY}
    assert DBTaskResult.objects.count() == 12


@pytest.fixture(params=["database", "rq"])
def backend(request, tmp_path):
    """Start and kill real workers of the backend the letters are queued on: each started
    worker is killed at the end."""
    mail = slow_mail.mail_dir(tmp_path)
    started = []
    if request.param == "rq":
        request.getfixturevalue("rq_backend")

    def start(*options):
        module = slow_mail.worker_settings(tmp_path, mail)
        if request.param == "rq":
            process = rq.start_worker(tmp_path, module, *options)
        else:
            process = slow_mail.start_worker(tmp_path, module, *options)
        started.append(process)
        return process

    kill = rq.kill if request.param == "rq" else slow_mail.kill
    start.kill, start.mail, start.kind = kill, mail, request.param
    yield start
    for process in started:
        kill(process, wait_for_session=False)


def to_member(mail) -> list[str]:
    return sorted(m["X-Letter-Reference"] for m in slow_mail.sent(mail) if m["X-Letter-Reference"])


def test_due_letters_are_sent_once_each_by_workers_killed_and_restarted_and_none_early(
    campaign_and_mp, backend
):
    campaign, mp = campaign_and_mp
    campaign.letters_per_hour = 2
    for name, value in ALWAYS.items():
        setattr(campaign, name, value)
    campaign.save()
    links = pending_letters(campaign, mp, 6)
    confirming = timezone.now() - 2 * HOUR  # confirmed two hours ago: their slots have come
    with time_machine.travel(confirming, tick=True):
        client = Client()
        for link in links[:5]:
            assert client.post(link).status_code == 302
    due = list(Letter.objects.filter(state=State.READY).order_by("send_after", "id"))
    assert [letter.send_after - due[0].send_after for letter in due] == [
        timedelta(0),
        timedelta(0),
        HOUR,
        HOUR,
        2 * HOUR,
    ]
    # The sixth's slot is tomorrow; a copy of its task is queued to run now, as a backend
    # running a task early, or a second copy, would.
    client.post(links[5])
    later = Letter.objects.exclude(pk__in=[letter.pk for letter in due]).get()
    tomorrow = timezone.now() + timedelta(days=1)
    Letter.objects.filter(pk=later.pk).update(send_after=tomorrow)
    early = deliver_letter.enqueue(later.pk)

    worker = backend()
    slow_mail.wait_until(lambda: slow_mail.waiting_pids(backend.mail), what="the worker to send")
    backend.kill(worker)  # killed mid-letter: the mail gate was never opened
    (killed,) = Letter.objects.filter(state=State.SENDING)
    assert slow_mail.sent(backend.mail) == []
    with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
        assert letters_sweep().requeued == [killed.reference]  # the others' tasks live

    slow_mail.open_gate(backend.mail)
    slow_mail.finish(backend("--burst" if backend.kind == "rq" else "--batch"))

    assert to_member(backend.mail) == sorted(letter.reference for letter in due)
    assert set(Letter.objects.filter(pk__in=[d.pk for d in due]).values_list("state")) == {
        (State.SENT,)
    }
    later.refresh_from_db()
    assert (later.state, later.attempts, later.send_after) == (State.READY, 0, tomorrow)
    assert default_task_backend.get_result(early.id).return_value == "waiting"
    waiting = default_task_backend.get_result(later.task_id)
    assert waiting.status == TaskResultStatus.READY  # queued again, for its slot
