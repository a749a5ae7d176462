"""Redis down with the RQ tasks backend on: a confirmed letter is still saved, ready, with a
log line saying so, and the sweep queues it once Redis answers again. .ci/run also runs this
file in its Redis-down run."""

import socket
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from campaigns.delivery.housekeeping import letters_sweep, task_lease
from campaigns.models import Campaign, Letter
from tests.support import rq
from tests.support.letters import confirmation_link, member_mails, send_for_me
from tests.support.redis_servers import SilentRedis

pytestmark = pytest.mark.django_db(transaction=True)
State = Letter.State
QUICK = 1.5  # seconds, as tests/core/test_redis_down.py allows any answer while Redis is down


@pytest.fixture(params=["refused", "silent"])
def queue_down(request, settings):
    """The RQ backend on, its Redis down: nothing on the port, or a server that never answers."""
    if request.param == "refused":
        with socket.create_server(("127.0.0.1", 0)) as closed:
            port = closed.getsockname()[1]  # free now, and nothing listens after this
        server = None
    else:
        server = SilentRedis()
        port = server.port
    for name, value in rq.rq_settings(f"redis://127.0.0.1:{port}/0").items():
        setattr(settings, name, value)
    yield request.param
    if server:
        server.stop()


@pytest.fixture
def pending(campaign_and_mp):
    campaign, mp = campaign_and_mp
    send_for_me(Client(), campaign, [mp])
    return Letter.objects.get()


def confirm_while_redis_is_down(caplog) -> Letter:
    started = time.monotonic()
    with caplog.at_level("ERROR", logger="campaigns.delivery.sending"):
        response = Client().post(confirmation_link())
    assert response.status_code == 302
    assert time.monotonic() - started < QUICK
    (line,) = [r.getMessage() for r in caplog.records if r.name == "campaigns.delivery.sending"]
    letter = Letter.objects.get()
    assert f"Letters [{letter.pk}] are ready but the task queue refused them" in line
    assert "sweep_letters will queue them" in line
    return letter


def test_a_letter_confirmed_while_redis_is_down_is_saved_ready_and_counted(
    pending, queue_down, caplog
):
    letter = confirm_while_redis_is_down(caplog)

    assert letter.state == State.READY and letter.task_id == ""
    assert Campaign.objects.get().letter_count == 1
    later = timezone.now() + task_lease() + timedelta(minutes=1)
    with time_machine.travel(later), caplog.at_level("WARNING"):
        assert letters_sweep().requeued == []  # nothing can take it yet
    assert "the task queue did not answer" in caplog.text
    assert Letter.objects.get().state == State.READY


def test_a_letter_confirmed_while_redis_was_down_is_sent_once_it_is_back(
    pending, queue_down, caplog, settings
):
    letter = confirm_while_redis_is_down(caplog)
    connection = rq.require_redis()
    for name, value in rq.rq_settings(rq.REDIS_URL).items():
        setattr(settings, name, value)  # Redis is back
    try:
        with time_machine.travel(timezone.now() + task_lease() + timedelta(minutes=1)):
            assert letters_sweep().requeued == [letter.reference]
        rq.run_jobs_here()
    finally:
        connection.flushdb()
        connection.close()

    assert Letter.objects.get().state == State.SENT
    assert [m.extra_headers["X-Letter-Reference"] for m in member_mails()] == [letter.reference]
