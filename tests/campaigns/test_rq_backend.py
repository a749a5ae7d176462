"""Letters on the RQ tasks backend (TASKS_BACKEND=rq), with a worker in the test's thread:
queued once their transaction commits, sent once, retried later, and queued again by the
sweep when Redis lost their task. Real worker processes: test_rq_worker.py."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from rq.registry import ScheduledJobRegistry

from campaigns.delivery import sending
from campaigns.delivery.housekeeping import letters_sweep, task_lease
from campaigns.delivery.sending import letters_confirm
from campaigns.models import Campaign, Letter
from tests.support.letters import confirmation_link, member_mails, send_for_me
from tests.support.rq import queued_job_ids, run_jobs_here

# Transactional: a task goes to Redis only when the letter's transaction really commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("rq_backend")]
State = Letter.State


@pytest.fixture
def pending(campaign_and_mp):
    """A letter sent for its writer, waiting for them to confirm it."""
    campaign, mp = campaign_and_mp
    send_for_me(Client(), campaign, [mp])
    return Letter.objects.get()


@pytest.fixture
def ready(pending):
    Client().post(confirmation_link())
    letter = Letter.objects.get()
    assert letter.state == State.READY and len(queued_job_ids()) == 1
    return letter


def past_the_task_lease():
    return time_machine.travel(timezone.now() + task_lease() + timedelta(minutes=1))


def test_a_confirmed_letter_reaches_redis_only_once_its_transaction_commits(pending):
    with transaction.atomic():
        letters_confirm([pending])
        assert queued_job_ids() == []  # a worker must not find it before it is ready
    letter = Letter.objects.get()
    assert queued_job_ids() == [letter.task_id]
    assert default_task_backend.get_result(letter.task_id).args == [letter.pk]


def test_a_confirmation_rolled_back_queues_nothing(pending):
    with pytest.raises(RuntimeError), transaction.atomic():
        letters_confirm([pending])
        raise RuntimeError("the request failed after confirming")
    assert queued_job_ids() == []
    assert Letter.objects.get().state == State.PENDING


def test_a_worker_sends_the_letter_once_and_redis_keeps_its_outcome(ready):
    run_jobs_here()
    run_jobs_here()

    letter = Letter.objects.get()
    assert letter.state == State.SENT and letter.attempts == 1
    assert [m.extra_headers["X-Letter-Reference"] for m in member_mails()] == [letter.reference]
    result = default_task_backend.get_result(letter.task_id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "sent")
    assert Campaign.objects.get().letter_count == 1


def test_a_second_job_for_a_letter_sent_already_sends_nothing(ready):
    sending.deliver_letter.enqueue(ready.pk)  # as if the sweep had queued it again
    run_jobs_here()
    assert len(member_mails()) == 1


def test_a_temporary_failure_waits_in_redis_for_its_retry_and_the_sweep_leaves_it(
    ready, monkeypatch
):
    def refused(message, *args, **kwargs):
        if message.extra_headers.get("X-Letter-Reference"):
            raise ConnectionRefusedError("the mail server is down")
        return 1

    monkeypatch.setattr(mail.EmailMessage, "send", refused)
    run_jobs_here()

    letter = Letter.objects.get()
    assert letter.state == State.READY and letter.attempts == 1
    registry = ScheduledJobRegistry("default", connection=_connection())
    assert registry.get_job_ids() == [letter.task_id]  # for a minute on: the worker's scheduler
    with past_the_task_lease():
        assert letters_sweep().requeued == []
    assert queued_job_ids() == []


def test_a_letter_whose_job_redis_lost_is_queued_again_past_the_lease_and_sent_once(
    ready, rq_backend
):
    rq_backend.flushdb()  # Redis restarted without persistence, say
    assert letters_sweep().requeued == []  # within the lease it may still be on its way
    with past_the_task_lease():
        assert letters_sweep().requeued == [ready.reference]
        assert letters_sweep().requeued == []  # queued once, not at every sweep
    run_jobs_here()
    assert Letter.objects.get().state == State.SENT
    assert len(member_mails()) == 1


def _connection():
    import django_rq

    return django_rq.get_connection("default")
