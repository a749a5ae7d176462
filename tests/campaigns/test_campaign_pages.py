"""Campaign pages: what they link to, what the public may see, and what they cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Parliament
from campaigns.models.parliaments import COMMONS, HOLYROOD
from tests.support.campaign_factories import (
    make_area,
    make_campaign,
    make_member,
    make_motion,
    make_share,
)
from tests.support.factories import make_prayer_request, make_spokesperson, make_story
from tests.support.html import content, links, text
from tests.support.queries import (
    CAMPAIGN_DETAIL_QUERIES,
    CAMPAIGN_LIST_QUERIES,
    COMPOSE_QUERIES,
    WRITE_QUERIES,
)

pytestmark = pytest.mark.django_db


def build(n):
    """A campaign linking n stories, n actions and n prayer points, and a seat with n members."""
    area = make_area(name="Fife", seats=n)
    make_share("KY1 1", area)
    members = [make_member(area, email=f"m{i}@example.org") for i in range(n)]
    campaign = make_campaign(
        spokesperson=make_spokesperson(),
        prayer_request=make_prayer_request(points=[f"Point {i}" for i in range(n)]),
    )
    campaign.stories.set([make_story() for _ in range(n)])
    for i in range(n):
        make_motion(campaign, supporters=members[: i + 1], title=f"Motion {i}")
    for i in range(n):
        make_campaign(parliaments=(HOLYROOD,), title=f"Other {i}")
    member_query = "&".join(f"member={m.pk}" for m in members)
    write = reverse("campaigns:write", args=[campaign.slug])
    compose = reverse("campaigns:compose", args=[campaign.slug])
    return {
        "list": (reverse("campaigns:campaign_list"), CAMPAIGN_LIST_QUERIES),
        "detail": (campaign.get_absolute_url(), CAMPAIGN_DETAIL_QUERIES),
        "write": (f"{write}?postcode=KY1+1AA", WRITE_QUERIES),
        "compose": (f"{compose}?postcode=KY1+1AA&{member_query}", COMPOSE_QUERIES),
    }


@pytest.mark.parametrize("n", [3, 300])
def test_campaign_pages_make_a_fixed_number_of_queries(client, n, django_assert_num_queries):
    """One site per n (300 takes seconds to build), every page of it checked."""
    for page, (url, expected) in build(n).items():
        with django_assert_num_queries(expected, info=f"the {page} page, n={n}"):
            response = client.get(url)
        assert response.status_code == 200, page


def test_the_campaign_page_shows_only_published_links(client):
    hidden = make_spokesperson(name="Hidden Person", status="draft")
    unprayed = make_prayer_request(title="Unprayed", points=["Hidden point"], status="draft")
    campaign = make_campaign(spokesperson=hidden, prayer_request=unprayed)
    campaign.stories.set([make_story(title="Told"), make_story(title="Untold", status="draft")])
    page = text(content(client.get(campaign.get_absolute_url())))
    assert "Told" in page
    assert "Untold" not in page and "Hidden Person" not in page
    assert "Hidden point" not in page and "Please pray" not in page


def test_the_campaign_page_lists_its_motion(client):
    campaign = make_campaign()
    make_motion(campaign, slug=HOLYROOD, reference="S6M-00001", tabled_by="Kate Forbes MSP")
    page = text(content(client.get(campaign.get_absolute_url())))
    assert "Motion S6M-00001" in page and "tabled by Kate Forbes MSP" in page


def test_a_story_links_to_its_live_campaign_only(client):
    story = make_story()
    live, draft = make_campaign(title="Live one"), make_campaign(title="Draft one", status="draft")
    live.stories.add(story)
    draft.stories.add(story)
    html = content(client.get(story.get_absolute_url()))
    assert live.get_absolute_url() in links(html)
    assert draft.get_absolute_url() not in links(html)


def test_the_home_page_offers_a_live_campaign(client):
    campaign = make_campaign(title="Write to your MP today")
    assert campaign.get_absolute_url() in links(content(client.get("/")))


def test_campaigns_are_in_the_sitemap(client):
    campaign = make_campaign()
    draft = make_campaign(status="draft")
    xml = content(client.get("/sitemap.xml"))
    assert campaign.get_absolute_url() in xml and draft.get_absolute_url() not in xml


def test_a_dissolved_parliament_costs_the_campaign_page_no_query(client):
    """The election notice reads what the campaign offers meanwhile from the page's own row."""
    campaign = make_campaign(during_election=Campaign.DuringElection.CANDIDATES)
    with CaptureQueriesContext(connection) as usual:
        client.get(campaign.get_absolute_url())
    Parliament.objects.filter(slug=COMMONS).update(dissolved_on=timezone.localdate())
    with CaptureQueriesContext(connection) as dissolved:
        response = client.get(campaign.get_absolute_url())
    assert "print a letter to the candidates" in text(content(response))
    assert len(dissolved) == len(usual), [query["sql"] for query in dissolved]
