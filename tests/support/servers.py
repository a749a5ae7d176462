"""Real app servers for tests that need more than one process: gunicorn, one worker each, on
free ports, stopped when the test's ``with`` block ends."""

import contextlib
import http.client
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.processes import PROJECT

GUNICORN = Path(sys.executable).with_name("gunicorn")
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorns(count: int, settings_module: str, **environment):
    """``count`` gunicorn servers of the project (one process each); yields their ports."""
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": settings_module, **environment}
    servers = []
    try:
        for _ in range(count):
            port = free_port()
            command = [GUNICORN, "advocacy.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            # A file, not a pipe: a full pipe would stall the server. Closed in the finally.
            log = tempfile.TemporaryFile()  # noqa: SIM115
            server = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
                command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
            server.log = log
            servers.append((port, server))
        for port, server in servers:
            _wait_for(port, server)
        yield [port for port, _server in servers]
    finally:
        for _port, server in servers:
            server.send_signal(signal.SIGTERM)
        for _port, server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            server.log.close()


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            server.log.seek(0)
            raise AssertionError(f"gunicorn exited: {server.log.read().decode()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def get(port: int, path: str) -> tuple[int, str]:
    """The status and text of a GET from the server on port, as an anonymous browser."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()
