"""A real worker killed at each point of sending a letter, or merely slow: nothing lost, and
nothing sent twice but where the mail server took it and the worker died before recording it.

The worker is a `manage.py db_worker` subprocess on the test's PostgreSQL database, so the
test needs committed rows (a transactional test) and a database a second process can open
(an in-memory SQLite one it cannot).
"""

import signal
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from campaigns.delivery.housekeeping import letters_sweep, task_lease
from campaigns.delivery.sending import CLAIM_LEASE
from campaigns.models import Campaign, Letter, Parliament
from campaigns.models.parliaments import ensure_parliaments
from tests.support import slow_mail
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share
from tests.support.letters import confirmation_link, send_for_me

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): a worker process cannot open the "
        "test's in-memory SQLite database",
    ),
]
State = Letter.State


@pytest.fixture
def confirmed():
    """A letter confirmed by its writer and queued for the worker."""
    ensure_parliaments(Parliament)  # a transactional test empties the tables the migration filled
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    mp = make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    campaign = make_campaign(min_personal_percent=10)
    client = Client()
    send_for_me(client, campaign, [mp])
    client.post(confirmation_link())
    letter = Letter.objects.get()
    assert letter.state == State.READY and DBTaskResult.objects.ready().count() == 1
    return letter


def kill_mid_send(tmp_path, worker_settings, mail):
    """Start a worker, and SIGKILL it once it is sending: the mail gate is never opened."""
    worker = slow_mail.start_worker(tmp_path, worker_settings)
    try:
        slow_mail.wait_until(lambda: slow_mail.waiting_pids(mail), what="the worker to send")
    finally:
        slow_mail.kill(worker)
    assert worker.returncode == -signal.SIGKILL


def test_a_worker_killed_while_sending_loses_nothing_and_sends_nothing_twice(confirmed, tmp_path):
    mail = slow_mail.mail_dir(tmp_path)
    worker_settings = slow_mail.worker_settings(tmp_path, mail)
    kill_mid_send(tmp_path, worker_settings, mail)

    letter = Letter.objects.get()
    assert slow_mail.waiting_subjects(mail) == [letter.subject]  # killed sending the letter
    assert letter.state == State.SENDING and letter.attempts == 1
    assert slow_mail.sent(mail) == []
    # The queue never hands the dead worker's job to another: the sweep must find the letter.
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING
    assert letters_sweep().requeued == []  # a claim is not taken from a worker still in time
    with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
        assert letters_sweep().requeued == [letter.reference]  # cron's sweep_letters

    slow_mail.open_gate(mail)
    slow_mail.finish(slow_mail.start_worker(tmp_path, worker_settings, "--batch"))

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 2
    to_member = [m for m in slow_mail.sent(mail) if m["X-Letter-Reference"]]
    assert [m["X-Letter-Reference"] for m in to_member] == [letter.reference]
    assert [m["Subject"] for m in slow_mail.sent(mail) if not m["X-Letter-Reference"]] == [
        f"Sent: your letter to {letter.recipient_name}"
    ]
    assert Letter.objects.filter(state=State.SENT).count() == Letter.objects.count() == 1
    assert Campaign.objects.get().letter_count == 1
    assert DBTaskResult.objects.ready().count() == 0


def test_a_worker_slow_to_send_keeps_its_letter_past_the_lease_and_sends_it_once(
    confirmed, tmp_path
):
    """Merely slow, not dead: while its worker is alive to finish the send, the sweep leaves
    the letter alone however old the claim, or the member would get it twice."""
    mail = slow_mail.mail_dir(tmp_path)
    worker = slow_mail.start_worker(tmp_path, slow_mail.worker_settings(tmp_path, mail), "--batch")
    try:
        slow_mail.wait_until(lambda: slow_mail.waiting_pids(mail), what="the worker to send")
        with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
            assert letters_sweep().requeued == []
        slow_mail.open_gate(mail)
        slow_mail.finish(worker)
    finally:
        slow_mail.kill(worker)

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 1
    to_member = [m for m in slow_mail.sent(mail) if m["X-Letter-Reference"]]
    assert [m["X-Letter-Reference"] for m in to_member] == [letter.reference]
    assert DBTaskResult.objects.ready().count() == 0


def kill_while_claiming(tmp_path, worker_settings, letter):
    """Start a worker, and SIGKILL it once the queue has handed it the letter's task but
    before it has claimed the letter: the test holds the letter's row lock meanwhile."""
    with transaction.atomic():
        Letter.objects.select_for_update().get(pk=letter.pk)
        worker = slow_mail.start_worker(tmp_path, worker_settings)
        try:
            slow_mail.wait_until(
                lambda: DBTaskResult.objects.running().exists(), what="the worker to take the task"
            )
        finally:
            slow_mail.kill(worker, wait_for_session=False)  # it waits for the test's lock
    slow_mail.session_ended(worker)
    assert worker.returncode == -signal.SIGKILL


def test_a_worker_killed_while_claiming_leaves_a_letter_the_sweep_queues_again(confirmed, tmp_path):
    mail = slow_mail.mail_dir(tmp_path)
    worker_settings = slow_mail.worker_settings(tmp_path, mail)
    kill_while_claiming(tmp_path, worker_settings, confirmed)

    letter = Letter.objects.get()
    assert letter.state == State.READY and letter.attempts == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING  # under a dead worker
    assert letters_sweep().requeued == []  # a task is not taken from a worker still in time
    with time_machine.travel(timezone.now() + task_lease() + timedelta(minutes=1)):
        assert letters_sweep().requeued == [letter.reference]
        assert letters_sweep().requeued == []  # queued once, not at every sweep

    slow_mail.open_gate(mail)
    slow_mail.finish(slow_mail.start_worker(tmp_path, worker_settings, "--batch"))

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 1
    to_member = [m for m in slow_mail.sent(mail) if m["X-Letter-Reference"]]
    assert [m["X-Letter-Reference"] for m in to_member] == [letter.reference]
    assert Campaign.objects.get().letter_count == 1
    assert DBTaskResult.objects.ready().count() == 0


def test_a_worker_killed_after_the_mail_server_took_the_letter_sends_it_again_as_one_letter(
    confirmed, tmp_path
):
    """The one point where delivery is at least once, not at most once: the mail server has
    the letter and the database was never told. The copy sent again is the same letter, with
    the same Message-ID and reference, so the office sees one letter; the count stays one."""
    mail = slow_mail.mail_dir(tmp_path)
    held = slow_mail.worker_settings(tmp_path, mail, hold_after_send=True)
    slow_mail.open_gate(mail)
    worker = slow_mail.start_worker(tmp_path, held)
    try:
        slow_mail.wait_until(lambda: slow_mail.held_after_send_pids(mail), what="the mail sent")
    finally:
        slow_mail.kill(worker)

    letter = Letter.objects.get()
    assert letter.state == State.SENDING and letter.attempts == 1
    with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
        assert letters_sweep().requeued == [letter.reference]
    plain = slow_mail.worker_settings(tmp_path, mail)
    slow_mail.finish(slow_mail.start_worker(tmp_path, plain, "--batch"))

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 2
    to_member = [m for m in slow_mail.sent(mail) if m["X-Letter-Reference"]]
    assert [m["X-Letter-Reference"] for m in to_member] == [letter.reference] * 2
    assert len({m["Message-ID"] for m in to_member}) == 1
    assert Campaign.objects.get().letter_count == 1
