"""The RQ tasks backend in tests: this machine's Redis (a database of the tests' own), a
worker in the test's thread, and real `manage.py rqworker` processes.

Without Redis the tests skip, saying so; in CI (CI=true, where .ci/run starts Redis) they fail.
"""

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import pytest
import redis
from rq import SimpleWorker

from tests.support import slow_mail

# Database 13 is the RQ tests' own: every test empties it before and after (never another).
REDIS_URL = os.environ.get("RQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
WORKER = ["manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]


def rq_settings(url: str) -> dict:
    """TASKS and RQ_QUEUES as advocacy.settings.base makes them for TASKS_BACKEND=rq."""
    from django.conf import settings

    from advocacy.settings.urls import url_with_query

    queue = {"URL": url_with_query(url, settings.REDIS_OPTIONS), "DEFAULT_TIMEOUT": 300}
    return {"TASKS": RQ_TASKS, "RQ_QUEUES": {"default": queue}}


def connect() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)


def require_redis() -> redis.Redis:
    """This machine's Redis, emptied; skips the test without one, but fails it in CI."""
    connection = connect()
    try:
        connection.ping()
    except redis.RedisError as error:
        reason = f"needs Redis at {REDIS_URL} (set RQ_TEST_REDIS_URL): {error}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    connection.flushdb()
    return connection


@pytest.fixture
def rq_backend(settings):
    """Letters' tasks queued in Redis, as with TASKS_BACKEND=rq; the test's Redis database
    emptied before and after."""
    connection = require_redis()
    for name, value in rq_settings(REDIS_URL).items():
        setattr(settings, name, value)
    yield connection
    connection.flushdb()
    connection.close()


def run_jobs_here() -> None:
    """Run every queued job in this thread, as one rqworker would, and return once none is left."""
    import django_rq
    from django_tasks_rq import Job

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True, logging_level="WARNING")


def queued_job_ids() -> list[str]:
    import django_rq

    return django_rq.get_queue("default").get_job_ids()


def start_worker(tmp_path, settings_module: str, *options: str) -> subprocess.Popen:
    """A `manage.py rqworker` process on this machine's Redis and the test's database; it
    runs each job in a child it forks (RQ's work horse)."""
    return slow_mail.spawn_worker(
        tmp_path, settings_module, WORKER, options, TASKS_BACKEND="rq", REDIS_URL=REDIS_URL
    )


def kill(process: subprocess.Popen, *, wait_for_session=True) -> None:
    """SIGKILL the worker and its work horse together, as when the machine loses power;
    returns once PostgreSQL has ended their sessions (slow_mail.kill)."""
    for pid in family(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.communicate(timeout=30)
    if wait_for_session:
        slow_mail.session_ended(process)


def family(pid: int) -> list[int]:
    """The process and its descendants: RQ starts each work horse in a session of its own,
    out of reach of a signal to the worker's process group."""
    found = [pid]
    for parent in found:  # grows as it goes
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                found.extend(int(child) for child in children.read_text().split())
    return found


def stop(process: subprocess.Popen) -> None:
    """SIGTERM: RQ's warm shutdown, the way a deploy restarts a worker."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
