"""Logs: one line per event, and no token, letters-page key or email address in them."""

import json
import logging
import sys

import pytest

from advocacy.logs import OneLineJsonFormatter, redact


def formatted(message, *args, exc_info=None):
    record = logging.LogRecord("advocacy", logging.WARNING, __file__, 1, message, args, exc_info)
    return OneLineJsonFormatter().format(record)


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Not Found: /letters/confirm/AbC-123_xyz/", "/letters/confirm/[token]", "AbC-123_xyz"),
        ("GET /campaigns/stop/letters/IjE0:1x:Zz/print/", "/letters/[key]/print/", "IjE0:1x:Zz"),
        ("Could not mail jane.doe+x@example.org", "Could not mail [email]", "jane.doe"),
    ],
)
def test_secrets_and_addresses_are_redacted(text, kept, gone):
    assert kept in redact(text) and gone not in redact(text)


def test_each_event_is_one_line_of_json_even_with_a_traceback():
    try:
        raise ValueError("bad\nthing for jane@example.org")
    except ValueError:
        line = formatted("Failed for %s", "jo@example.org", exc_info=sys.exc_info())
    assert "\n" not in line
    event = json.loads(line)
    assert event["level"] == "WARNING" and event["message"] == "Failed for [email]"
    assert "ValueError" in event["error"] and "example.org" not in line


@pytest.mark.django_db
def test_a_404_on_a_confirmation_link_logs_no_token(client, settings):
    settings.DEBUG = False
    stream = []
    handler = logging.Handler()
    handler.setFormatter(OneLineJsonFormatter())
    handler.emit = lambda record: stream.append(handler.format(record))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/letters/confirm/S3cr3tT0ken/")
    finally:
        logger.removeHandler(handler)
    assert stream and all("S3cr3tT0ken" not in line for line in stream)


def test_an_email_address_written_with_a_percent_escape_is_redacted():
    line = redact("GET /representatives/?email=Jane.Doe%40Example.org&page=2")

    assert "Jane.Doe" not in line and "Example.org" not in line
    assert "[email]" in line
