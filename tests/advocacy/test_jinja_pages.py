"""The four public pages on Jinja2 write the pages their Django templates wrote.

Each page below is compared with its copy in ``pages/``, written by the Django templates these
pages had before they moved to Jinja2 (story_detail.html, campaign_detail.html, home.html and
story_list.html with their includes), from the same data at the same moment. The parsed pages
must be the same: the same elements, attributes, text, links, JSON-LD and meta tags, with only
whitespace and the spelling of character references allowed to differ (markupsafe writes
``&#39;`` where Django wrote ``&#x27;``).

A change to a page's markup that is meant changes its copy too: ``PIN_PAGES=1`` writes the
pages as they are now, for the diff to show what changed.
"""

import itertools
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from uuid import UUID

import pytest
import time_machine

from campaigns.models.parliaments import COMMONS, DAIL, HOLYROOD
from core.publishing import Status
from images import pipeline
from tests.support.campaign_factories import make_campaign, make_motion, parliament
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_watch_list,
)
from tests.support.html import content, markup_tree
from tests.support.pictures import a_photo

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parent / "pages"
NOW = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
# Text that escaping must get right, in every field a page shows.
AWKWARD = 'Kim\'s "first" <b>day</b> & after'


@pytest.fixture(autouse=True)
def same_every_run(monkeypatch):
    """The same moment and the same pictures' names on every run, as the pinned pages were."""
    numbers = itertools.count(1)
    names = SimpleNamespace(uuid4=lambda: UUID(int=next(numbers)))
    monkeypatch.setattr(pipeline, "uuid", names)
    with time_machine.travel(NOW, tick=False):
        yield


