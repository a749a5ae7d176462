"""Two runs of the weekly summary at once (PostgreSQL): the manager gets one email."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from campaigns.models import Parliament, ResultsSubscription
from campaigns.models.parliaments import ensure_parliaments
from campaigns.results.weekly import weekly_summaries_send
from tests.support.campaign_factories import make_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"
    ),
]
WAIT = 60  # seconds: only a broken test waits this long
SENDING = threading.Event()
RELEASE = threading.Event()


class HeldBackend(EmailBackend):
    """Holds the first run in the middle of sending, its claim not yet committed."""

    def send_messages(self, messages):
        SENDING.set()
        assert RELEASE.wait(WAIT), "the test never let the first run finish sending"
        return super().send_messages(messages)


def other_run_waits_on_a_lock(pid_holder) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = %s",
            [pid_holder["pid"]],
        )
        return cursor.fetchone()[0] == 1


def test_two_overlapping_runs_send_one_summary(settings, django_user_model):
    ensure_parliaments(Parliament)
    settings.EMAIL_BACKEND = "tests.campaigns.test_weekly_results_concurrency.HeldBackend"
    user = django_user_model.objects.create_superuser("ruth", "ruth@example.org")
    ResultsSubscription.objects.create(campaign=make_campaign(), user=user)
    second = {}

    def first_run():
        try:
            return weekly_summaries_send()
        finally:
            connection.close()

    def second_run():
        try:
            assert SENDING.wait(WAIT)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                second["pid"] = cursor.fetchone()[0]
            return weekly_summaries_send()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(first_run), pool.submit(second_run)]
        # The second run's claim waits on the first one's row lock: they truly overlap.
        for _ in range(WAIT * 10):
            if "pid" in second and other_run_waits_on_a_lock(second):
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail("the second run never waited on the first one's lock")
        RELEASE.set()
        first, other = (run.result(timeout=WAIT) for run in runs)

    assert (len(first.sent), len(other.sent), len(other.skipped)) == (1, 0, 1)
    assert [message.to for message in mail.outbox] == [["ruth@example.org"]]
