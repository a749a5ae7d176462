"""Every change staff make, and every scheduled moment, is on the cached pages at once.

Each journey runs twice: pages in each process's memory (the version in the database) and
pages in Redis (the version beside them). Counters may lag, by at most PAGE_CACHE_SECONDS.
"""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from core.admin_urls import admin_url
from core.cache_version import content_version, content_version_bump
from core.publishing import Status
from core.workflow import item_transition
from safeguarding.guard import withheld_names_record, withheld_take_down
from stories.models import Story
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_story
from tests.support.html import content
from tests.support.redis import PAGES_REDIS_URL, redis_or_skip
from tests.support.workflow import change_form, client_for, member_of, publish_as_another_editor

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = 60
    if request.param == "redis":
        redis_or_skip()
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": PAGES_REDIS_URL,
                "OPTIONS": settings.REDIS_OPTIONS,
            },
        }
    caches["pages"].clear()
    content_version()  # as on a site that has served a page
    yield request.param
    caches["pages"].clear()


@pytest.fixture
def editor():
    return member_of("Editors", "writer")


def served_twice(client, url) -> str:
    """The page, once made and once from the cache (the same, or the cache is not at work)."""
    first = content(client.get(url))
    assert content(client.get(url)) == first
    return first


def test_publishing_a_story_puts_it_on_the_cached_listing_at_once(client, page_cache):
    story = make_story(title="Arrested at the border", status=Status.DRAFT)
    assert "Arrested at the border" not in served_twice(client, "/stories/")

    publish_as_another_editor(story)

    assert "Arrested at the border" in content(client.get("/stories/"))


def test_an_edit_in_the_admin_is_on_the_cached_page_before_it_answers(client, page_cache, editor):
    story = make_story(title="Shelter on the long road south")
    assert "Shelter on the long road south" in served_twice(client, story.get_absolute_url())
    staff = client_for(editor)
    fields = change_form(staff, story) | {"title": "Shelter on the road south"}

    answer = staff.post(admin_url(story, "change", story.pk), fields)

    assert answer.status_code == 302
    assert "Shelter on the road south" in content(client.get(story.get_absolute_url()))


def test_a_take_down_is_off_every_cached_page_at_once(client, page_cache, editor):
    story = make_story(title="Church raided at dawn")
    pages = [story.get_absolute_url(), "/stories/", "/"]
    for url in pages:
        served_twice(client, url)

    item_transition(story, step="take_down", by=editor)

    assert client.get(story.get_absolute_url()).status_code == 410
    for url in pages[1:]:
        assert "Church raided at dawn" not in content(client.get(url)), url


def test_a_take_down_from_the_admin_list_is_off_the_cached_page(client, page_cache, editor):
    story = make_story(title="Church raided at dawn")
    served_twice(client, "/stories/")
    staff = client_for(editor)
    data = {"action": "take_down", "_selected_action": [story.pk]}

    staff.post(reverse("admin:stories_story_changelist"), data)

    assert Story.objects.get(pk=story.pk).status != Status.PUBLISHED
    assert "Church raided at dawn" not in content(client.get("/stories/"))


def test_a_deletion_in_the_admin_is_off_the_cached_page(client, page_cache):
    admin = member_of("Editors", "boss")
    admin.is_superuser = True
    admin.save()
    story = make_story(title="Pastor Daniel Okafor speaks")
    assert "Pastor Daniel Okafor" in served_twice(client, "/stories/")
    staff = client_for(admin)

    staff.post(admin_url(story, "delete", story.pk), {"post": "yes"})

    assert not Story.objects.filter(pk=story.pk).exists()
    assert "Pastor Daniel Okafor" not in content(client.get("/stories/"))


def test_a_recorded_withheld_name_is_off_every_cached_page_at_once(client, page_cache):
    story = make_story(title="Faith under pressure", standfirst="Kim Minjun leads the church.")
    assert "Kim Minjun" in served_twice(client, story.get_absolute_url())
    assert "Kim Minjun" in served_twice(client, "/stories/")

    withheld_names_record(owner=story, text="Kim Minjun")
    withheld_take_down()

    assert "Kim Minjun" not in content(client.get(story.get_absolute_url()))
    assert "Kim Minjun" not in content(client.get("/stories/"))


def test_a_scheduled_story_appears_at_its_time(client, page_cache, editor):
    due = timezone.now() + timedelta(minutes=10)
    story = make_story(title="Released after two years", status=Status.DRAFT)
    publisher = member_of("Editors", "publisher")
    item_transition(story, step="publish", by=publisher, at=due)  # as the admin schedules
    assert "Released after two years" not in served_twice(client, "/stories/")

    with time_machine.travel(due + timedelta(seconds=1)):
        assert "Released after two years" in content(client.get("/stories/"))


def test_a_campaign_leaves_the_cached_pages_when_it_closes(client, page_cache, mp):
    closes = timezone.now() + timedelta(minutes=10)
    make_campaign(title="Stop the forced returns", closes_at=closes)
    content_version_bump()  # made outside the admin: as any staff change would, move it on
    assert "Stop the forced returns" in served_twice(client, "/campaigns/")

    with time_machine.travel(closes + timedelta(seconds=1)):
        assert "Stop the forced returns" not in content(client.get("/campaigns/"))


def test_the_letter_count_on_a_cached_page_lags_by_at_most_the_cache_seconds(
    client, page_cache, mp, settings
):
    settings.PAGE_CACHE_SECONDS = 1  # as 60 in production: real seconds, so Redis expires too
    campaign = make_campaign(title="Stop the forced returns")
    url = campaign.get_absolute_url()
    served_twice(client, url)
    Campaign.objects.filter(pk=campaign.pk).update(letter_count=1234)  # as each letter does

    assert "1234" not in content(client.get(url))  # counted, not yet shown
    time.sleep(1.2)
    assert "1234" in content(client.get(url))
