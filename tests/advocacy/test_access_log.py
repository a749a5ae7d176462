"""The access log never shows a confirmation token, a letters-page key or an email address."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from advocacy.access_log import RedactingLogger

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zk9tY29uZmlybWF0aW9udG9rZW4"
KEY = "eyJsZXR0ZXJzIjpbMSwyXX0:1t2u3v:abcdefgh"


def access_line(tmp_path, path, referer="-", query=""):
    """What gunicorn writes to its access log for one GET of path."""
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("logger_class", "advocacy.access_log.RedactingLogger")
    logger = RedactingLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.10",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    logger.close_on_exec()
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


@pytest.mark.parametrize(
    "path",
    [f"/letters/confirm/{TOKEN}/", f"/campaigns/stop-forced-returns/letters/{KEY}/"],
)
def test_tokens_and_keys_in_the_path_are_redacted(tmp_path, path):
    line = access_line(tmp_path, path)

    assert TOKEN not in line and KEY not in line
    assert "[token]" in line or "[key]" in line
    assert '"GET /' in line and " 200 " in line  # still a useful line


def test_a_key_in_the_referer_and_an_email_in_the_query_are_redacted(tmp_path):
    line = access_line(
        tmp_path,
        "/campaigns/stop-forced-returns/thank-you/",
        referer=f"https://advocacy.example.org/campaigns/stop-forced-returns/letters/{KEY}/",
        query="email=jane%40example.org&also=jane@example.org",
    )

    assert KEY not in line
    assert "jane@example.org" not in line and "jane%40example.org" not in line


def test_gunicorn_started_in_the_repository_uses_the_redacting_logger():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["logger_class"] == "advocacy.access_log.RedactingLogger"