def assert_pinned(client, name, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    page = content(response)
    pinned = PAGES / f"{name}.html"
    if os.environ.get("PIN_PAGES"):
        pinned.write_text(page)
    assert markup_tree(page) == markup_tree(pinned.read_text())
    return page


def hours_ago(hours):
    return NOW - timedelta(hours=hours)


def country(slug, name=None):
    return make_country(slug=slug, name=name or slug.title())  # the code is not shown


def person(slug, name, **fields):
    fields = {"biography": f"About {name}.", "role": f"Role of {name}", **fields}
    return make_spokesperson(slug=slug, name=name, **fields)


def prayer(slug, points=("Pray for courage.", "Pray for safety.")):
    title = f"Prayer {slug} {AWKWARD}"
    return make_prayer_request(slug=slug, title=title, points=points, published_at=hours_ago(5))


def story(slug, hours=1, **fields):
    defaults = {
        "title": f"Story {slug}",
        "standfirst": f"Standfirst of {slug}.",
        "body": f"<h2>{slug}</h2><p>Body of {slug}.</p>",
        "published_at": hours_ago(hours),
    }
    return make_story(slug=slug, **{**defaults, **fields})


def campaign(slug, **fields):
    defaults = {"title": f"Campaign {slug}", "published_at": hours_ago(3)}
    return make_campaign(slug=slug, **{**defaults, **fields})


@pytest.fixture
def full_story():
    """A story with everything its page can show."""
    hidden = person("kim", "Kim Soyeon", name_changed=True, role="")
    pastor = person("ahmed", "Pastor Ahmed", biography=" ".join(["word"] * 80))
    full = story(
        "full",
        title=AWKWARD,
        standfirst=f"Standfirst: {AWKWARD}",
        seo_title="",
        seo_description=f"Description: {AWKWARD}",
        body="<h2>First</h2><p>One &amp; <em>two</em>.</p><h2>Second</h2><p>Three</p>",
        countries=[country("syria"), country("awkward", AWKWARD)],
        spokespeople=[hidden, pastor],
        pull_quotes=[(f"Quote {AWKWARD}", hidden), "An unnamed quote", "A third quote"],
        hero_image=a_photo(),
        hero_alt=f"Alt {AWKWARD}",
        hero_caption=f"Caption {AWKWARD}",
        hero_credit="Open Doors",
        prayer_request=prayer("for-full", points=(f"Point {AWKWARD}", "Second point")),
    )
    linked = campaign("linked", title=f"Campaign {AWKWARD}", summary=f"Summary {AWKWARD}")
    linked.stories.add(full)
    return full


def test_a_story_with_everything(client, full_story):
    page = assert_pinned(client, "story_full", full_story.get_absolute_url())
    assert "name changed for security reasons" in page
    assert 'type="application/ld+json"' in page
    assert "<picture><source" in page


def test_a_plain_story(client):
    plain = story("plain", seo_title="SEO title", body="", hero_image=a_photo())
    plain.hero_decorative = True
    plain.save()
    assert_pinned(client, "story_plain", plain.get_absolute_url())


def test_a_story_followed_from_a_shared_link(client, full_story):
    url = full_story.get_absolute_url()
    assert_pinned(client, "story_shared", url, utm_source="x", fbclid="y")


def test_a_story_previewed_by_staff(staff_client):
    draft = story("draft", status=Status.DRAFT, title=AWKWARD)
    page = assert_pinned(staff_client, "story_preview", draft.get_absolute_url())
    assert "preview-banner" in page


@pytest.fixture
def full_campaign():
    """A campaign with actions, a parliament dissolved for an election, a spokesperson whose
    name is changed, a prayer request, and stories (the first one's picture is shared)."""
    holyrood = parliament(HOLYROOD)
    holyrood.dissolved_on = date(2026, 5, 29)
    holyrood.save()
    full = campaign(
        "full",
        parliaments=(COMMONS, HOLYROOD, DAIL),
        title=AWKWARD,
        summary=f"Summary {AWKWARD}",
        ask=f"Ask {AWKWARD}",
        why_it_matters=f"First {AWKWARD}\n\nSecond line\nthird",
        share_text=f"Share {AWKWARD}",
        during_election="candidates",
        letter_count=57,
        goal=100,
        spokesperson=person("kim", "Kim Soyeon", name_changed=True),
        prayer_request=prayer("for-campaign"),
    )
    motion = f"Motion {AWKWARD}"
    make_motion(full, HOLYROOD, title=motion, tabled_by="A Member", date=date(2025, 3, 1))
    make_motion(full, HOLYROOD, title="Old", reference="S6M-1", session=6, link="https://x.org/")
    make_motion(full, COMMONS, kind="edm", reference="", title="An EDM", date=None)
    pictured = story("pictured", title="With a picture", hero_image=a_photo(), hero_alt="Alt")
    full.stories.add(pictured, story("second", hours=2))
    return full


def test_a_campaign_with_everything(client, full_campaign):
    page = assert_pinned(client, "campaign_full", full_campaign.get_absolute_url())
    assert "election-notice" in page
    assert "Dáil constituency" in page


def test_a_campaign_followed_from_a_coded_link(client, full_campaign):
    url = full_campaign.get_absolute_url()
    page = assert_pinned(client, "campaign_coded", url, source="church-news")
    assert 'name="source" value="church-news"' in page


@pytest.mark.parametrize("letters", [0, 1, 250])
def test_a_campaign_with_no_letter_one_or_many(client, letters):
    counted = campaign("counted", letter_count=letters, goal=200)
    counted.stories.add(story("read"))
    assert_pinned(client, f"campaign_{letters}_letters", counted.get_absolute_url())


def test_a_closed_campaign_paused_for_an_election(client):
    commons = parliament(COMMONS)
    commons.dissolved_on = NOW.date()
    commons.save()
    closed = campaign("closed", published_at=hours_ago(48), closes_at=hours_ago(24), share_text="")
    page = assert_pinned(client, "campaign_closed", closed.get_absolute_url())
    assert "This campaign has closed" in page


def test_the_home_page(client, full_story):
    campaign("live", title=f"Live {AWKWARD}")
    prayer("home")
    ranked = [country(f"ranked-{rank}") for rank in range(12)]
    make_watch_list(2026, 12, ranked)
    for number in range(5):
        story(f"home-{number}", hours=2 + number, countries=[ranked[number]])
    page = assert_pinned(client, "home_full", "/")
    assert "booklet-offer" in page


def test_an_empty_home_page(client):
    assert_pinned(client, "home_empty", "/")


@pytest.fixture
def many_stories():
    syria, awkward = country("syria"), country("awkward", AWKWARD)
    for number in range(23):
        title = f"{AWKWARD} {number}"
        story(
            f"listed-{number}",
            hours=1 + number,
            title=title,
            countries=[syria, awkward][: 1 + number % 2],
        )
    return syria, awkward


@pytest.mark.parametrize("page", [None, 1, 2, 3])
def test_the_story_list(client, many_stories, page):
    params = {} if page is None else {"page": page}
    assert_pinned(client, f"listing_page_{page or 'first'}", "/stories/", **params)


@pytest.mark.parametrize("page", [1, 2])
def test_the_story_list_of_one_country(client, many_stories, page):
    _, awkward = many_stories
    name = f"listing_country_page_{page}"
    assert "selected" in assert_pinned(client, name, "/stories/", country=awkward.slug, page=page)


def test_an_empty_story_list(client):
    empty = country("empty")
    assert_pinned(client, "listing_empty", "/stories/")
    assert_pinned(client, "listing_empty_country", "/stories/", country=empty.slug)
