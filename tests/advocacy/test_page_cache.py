"""The page cache: which requests it answers, what it stores, and what a hit looks like.

A hit is told from a miss by changing a row behind the cache's back (an ``update()`` that no
staff action would make): a hit still shows the old text.
"""

import gzip

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache_version import content_version, content_version_bump
from core.models import SharePreview
from core.publishing import Status
from core.share_previews import share_preview_create
from core.workflow import item_transition
from stories.models import Story
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_country, make_prayer_request, make_story, make_watch_list
from tests.support.html import content
from tests.support.queries import (
    CAMPAIGN_DETAIL_QUERIES,
    HOME_QUERIES,
    STORY_DETAIL_QUERIES,
    STORY_LIST_QUERIES,
)
from tests.support.workflow import member_of

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
# A hit reads the content version: one primary-key query (core.cache_version says why).
HIT_QUERIES = 1
# A miss reads the version too, then makes the page as it would without the cache.
MISS_EXTRA_QUERIES = 1


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    return caches["pages"]


@pytest.fixture
def story(page_cache):
    made = make_story(title="Shelter on the long road south")
    content_version()  # the version row exists, as it does on a site that has served a page
    return made


def retitled_behind_the_cache(story, title="Retitled behind the back of the cache"):
    Story.objects.filter(pk=story.pk).update(title=title)
    return title


def test_a_second_anonymous_visit_is_served_from_the_cache(client, story):
    first = client.get(story.get_absolute_url())
    retitled_behind_the_cache(story)

    second = client.get(story.get_absolute_url())

    assert second.status_code == 200
    assert "Shelter on the long road south" in content(second)
    assert second.content == first.content


def test_a_hit_carries_every_header_of_the_miss(client, story):
    first = client.get(story.get_absolute_url(), **GZIP)
    second = client.get(story.get_absolute_url(), **GZIP)

    assert dict(second.items()) == dict(first.items())
    for header in ("Content-Security-Policy", "Cache-Control", "Vary", "X-Frame-Options"):
        assert second[header] == first[header], header
    assert "public" in second["Cache-Control"]


def test_a_hit_makes_one_query_the_content_version(client, story, django_assert_num_queries):
    client.get(story.get_absolute_url())

    with django_assert_num_queries(HIT_QUERIES):
        client.get(story.get_absolute_url())


@pytest.mark.parametrize(
    ("name", "pin"),
    [
        ("story", STORY_DETAIL_QUERIES),
        ("campaign", CAMPAIGN_DETAIL_QUERIES),
        ("home", HOME_QUERIES),
        ("listing", STORY_LIST_QUERIES),
    ],
)
def test_a_miss_costs_one_query_more_than_the_page_without_the_cache(
    client, story, settings, django_assert_max_num_queries, name, pin, mp
):
    country = make_country()
    make_watch_list(2025, 3, countries=[country, make_country(), make_country()])
    campaign = make_campaign()
    make_prayer_request()
    url = {
        "story": story.get_absolute_url(),
        "campaign": campaign.get_absolute_url(),
        "home": "/",
        "listing": "/stories/",
    }[name]
    settings.PAGE_CACHE_SECONDS = 0
    uncached = queries_made(lambda: client.get(url))
    settings.PAGE_CACHE_SECONDS = 60

    with django_assert_max_num_queries(pin + MISS_EXTRA_QUERIES):
        miss = queries_made(lambda: client.get(url))
    hit = queries_made(lambda: client.get(url))

    assert miss == uncached + MISS_EXTRA_QUERIES
    assert hit == HIT_QUERIES


def queries_made(request) -> int:
    with CaptureQueriesContext(connection) as context:
        assert request().status_code == 200
    return len(context)


def test_head_is_served_from_the_get_entry_with_its_headers_and_no_body(client, story):
    first = client.get(story.get_absolute_url())
    retitled_behind_the_cache(story)

    head = client.head(story.get_absolute_url())

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(first.content))
    assert head["ETag"] == first["ETag"]


def test_a_hit_answers_a_matching_etag_with_304(client, story):
    first = client.get(story.get_absolute_url())

    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_the_query_string_is_part_of_the_key(client, story, page_cache):
    client.get("/stories/")
    title = retitled_behind_the_cache(story)

    assert title not in content(client.get("/stories/"))
    assert title in content(client.get("/stories/?page=1"))


def test_the_host_is_part_of_the_key(client, story):
    client.get(story.get_absolute_url(), HTTP_HOST="localhost")
    title = retitled_behind_the_cache(story)

    assert title in content(client.get(story.get_absolute_url(), HTTP_HOST="127.0.0.1"))


