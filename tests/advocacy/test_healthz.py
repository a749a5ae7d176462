"""/healthz: 200 when the database and the cache answer, 503 otherwise, and nothing more."""

import uuid

import pytest
from django.core.cache import cache
from django.db import OperationalError

import advocacy.views

pytestmark = pytest.mark.django_db

HEALTH_URLS = ["/healthz", "/health/"]  # /health/ is the older address of the same check


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server db.internal.example:5432")


class _BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis.internal.example:6379")


class _ForgetfulCache:
    """A cache that accepts every write and remembers nothing (full, or misconfigured)."""

    def set(self, *args, **kwargs):
        pass

    def get(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        pass


@pytest.mark.parametrize("url", HEALTH_URLS)
def test_a_healthy_site_answers_ok_and_is_never_cached(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_head_request_is_answered_for_load_balancers_that_send_one(client):
    assert client.head("/healthz").status_code == 200


def test_the_check_leaves_nothing_in_the_cache(client, monkeypatch):
    fixed = uuid.UUID(int=7)
    monkeypatch.setattr(advocacy.views.uuid, "uuid4", lambda: fixed)

    client.get("/healthz")

    assert cache.get(f"healthz:{fixed.hex}", "gone") == "gone"


@pytest.mark.parametrize(
    ("target", "broken"),
    [
        ("connection", _BrokenConnection()),
        ("cache", _BrokenCache()),
        ("cache", _ForgetfulCache()),
    ],
    ids=["database down", "cache down", "cache forgets"],
)
@pytest.mark.parametrize("url", HEALTH_URLS)
def test_a_failure_answers_503_and_names_nothing(client, monkeypatch, target, broken, url):
    monkeypatch.setattr(advocacy.views, target, broken)

    response = client.get(url)

    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "internal.example" not in body and "Error" not in body


def test_a_post_is_refused(client):
    assert client.post("/healthz").status_code == 405
