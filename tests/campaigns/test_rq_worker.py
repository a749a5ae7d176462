"""Real `manage.py rqworker` processes (TASKS_BACKEND=rq) on this machine's Redis: a letter
sent, a worker killed mid-letter or mid-claim, workers side by side and restarted; each
letter sent once, none lost. The database backend's twin is test_worker_crash.py.

The workers share the test's PostgreSQL database (an in-memory SQLite one they cannot open)
and write mail to files through slow_mail's gated backend.
"""

import signal
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend

from campaigns.delivery.housekeeping import letters_sweep, task_lease
from campaigns.delivery.sending import CLAIM_LEASE
from campaigns.models import Campaign, Letter
from tests.support import rq, slow_mail
from tests.support.letters import confirmation_link, pending_letters, send_for_me
from tests.support.together import post_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): a worker process cannot open the "
        "test's in-memory SQLite database",
    ),
    pytest.mark.usefixtures("rq_backend"),
]
State = Letter.State


@pytest.fixture
def confirmed(campaign_and_mp):
    """A letter confirmed by its writer and queued in Redis."""
    campaign, mp = campaign_and_mp
    client = Client()
    send_for_me(client, campaign, [mp])
    client.post(confirmation_link())
    letter = Letter.objects.get()
    assert letter.state == State.READY and rq.queued_job_ids() == [letter.task_id]
    return letter


@pytest.fixture
def mail(tmp_path):
    return slow_mail.mail_dir(tmp_path)


@pytest.fixture
def workers(tmp_path, mail):
    """Start rqworker processes on the gated mail backend; every one is killed at the end."""
    started = []

    def start(*options, hold_after_send=False):
        module = slow_mail.worker_settings(tmp_path, mail, hold_after_send=hold_after_send)
        started.append(rq.start_worker(tmp_path, module, *options))
        return started[-1]

    yield start
    for process in started:
        rq.kill(process, wait_for_session=False)


def drain(workers, mail):
    """Open the gate and run one --burst worker until the queue is empty."""
    slow_mail.open_gate(mail)
    slow_mail.finish(workers("--burst"))


def to_member(mail) -> list[str]:
    return sorted(m["X-Letter-Reference"] for m in slow_mail.sent(mail) if m["X-Letter-Reference"])


def test_a_worker_sends_a_confirmed_letter_and_its_copy(confirmed, workers, mail):
    drain(workers, mail)

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 1
    assert to_member(mail) == [letter.reference]
    copies = [m["Subject"] for m in slow_mail.sent(mail) if not m["X-Letter-Reference"]]
    assert copies == [f"Sent: your letter to {letter.recipient_name}"]
    result = default_task_backend.get_result(letter.task_id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "sent")


def test_a_worker_killed_while_sending_leaves_the_letter_to_the_sweep_and_it_is_sent_once(
    confirmed, workers, mail
):
    worker = workers()
    slow_mail.wait_until(lambda: slow_mail.waiting_pids(mail), what="the worker to send")
    rq.kill(worker)
    assert worker.returncode == -signal.SIGKILL

    letter = Letter.objects.get()
    assert letter.state == State.SENDING and slow_mail.sent(mail) == []
    assert letters_sweep().requeued == []  # a claim is not taken from a worker still in time
    with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
        assert letters_sweep().requeued == [letter.reference]
    drain(workers, mail)

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 2
    assert to_member(mail) == [letter.reference]
    assert Campaign.objects.get().letter_count == 1


def test_a_worker_killed_while_claiming_leaves_a_running_job_the_sweep_replaces_once(
    confirmed, workers, mail
):
    with transaction.atomic():  # the letter's row lock: the worker waits for it to claim
        Letter.objects.select_for_update().get(pk=confirmed.pk)
        worker = workers()
        slow_mail.wait_until(
            lambda: (
                default_task_backend.get_result(confirmed.task_id).status
                == TaskResultStatus.RUNNING
            ),
            what="the worker to take the job",
        )
        rq.kill(worker, wait_for_session=False)  # its session waits for the test's lock
    slow_mail.session_ended(worker)

    letter = Letter.objects.get()
    assert letter.state == State.READY and letter.attempts == 0
    assert letters_sweep().requeued == []  # a job is not taken from a worker still in time
    with time_machine.travel(timezone.now() + task_lease() + timedelta(minutes=1)):
        assert letters_sweep().requeued == [letter.reference]
        assert letters_sweep().requeued == []  # queued once, not at every sweep
    drain(workers, mail)

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 1
    assert to_member(mail) == [letter.reference]


# RQ's default worker forks a work horse per job; SimpleWorker runs jobs itself, faster
# (bench/rq_letters.py): docs/deploy.md offers both.
@pytest.mark.parametrize("worker_class", ["rq.worker.Worker", "rq.worker.SimpleWorker"])
def test_two_workers_side_by_side_send_each_of_twenty_letters_once(
    campaign_and_mp, workers, mail, worker_class
):
    campaign, mp = campaign_and_mp
    links = pending_letters(campaign, mp, 20)
    assert {r.status_code for r in post_together([(link, {}) for link in links])} == {302}
    assert len(rq.queued_job_ids()) == 20

    options = ["--burst", "--worker-class", worker_class]
    pair = [workers(*options), workers(*options)]
    slow_mail.wait_until(  # no mail goes until both hold a letter at the gate: both at work
        lambda: len(slow_mail.waiting_pids(mail)) == 2, what="both workers to be sending"
    )
    slow_mail.open_gate(mail)
    for worker in pair:
        slow_mail.finish(worker)

    assert to_member(mail) == sorted(Letter.objects.values_list("reference", flat=True))
    assert set(Letter.objects.values_list("state", "attempts")) == {(State.SENT, 1)}
    assert Campaign.objects.get().letter_count == 20


def test_a_worker_restarted_mid_letter_finishes_it_and_the_next_sends_the_rest_once(
    campaign_and_mp, workers, mail
):
    campaign, mp = campaign_and_mp
    links = pending_letters(campaign, mp, 5)
    post_together([(link, {}) for link in links])

    worker = workers()
    slow_mail.wait_until(lambda: slow_mail.waiting_pids(mail), what="the worker to send")
    rq.stop(worker)  # a deploy: SIGTERM, a warm shutdown once the letter in hand is sent
    slow_mail.open_gate(mail)
    slow_mail.finish(worker)
    assert len(to_member(mail)) == 1
    drain(workers, mail)

    assert to_member(mail) == sorted(Letter.objects.values_list("reference", flat=True))
    assert set(Letter.objects.values_list("state", "attempts")) == {(State.SENT, 1)}
