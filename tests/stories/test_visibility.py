"""Who sees what: the public sees published items only; staff preview the rest."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.publishing import Status
from tests.support.factories import make_prayer_request, make_spokesperson, make_story
from tests.support.html import card_titles, content, links, page_text, text

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


PREVIEW_BANNER = "Preview: this page is not published, so the public cannot see it."
HIDDEN = [
    {"status": Status.DRAFT},
    {"status": Status.REVIEW},
    {"status": Status.SAFEGUARDING},
    {"published_at": NOW + timedelta(days=1)},
]
HIDDEN_IDS = ["draft", "review", "safeguarding", "scheduled"]


@pytest.mark.parametrize("make", [make_story, make_spokesperson, make_prayer_request])
@pytest.mark.parametrize("hidden", HIDDEN, ids=HIDDEN_IDS)
def test_unpublished_pages_are_404_for_the_public(client, make, hidden):
    item = make(**hidden)

    assert client.get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("make", [make_story, make_spokesperson, make_prayer_request])
@pytest.mark.parametrize("hidden", HIDDEN, ids=HIDDEN_IDS)
def test_staff_preview_unpublished_pages_with_a_banner(staff_client, make, hidden):
    item = make(**hidden)

    assert PREVIEW_BANNER in page_text(staff_client, item.get_absolute_url())


def test_staff_see_no_banner_on_published_pages(staff_client):
    assert PREVIEW_BANNER not in page_text(staff_client, make_story().get_absolute_url())


def test_scheduled_story_appears_at_its_time(client, frozen):
    story = make_story(title="Scheduled", published_at=NOW + timedelta(hours=2))
    assert client.get(story.get_absolute_url()).status_code == 404

    frozen.shift(timedelta(hours=2))

    assert client.get(story.get_absolute_url()).status_code == 200
    assert card_titles(content(client.get("/stories/"))) == ["Scheduled"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SAFEGUARDING])
def test_an_unapproved_spokesperson_is_not_shown_on_a_public_story(client, staff_client, status):
    person = make_spokesperson(name="Awaiting Approval", status=status)
    story = make_story(spokespeople=[person])

    page = content(client.get(story.get_absolute_url()))

    assert "Awaiting Approval" not in text(page)
    assert person.get_absolute_url() not in links(page)
    assert "Awaiting Approval" in page_text(staff_client, story.get_absolute_url())


def test_an_unpublished_prayer_request_is_not_shown_on_a_public_story(client, staff_client):
    prayer = make_prayer_request(points=["Not yet approved."], status=Status.REVIEW)
    story = make_story(prayer_request=prayer)

    page = content(client.get(story.get_absolute_url()))

    assert "Not yet approved." not in text(page)
    assert prayer.get_absolute_url() not in links(page)
    assert "Not yet approved." in page_text(staff_client, story.get_absolute_url())
