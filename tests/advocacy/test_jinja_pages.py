"""The four public pages on Jinja2 write the page their Django templates wrote.

Each page is requested twice, the second time with its view choosing Django's templates again,
and the two parsed pages must be the same: the same elements, attributes, text, links, JSON-LD
and meta tags, with only whitespace and the spelling of character references allowed to differ
(markupsafe writes ``&#39;`` where Django writes ``&#x27;``).
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from advocacy.views import HomeView
from campaigns.models.parliaments import COMMONS, DAIL, HOLYROOD
from campaigns.views.campaigns import CampaignDetailView
from core.publishing import Status
from stories.views import StoryDetailView, StoryListView
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

VIEWS = {
    "story": StoryDetailView,
    "campaign": CampaignDetailView,
    "home": HomeView,
    "listing": StoryListView,
}
# Text that escaping must get right, in every field a page shows.
AWKWARD = 'Kim\'s "first" <b>day</b> & after'


def both_renderings(client, monkeypatch, view, url, params):
    """The page as its Jinja2 templates write it, then as its Django templates did."""
    jinja = client.get(url, params)
    assert jinja.status_code == 200, url
    with monkeypatch.context() as patched:
        patched.setattr(VIEWS[view], "template_engine", "django")
        django = client.get(url, params)
    assert django.status_code == 200, url
    assert jinja.templates == []  # Django's test renderer saw no template: Jinja2 wrote it
    assert [template.name for template in django.templates][:1] != []
    return content(jinja), content(django)


def assert_same_page(client, monkeypatch, view, url, **params):
    jinja, django = both_renderings(client, monkeypatch, view, url, params)
    assert markup_tree(jinja) == markup_tree(django)
    return jinja


@pytest.fixture
def full_story():
    """A story with everything its page can show."""
    countries = [make_country(name="Syria"), make_country(name=AWKWARD)]
    hidden = make_spokesperson(name="Kim Soyeon", name_changed=True, role="")
    pastor = make_spokesperson(name="Pastor Ahmed", biography=" ".join(["word"] * 80))
    story = make_story(
        title=AWKWARD,
        standfirst=f"Standfirst: {AWKWARD}",
        seo_title="",
        seo_description=f"Description: {AWKWARD}",
        body="<h2>First</h2><p>One &amp; <em>two</em>.</p><h2>Second</h2><p>Three</p>",
        countries=countries,
        spokespeople=[hidden, pastor],
        pull_quotes=[(f"Quote {AWKWARD}", hidden), "An unnamed quote", "A third quote"],
        hero_image=a_photo(),
        hero_alt=f"Alt {AWKWARD}",
        hero_caption=f"Caption {AWKWARD}",
        hero_credit="Open Doors",
        prayer_request=make_prayer_request(points=(f"Point {AWKWARD}", "Second point")),
    )
    make_campaign(title=f"Campaign {AWKWARD}", summary=f"Summary {AWKWARD}").stories.add(story)
    return story


def test_a_story_with_everything(client, monkeypatch, full_story):
    page = assert_same_page(client, monkeypatch, "story", full_story.get_absolute_url())
    assert "name changed for security reasons" in page
    assert 'type="application/ld+json"' in page
    assert "<picture><source" in page


def test_a_plain_story(client, monkeypatch):
    story = make_story(seo_title="SEO title", body="", hero_image=a_photo(), hero_decorative=True)
    assert_same_page(client, monkeypatch, "story", story.get_absolute_url())


def test_a_story_followed_from_a_shared_link(client, monkeypatch, full_story):
    url = full_story.get_absolute_url()
    assert_same_page(client, monkeypatch, "story", url, utm_source="x", fbclid="y")


def test_a_story_previewed_by_staff(staff_client, monkeypatch):
    draft = make_story(status=Status.DRAFT, title=AWKWARD)
    page = assert_same_page(staff_client, monkeypatch, "story", draft.get_absolute_url())
    assert "preview-banner" in page


@pytest.fixture
def full_campaign():
    """A campaign with actions, a parliament dissolved for an election, a spokesperson whose
    name is changed, a prayer request, and stories (the first one's picture is shared)."""
    holyrood = parliament(HOLYROOD)
    holyrood.dissolved_on = timezone.localdate() - timedelta(days=3)
    holyrood.save()
    campaign = make_campaign(
        parliaments=(COMMONS, HOLYROOD, DAIL),
        title=AWKWARD,
        summary=f"Summary {AWKWARD}",
        ask=f"Ask {AWKWARD}",
        why_it_matters=f"First {AWKWARD}\n\nSecond line\nthird",
        share_text=f"Share {AWKWARD}",
        during_election="candidates",
        letter_count=57,
        goal=100,
        spokesperson=make_spokesperson(name="Kim Soyeon", name_changed=True),
        prayer_request=make_prayer_request(),
    )
    make_motion(
        campaign, HOLYROOD, title=f"Motion {AWKWARD}", tabled_by="A Member", date=date(2025, 3, 1)
    )
    make_motion(
        campaign,
        HOLYROOD,
        title="An old motion",
        reference="S6M-1",
        session=6,
        link="https://x.org/",
    )
    make_motion(campaign, COMMONS, kind="edm", reference="", title="An EDM", date=None)
    campaign.stories.add(make_story(title="With a picture", hero_image=a_photo()), make_story())
    return campaign


def test_a_campaign_with_everything(client, monkeypatch, full_campaign):
    page = assert_same_page(client, monkeypatch, "campaign", full_campaign.get_absolute_url())
    assert "election-notice" in page
    assert "Dáil constituency" in page


def test_a_campaign_followed_from_a_coded_link(client, monkeypatch, full_campaign):
    url = full_campaign.get_absolute_url()
    page = assert_same_page(client, monkeypatch, "campaign", url, source="church-news")
    assert 'name="source" value="church-news"' in page


@pytest.mark.parametrize("letters", [0, 1, 250])
def test_a_campaign_with_one_letter_or_many(client, monkeypatch, letters):
    campaign = make_campaign(letter_count=letters, goal=200)
    campaign.stories.add(make_story())
    assert_same_page(client, monkeypatch, "campaign", campaign.get_absolute_url())


def test_a_closed_campaign_paused_for_an_election(client, monkeypatch):
    commons = parliament(COMMONS)
    commons.dissolved_on = timezone.localdate()
    commons.save()
    now = timezone.now()
    campaign = make_campaign(
        published_at=now - timedelta(days=2), closes_at=now - timedelta(days=1), share_text=""
    )
    page = assert_same_page(client, monkeypatch, "campaign", campaign.get_absolute_url())
    assert "This campaign has closed" in page


def test_the_home_page(client, monkeypatch, full_story):
    make_campaign(title=f"Live {AWKWARD}")
    make_prayer_request(title=f"Prayer {AWKWARD}")
    make_watch_list(2026, 12)
    for _ in range(5):
        make_story(countries=[make_country()])
    page = assert_same_page(client, monkeypatch, "home", "/")
    assert "booklet-offer" in page


def test_an_empty_home_page(client, monkeypatch):
    assert_same_page(client, monkeypatch, "home", "/")


@pytest.fixture
def many_stories():
    syria, iran = make_country(name="Syria"), make_country(name=AWKWARD)
    for number in range(23):
        make_story(title=f"{AWKWARD} {number}", countries=[syria, iran][: 1 + number % 2])
    return syria, iran


@pytest.mark.parametrize("page", [None, 1, 2, 3])
def test_the_story_list(client, monkeypatch, many_stories, page):
    params = {} if page is None else {"page": page}
    assert_same_page(client, monkeypatch, "listing", "/stories/", **params)


@pytest.mark.parametrize("page", [1, 2])
def test_the_story_list_of_one_country(client, monkeypatch, many_stories, page):
    _, iran = many_stories
    listing = assert_same_page(
        client, monkeypatch, "listing", "/stories/", country=iran.slug, page=page
    )
    assert "selected" in listing


def test_an_empty_story_list(client, monkeypatch):
    empty = make_country()
    assert_same_page(client, monkeypatch, "listing", "/stories/")
    assert_same_page(client, monkeypatch, "listing", "/stories/", country=empty.slug)
