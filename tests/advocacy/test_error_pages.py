"""The error pages: in the site's layout, with a search box and ways back, never indexed or
stored, and the 500 page rendered with the database down."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from advocacy import errors, views
from tests.support.factories import make_prayer_request, make_story
from tests.support.html import content, select, select_one, text
from tests.support.workflow import item_transition, member_of

pytestmark = pytest.mark.django_db

WAYS_BACK = {"/", "/stories/", "/world-watch-list/", "/campaigns/"}


def assert_error_page(response, status, heading):
    html = content(response)
    assert response.status_code == status
    assert select_one(html, "html")["lang"] == "en-GB"
    assert select_one(html, "meta[name=viewport]") is not None
    assert select_one(html, "meta[name=robots]")["content"] == "noindex"
    assert select_one(html, "link[rel=canonical]") is None  # an error is nobody's address
    assert select_one(html, "header.site-header nav") is not None
    assert text(str(select_one(html, "h1"))) == heading
    search = select_one(html, "form[role=search]")
    assert (search["method"], search["action"]) == ("get", "/search/")
    field = select_one(html, "form[role=search] input[name=q]")
    assert select_one(html, f"label[for={field['id']}]") is not None
    assert {link["href"] for link in select(html, "ul.ways-back a")} >= WAYS_BACK
    assert "no-store" in response["Cache-Control"]


def test_a_missing_page_is_the_styled_404(client):
    response = client.get("/no-such-page/")

    assert_error_page(response, 404, "We cannot find this page")


def test_a_missing_story_is_the_styled_404(client):
    response = client.get("/stories/not-written-yet/")

    assert_error_page(response, 404, "We cannot find this page")


def test_a_taken_down_story_is_410_with_the_same_ways_back(client):
    story = make_story(title="Church raided at dawn")
    item_transition(story, step="take_down", by=member_of("Editors", "writer"))

    response = client.get(story.get_absolute_url())

    assert_error_page(response, 410, "This page has been removed")


def test_a_refused_page_is_the_styled_403(admin_client):
    response = admin_client.get(reverse("admin:campaigns_letter_add"))

    assert_error_page(response, 403, "You cannot see this page")


def test_the_400_handler_answers_in_the_layout(rf):
    response = errors.bad_request(rf.get("/"))

    assert_error_page(response, 400, "We could not read your request")


def test_a_form_without_its_csrf_token_gets_a_page_that_says_what_to_do():
    prayer = make_prayer_request()

    response = Client(enforce_csrf_checks=True).post(reverse("stories:prayed", args=[prayer.slug]))

    assert_error_page(response, 403, "Your form could not be sent")
    words = text(content(response))
    assert "Nothing was sent and nothing was kept" in words
    assert "Reload the form page" in words


@pytest.fixture
def broken_page(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.HomeView, "get", fail)


@pytest.fixture
def no_database(monkeypatch):
    def refuse(self):
        raise OperationalError("the database is down")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", lambda self: refuse(self))


def test_an_error_in_a_page_is_the_styled_500(broken_page):
    response = Client(raise_request_exception=False).get("/")

    assert_error_page(response, 500, "Something went wrong on our side")


def test_the_500_page_needs_no_database(rf, no_database):
    response = errors.server_error(rf.get("/"))

    assert_error_page(response, 500, "Something went wrong on our side")


def test_a_page_asked_for_while_the_database_is_down_is_the_styled_500(no_database):
    response = Client(raise_request_exception=False).get("/stories/")

    assert_error_page(response, 500, "Something went wrong on our side")


@pytest.mark.parametrize("address", ["/no-such-page/", "/stories/not-written-yet/"])
def test_an_error_page_is_never_stored_by_the_page_cache(client, settings, address):
    settings.PAGE_CACHE_SECONDS = 60
    client.get(address)
    make_story(slug="not-written-yet")  # published now: a stored 404 would hide it

    assert client.get("/stories/not-written-yet/").status_code == 200
