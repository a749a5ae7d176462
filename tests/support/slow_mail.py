"""Real `manage.py db_worker` processes for tests, and a mail server they can be caught in.

A worker in a subprocess shares neither the test's locmem outbox nor its settings, so it runs
on a settings module written into the test's tmp_path: the test settings, the test's own
database, and GatedMailBackend. That backend stores each message as its own file in a mail
directory the test reads, after a gate: it first writes a marker (``sending-<pid>-*``), then
waits until the test creates the file ``open`` there. A gate never opened holds a worker
in the middle of sending, to be killed there; opened once every worker waits at it, it
proves the workers really ran side by side. With ``hold_after_send``, a worker also waits
after the message is stored (``sent-<pid>-*``) until ``recorded`` exists: killed there, the
mail server has the letter and the database does not know.
"""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GATE = "open"
AFTER_SEND_GATE = "recorded"
GATE_TIMEOUT = 300  # a worker nobody kills gives up in the end (then the test has failed)
SHIM = """from advocacy.settings.test import *  # noqa: F403
DATABASES = {{"default": {database!r}}}
EMAIL_BACKEND = "tests.support.slow_mail.GatedMailBackend"
TEST_MAIL_DIR = {mail_dir!r}
TEST_MAIL_HOLD_AFTER_SEND = {hold_after_send!r}
"""


class GatedMailBackend(BaseEmailBackend):
    """Each message a file in settings.TEST_MAIL_DIR, once the gate there is open."""

    def send_messages(self, messages):
        directory = Path(settings.TEST_MAIL_DIR)
        for message in messages:
            name = f"{os.getpid()}-{uuid.uuid4().hex}"
            _write_whole(directory / f"sending-{name}", message.subject)
            _wait_for(directory / GATE)
            part = directory / f".{name}.part"  # renamed whole: a reader never sees half
            part.write_bytes(message.message().as_bytes())
            part.rename(directory / f"{name}.eml")
            if settings.TEST_MAIL_HOLD_AFTER_SEND:
                _write_whole(directory / f"sent-{name}", message.subject)
                _wait_for(directory / AFTER_SEND_GATE)
        return len(messages)


def _write_whole(path: Path, text: str) -> None:
    """Write a marker under another name and rename it: a test that sees it can read it all
    (it once read an empty subject from a marker the worker had only just created)."""
    part = path.with_name(f".{path.name}.part")
    part.write_text(text)
    part.rename(path)


def _wait_for(path):
    deadline = time.monotonic() + GATE_TIMEOUT
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.01)


def mail_dir(tmp_path) -> Path:
    directory = tmp_path / "mail"
    directory.mkdir(exist_ok=True)
    return directory


def open_gate(directory: Path) -> None:
    (directory / GATE).touch()


def sent(directory: Path) -> list[email.message.Message]:
    """The messages the workers finished sending."""
    return [email.message_from_bytes(path.read_bytes()) for path in directory.glob("*.eml")]


def waiting_pids(directory: Path) -> set[int]:
    """The worker processes that have reached the gate with a message."""
    return {int(path.name.split("-")[1]) for path in directory.glob("sending-*")}


def waiting_subjects(directory: Path) -> list[str]:
    return [path.read_text() for path in directory.glob("sending-*")]


def held_after_send_pids(directory: Path) -> set[int]:
    """The worker processes that have handed a message over and wait before recording it."""
    return {int(path.name.split("-")[1]) for path in directory.glob("sent-*")}


DB_WORKER = ["manage.py", "db_worker", "--no-startup-delay", "--interval=0.05"]


def worker_settings(tmp_path, directory: Path, *, hold_after_send=False) -> str:
    """Write the workers' settings module and return its name."""
    database = {
        key: connection.settings_dict[key]
        for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
    }
    (tmp_path / "worker_settings.py").write_text(
        SHIM.format(database=database, mail_dir=str(directory), hold_after_send=hold_after_send)
    )
    return "worker_settings"


def start_worker(tmp_path, settings_module: str, *options: str) -> subprocess.Popen:
    """A `manage.py db_worker` process on the test's database."""
    return spawn_worker(tmp_path, settings_module, DB_WORKER, options)


def spawn_worker(tmp_path, settings_module, command, options, **extra_env) -> subprocess.Popen:
    """A worker command in a process of its own, whose database session is named for it
    (application_name), so that kill() can wait for PostgreSQL to end that session."""
    session = f"test-worker-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "PGAPPNAME": session,
        **extra_env,
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *command, "--verbosity=0", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.session = session
    return process


def kill(process: subprocess.Popen, *, wait_for_session=True) -> None:
    """SIGKILL: no handler, no cleanup, as when the machine loses power.

    Returns once PostgreSQL has ended the worker's session too, and with it the row locks
    it held, as it soon does in production: the test's next sweep must not find them. A
    session waiting for a lock the test holds ends only once the test lets go of it: then
    pass wait_for_session=False, and call session_ended after.
    """
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    if wait_for_session:
        session_ended(process)


def session_ended(process: subprocess.Popen) -> None:
    wait_until(lambda: not _sessions(process.session), what="the worker's session to end")


def _sessions(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh inside a transaction too
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


def finish(process: subprocess.Popen, timeout=120) -> str:
    """Wait for a --batch worker to exit; its output, or a failure with it."""
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(process)
        raise AssertionError(f"the worker was still running after {timeout}s") from None
    assert process.returncode == 0, output
    return output


def wait_until(condition, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s for {what}")
        time.sleep(0.05)
    return value
