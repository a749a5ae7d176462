"""The page cache's front door: cached pages answered in front of Django, as the stack made them.

Pages are stored by a first request through the whole stack (the test client); the front door
is then called as gunicorn calls ``advocacy.wsgi.application``, around a Django handler that
counts the requests it is given, so a hit is told from a miss by Django never running.
"""

import contextlib
import gzip
import logging
import socket

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from advocacy.page_cache import PageCacheFrontDoor
from core.cache_version import content_version, content_version_bump
from stories.models import Story
from tests.support.factories import make_story

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


class CountingDjango:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.requests = 0

    def __call__(self, environ, start_response):
        self.requests += 1
        return self.handler(environ, start_response)


class Answer:
    """What a WSGI application answered: status line, headers and the bytes of the body.

    Called as Django's test client calls its handler: the test's transaction is not a
    database connection for the request's signals to close.
    """

    def __init__(self, application, environ):
        def start_response(status, headers, exc_info=None):
            self.status, self.headers = status, headers

        with connections_left_open():
            chunks = application(environ, start_response)
            self.body = b"".join(chunks)
            getattr(chunks, "close", lambda: None)()  # as a server does: Django's signals run


@contextlib.contextmanager
def connections_left_open():
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


@pytest.fixture
def django():
    return CountingDjango()


@pytest.fixture
def front_door(settings, django):
    settings.PAGE_CACHE_SECONDS = 60
    return PageCacheFrontDoor(django)


@pytest.fixture
def story(front_door):
    made = make_story(title="Shelter on the long road south")
    content_version()  # the version row exists, as it does on a site that has served a page
    return made


def environ(path, method="GET", **headers):
    return RequestFactory().generic(method, path, **headers).environ


def retitled_behind_the_cache(story):
    Story.objects.filter(pk=story.pk).update(title="Retitled behind the back of the cache")


def test_a_stored_page_is_answered_without_django_with_its_status_headers_and_bytes(
    client, front_door, django, story
):
    stored = client.get(story.get_absolute_url(), **GZIP)
    retitled_behind_the_cache(story)

    with CaptureQueriesContext(connection) as queries:
        answer = Answer(front_door, environ(story.get_absolute_url(), **GZIP))

    assert django.requests == 0
    assert len(queries) == 1  # the content version
    assert answer.status == "200 OK"
    assert answer.headers == list(stored.items())
    assert answer.body == stored.content
    assert b"Shelter on the long road south" in gzip.decompress(answer.body)


def test_each_encoding_gets_its_own_page(client, front_door, django, story):
    client.get(story.get_absolute_url(), **GZIP)
    plain = client.get(story.get_absolute_url())

    answer = Answer(front_door, environ(story.get_absolute_url()))

    assert django.requests == 0
    assert answer.body == plain.content
    assert b"Shelter on the long road south" in answer.body


def test_head_gets_the_headers_of_the_page_and_no_body(client, front_door, django, story):
    stored = client.get(story.get_absolute_url())

    answer = Answer(front_door, environ(story.get_absolute_url(), method="HEAD"))

    assert django.requests == 0
    assert answer.body == b""
    assert dict(answer.headers)["Content-Length"] == str(len(stored.content))


def test_after_a_change_django_makes_the_page_and_stores_it_for_the_next(
    client, front_door, django, story
):
    client.get(story.get_absolute_url())
    retitled_behind_the_cache(story)
    content_version_bump()

    made = Answer(front_door, environ(story.get_absolute_url()))
    again = Answer(front_door, environ(story.get_absolute_url()))

    assert django.requests == 1
    assert b"Retitled behind the back of the cache" in made.body
    assert again.body == made.body


def test_a_miss_reads_the_version_once(client, front_door, story, settings):
    url = story.get_absolute_url()
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as uncached:
        Answer(front_door, environ(url))
    settings.PAGE_CACHE_SECONDS = 60

    with CaptureQueriesContext(connection) as miss:
        Answer(front_door, environ(url))

    assert len(miss) == len(uncached) + 1


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("POST", {}),
        ("GET", {"HTTP_COOKIE": "sessionid=abc"}),
        ("GET", {"HTTP_COOKIE": "messages=abc"}),
        ("GET", {"HTTP_IF_NONE_MATCH": '"abc"'}),
        ("GET", {"HTTP_IF_MODIFIED_SINCE": "Sun, 06 Dec 2026 10:00:00 GMT"}),
    ],
)
def test_requests_the_cache_does_not_answer_alone_go_to_django(
    client, front_door, django, story, method, headers
):
    client.get(story.get_absolute_url())

    Answer(front_door, environ(story.get_absolute_url(), method=method, **headers))

    assert django.requests == 1


def test_a_conditional_request_is_answered_by_the_cache_behind_the_door(
    client, front_door, django, story
):
    stored = client.get(story.get_absolute_url())
    retitled_behind_the_cache(story)

    answer = Answer(front_door, environ(story.get_absolute_url(), HTTP_IF_NONE_MATCH="nope"))

    assert django.requests == 1
    assert answer.body == stored.content  # the middleware's hit, not a fresh page


def test_with_the_cache_off_nothing_is_read_before_django(front_door, django, story, settings):
    settings.PAGE_CACHE_SECONDS = 0

    with CaptureQueriesContext(connection) as queries:
        Answer(front_door, environ("/"))

    assert django.requests == 1
    assert not any("contentversion" in query["sql"] for query in queries)


def test_a_request_the_front_door_looks_up_is_a_request_started(client, front_door, story):
    client.get(story.get_absolute_url())
    started = []

    def receiver(sender, environ, **kwargs):
        started.append(environ["PATH_INFO"])

    request_started.connect(receiver)
    try:
        Answer(front_door, environ(story.get_absolute_url()))
    finally:
        request_started.disconnect(receiver)

    assert started == [story.get_absolute_url()]


def test_the_site_is_served_through_the_front_door():
    from advocacy import wsgi

    assert isinstance(wsgi.application, PageCacheFrontDoor)


@pytest.fixture
def pages_in_a_redis_that_is_down(settings):
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]  # free now, and nothing listens after this
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": settings.REDIS_OPTIONS,
        },
    }
    yield
    caches["pages"].close()


def test_an_outage_costs_one_read_a_request_not_two(
    front_door, pages_in_a_redis_that_is_down, caplog
):
    with caplog.at_level(logging.WARNING, logger="advocacy.page_cache"):
        answer = Answer(front_door, environ("/"))

    warnings = [record for record in caplog.records if record.name == "advocacy.page_cache"]
    assert answer.status == "200 OK"
    assert [record.getMessage() for record in warnings] == [
        "The page cache could not read: pages are made fresh for a while"
    ]
