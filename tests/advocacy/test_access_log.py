"""Gunicorn's access log, as shipped in gunicorn.conf.py: no confirmation token, letters-page
key or email address in any field of it."""

import http.client
import re
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
TOKEN = secrets.token_urlsafe(32)
KEY = f"{secrets.token_hex(16)}:{secrets.token_urlsafe(32)}"  # a signed form key's shape
SECRETS = [TOKEN, KEY, "jane@example.org"]
# Every atom gunicorn offers that can hold a URL: request line, path, query, referrer, headers.
EVERY_URL_ATOM = '"%(r)s" %(U)s %(q)s "%(f)s" "%({referer}i)s" "%({location}o)s"'


def shipped_config(**overrides):
    """gunicorn's Config with the settings in gunicorn.conf.py, as gunicorn reads them."""
    config = Config()
    for name, value in runpy.run_path(str(PROJECT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    for name, value in overrides.items():
        config.set(name, value)
    return config


def fake_exchange(path, query="", referer="-"):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": referer,
    }
    request = SimpleNamespace(headers=[("REFERER", referer)])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", referer)])
    return response, request, environ


@pytest.mark.parametrize(
    "path, redacted",
    [
        (f"/letters/confirm/{TOKEN}/", "/letters/confirm/[token]/"),
        (
            f"/campaigns/stop-forced-returns/letters/{KEY}/",
            "/campaigns/stop-forced-returns/letters/[key]/",
        ),
        (f"/campaigns/stop-forced-returns/letters/{KEY}/print/", "/letters/[key]/print/"),
    ],
    ids=["confirmation link", "letters page", "print page"],
)
def test_the_shipped_logger_takes_tokens_and_keys_out_of_every_field(tmp_path, path, redacted):
    log = tmp_path / "access.log"
    config = shipped_config(accesslog=str(log), access_log_format=EVERY_URL_ATOM)
    logger = config.logger_class(config)
    referer = f"https://act.example.org{path}"

    logger.access(*fake_exchange(path, "email=jane@example.org", referer), timedelta(0))

    line = log.read_text()
    assert line.count(redacted) == 5  # request line, path, referrer twice, Location
    assert "[email]" in line
    assert not any(secret in line for secret in SECRETS)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def requests_to(port):
    """A supporter's confirmation link, a letters page and its print link, with referrers."""
    letters = f"/campaigns/stop-forced-returns/letters/{KEY}/"
    calls = [
        ("PUT", f"/letters/confirm/{TOKEN}/", {}),  # refused before any query: no database
        ("GET", f"{letters}print/", {"Referer": f"http://127.0.0.1:{port}{letters}"}),
        ("GET", "/healthz?from=jane@example.org", {}),
    ]
    for method, path, headers in calls:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(method, path, headers=headers)
        connection.getresponse().read()
        connection.close()


def wait_for(port, server, deadline):
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def test_gunicorn_started_from_the_project_logs_no_secret(tmp_path):
    """As deployed (and as bench/ runs it): gunicorn in the project reads gunicorn.conf.py."""
    port, log = free_port(), tmp_path / "access.log"
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "advocacy.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    command = [GUNICORN, "advocacy.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn and arguments
        [*command, "--access-logfile", str(log)],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, server, time.monotonic() + 30)
        requests_to(port)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    lines = log.read_text().splitlines()
    assert len(lines) == 3, lines
    assert '"PUT /letters/confirm/[token]/ HTTP/1.1" 403' in lines[0]  # refused by CSRF
    assert "/letters/[key]/print/" in lines[1] and '/letters/[key]/"' in lines[1]
    assert [secret for secret in SECRETS if secret in "\n".join(lines)] == [], lines


# nginx's log format, as docs/deploy.md gives it: its maps, read with Python's re

MAP_BLOCK = re.compile(r"^map \$(\w+) \$\w+ \{\n(.*?)^\}", re.MULTILINE | re.DOTALL)
MAP_LINE = re.compile(r'^\s*"~(.+?)"\s+"(.+?)";$', re.MULTILINE)


def documented_nginx_maps():
    """{nginx variable: [(pattern, replacement)]} from the deploy guide's ``map`` blocks."""
    guide = (PROJECT / "docs" / "deploy.md").read_text()
    maps = {}
    for variable, body in MAP_BLOCK.findall(guide):
        maps[variable] = [
            (re.compile(pattern.replace("(?<", "(?P<")), re.sub(r"\$\{(\w+)\}", r"\\g<\1>", value))
            for pattern, value in MAP_LINE.findall(body)
        ]
    return maps


def nginx_map(rules, value):
    """nginx's map: the first regex that matches gives the value; otherwise it is unchanged."""
    for pattern, replacement in rules:
        if pattern.search(value):
            return pattern.sub(replacement, value, count=1)
    return value


@pytest.mark.parametrize(
    "variable, logged, redacted",
    [
        (
            "request",
            f"GET /letters/confirm/{TOKEN}/ HTTP/1.1",
            "GET /letters/confirm/[token]/ HTTP/1.1",
        ),
        (
            "request",
            f"POST /letters/confirm/{TOKEN}/?x=1 HTTP/2.0",
            "POST /letters/confirm/[token]/?x=1 HTTP/2.0",
        ),
        (
            "request",
            f"GET /campaigns/stop-it/letters/{KEY}/print/ HTTP/1.1",
            "GET /campaigns/stop-it/letters/[key]/print/ HTTP/1.1",
        ),
        (
            "http_referer",
            f"https://act.example.org/campaigns/stop-it/letters/{KEY}/",
            "https://act.example.org/campaigns/stop-it/letters/[key]/",
        ),
        (
            "http_referer",
            f"https://act.example.org/letters/confirm/{TOKEN}/",
            "https://act.example.org/letters/confirm/[token]/",
        ),
        (
            "request",
            "GET /campaigns/stop-it/write/?postcode=SW1A+0AA HTTP/1.1",
            "GET /campaigns/stop-it/write/?postcode=SW1A+0AA HTTP/1.1",
        ),
        ("http_referer", "https://act.example.org/stories/", "https://act.example.org/stories/"),
    ],
)
def test_the_documented_nginx_format_redacts_tokens_and_keys(variable, logged, redacted):
    maps = documented_nginx_maps()

    assert set(maps) == {"request", "http_referer"}
    assert nginx_map(maps[variable], logged) == redacted