def test_a_session_or_messages_cookie_bypasses_the_cache(client, story, settings):
    client.get(story.get_absolute_url())
    title = retitled_behind_the_cache(story)

    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        visitor = Client()
        visitor.cookies[cookie] = "anything"
        assert title in content(visitor.get(story.get_absolute_url())), cookie


def test_a_csrftoken_cookie_alone_still_gets_the_cached_page(client, story, settings):
    client.get(story.get_absolute_url())
    title = retitled_behind_the_cache(story)
    visitor = Client()
    visitor.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32

    assert title not in content(visitor.get(story.get_absolute_url()))


def test_staff_never_get_or_fill_the_cached_page(client, staff_client, story):
    client.get(story.get_absolute_url())
    title = retitled_behind_the_cache(story)

    staff_page = staff_client.get(story.get_absolute_url())
    assert title in content(staff_page)
    assert "private" in staff_page["Cache-Control"]

    assert title not in content(client.get(story.get_absolute_url()))  # still the old entry


def test_staff_pages_are_not_stored_for_the_public(client, staff_client, story):
    staff_client.get(story.get_absolute_url())  # made for staff, private: never stored
    title = retitled_behind_the_cache(story)

    assert title in content(client.get(story.get_absolute_url()))


def test_a_page_with_a_csrf_form_is_never_stored(client, page_cache):
    prayer = make_prayer_request(title="Pray for the church in the north")
    content_version()
    first = client.get(prayer.get_absolute_url())
    assert "csrfmiddlewaretoken" in content(first)
    prayer.__class__.objects.filter(pk=prayer.pk).update(title="Pray for the church, retitled")

    assert "retitled" in content(Client().get(prayer.get_absolute_url()))


def test_a_post_is_never_answered_from_the_cache(client, story):
    assert client.get(story.get_absolute_url()).status_code == 200

    assert client.post(story.get_absolute_url()).status_code == 405  # the view answered


def test_error_pages_are_never_stored(client, story):
    assert client.get("/stories/no-such-story/").status_code == 404
    make_story(slug="no-such-story", title="Arrived since")

    assert client.get("/stories/no-such-story/").status_code == 200


def test_a_taken_down_page_answers_410_and_is_not_stored(client, story):
    writer = member_of("Editors", "writer")
    client.get(story.get_absolute_url())
    item_transition(story, step="take_down", by=writer)
    assert client.get(story.get_absolute_url()).status_code == 410
    Story.objects.filter(pk=story.pk).update(status=Status.PUBLISHED)
    content_version_bump()

    assert client.get(story.get_absolute_url()).status_code == 200


def test_share_preview_pages_are_never_stored(client, story):
    link, token = share_preview_create(item=story, by=member_of("Editors", "writer"))
    url = f"/preview/{token}/"
    first = client.get(url)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    SharePreview.objects.filter(pk=link.pk).update(revoked_at=timezone.now())

    assert Client().get(url).status_code != 200


def test_with_the_cache_off_nothing_is_stored(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(story.get_absolute_url())
    title = retitled_behind_the_cache(story)

    assert title in content(client.get(story.get_absolute_url()))


def test_a_public_page_is_gzipped_for_a_browser_that_accepts_it(client, story):
    plain = client.get(story.get_absolute_url())
    zipped = client.get(story.get_absolute_url(), **GZIP)

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert zipped["Content-Length"] == str(len(zipped.content))
    assert len(zipped.content) < len(plain.content)
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == "W/" + plain["ETag"]


def test_the_gzipped_page_is_stored_gzipped(client, story):
    first = client.get(story.get_absolute_url(), **GZIP)
    retitled_behind_the_cache(story)

    again = client.get(story.get_absolute_url(), **GZIP)

    assert again["Content-Encoding"] == "gzip"
    assert again.content == first.content


def test_a_browser_without_gzip_gets_its_own_plain_entry(client, story):
    client.get(story.get_absolute_url(), **GZIP)
    title = retitled_behind_the_cache(story)

    plain = client.get(story.get_absolute_url())

    assert "Content-Encoding" not in plain
    assert title in content(plain)


def test_pages_with_a_csrf_token_are_never_compressed(client, page_cache):
    response = client.get(make_prayer_request().get_absolute_url(), **GZIP)

    assert "csrfmiddlewaretoken" in content(response)
    assert "Content-Encoding" not in response


def test_staff_pages_are_never_compressed(staff_client, story):
    assert "Content-Encoding" not in staff_client.get(story.get_absolute_url(), **GZIP)
    assert "Content-Encoding" not in staff_client.get("/admin/", **GZIP)


def test_compression_works_with_the_cache_off_and_can_be_switched_off(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get(story.get_absolute_url(), **GZIP)["Content-Encoding"] == "gzip"

    settings.PAGE_COMPRESSION = False
    assert "Content-Encoding" not in client.get(story.get_absolute_url(), **GZIP)
