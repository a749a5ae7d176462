"""What search engines and sharing sites read: canonical addresses, Open Graph and Twitter
cards, JSON-LD, each from what the page already loaded."""

from datetime import datetime
from urllib.parse import urlsplit

import pytest

from tests.support.campaign_factories import make_campaign
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_story,
    make_upload,
    make_watch_list,
)
from tests.support.html import content, select_one
from tests.support.queries import STORY_DETAIL_QUERIES
from tests.support.schema_org import json_ld, of_type, problems

pytestmark = pytest.mark.django_db

TRACKING = "utm_source=newsletter&utm_medium=email&fbclid=abc123&gclid=xyz&mc_cid=1&mc_eid=2"
FALLBACK_IMAGE = "/static/img/share-card.png"


def meta(html, key):
    tag = select_one(html, f'meta[property="{key}"]') or select_one(html, f'meta[name="{key}"]')
    return tag["content"] if tag else None


def canonical(html):
    return select_one(html, "link[rel=canonical]")["href"]


@pytest.fixture
def story():
    return make_story(
        title="Church raided at dawn",
        standfirst="Police came before the service began.",
        hero_image=make_upload(name="church.png"),
        hero_alt="A church door, broken open",
        published_at=datetime.fromisoformat("2025-03-01T09:00:00+00:00"),
        prayer_request=make_prayer_request(),
    )


def test_a_shared_link_keeps_no_tracking_parameters(client, story):
    html = content(client.get(f"{story.get_absolute_url()}?{TRACKING}"))

    address = f"http://testserver{story.get_absolute_url()}"
    assert canonical(html) == address
    assert meta(html, "og:url") == address


@pytest.mark.parametrize(
    "query, kept",
    [
        ("?page=2&utm_source=x", "?page=2"),
        ("?page=1&fbclid=y", ""),  # the first page is the listing itself
        ("?country={slug}&gclid=z", "?country={slug}"),
    ],
)
def test_a_listing_keeps_its_own_choices_and_nothing_else(client, query, kept):
    country = make_country()
    for _ in range(25):
        make_story(countries=[country])

    html = content(client.get(f"/stories/{query.format(slug=country.slug)}"))

    assert canonical(html) == f"http://testserver/stories/{kept.format(slug=country.slug)}"


def test_a_watch_list_year_other_than_the_latest_is_its_own_page(client):
    make_watch_list(2024, 3)
    make_watch_list(2025, 3)

    older = content(client.get("/world-watch-list/?year=2024&utm_campaign=x"))
    latest = content(client.get("/world-watch-list/?year=2025"))

    assert canonical(older) == "http://testserver/world-watch-list/?year=2024"
    assert canonical(latest) == "http://testserver/world-watch-list/"


def test_a_story_is_shared_as_an_article_with_its_picture(client, story):
    html = content(client.get(story.get_absolute_url()))

    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Church raided at dawn"
    assert meta(html, "og:description") == "Police came before the service began."
    assert meta(html, "article:published_time") == "2025-03-01T09:00:00+00:00"
    assert urlsplit(meta(html, "og:image")).path == story.hero_image.url
    assert meta(html, "og:image:alt") == "A church door, broken open"
    assert meta(html, "twitter:card") == "summary_large_image"


def test_a_page_without_a_picture_shares_the_site_image(client):
    html = content(client.get("/stories/"))

    assert meta(html, "og:type") == "website"
    assert meta(html, "og:image") == f"http://testserver{FALLBACK_IMAGE}"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "og:image:alt")
    assert meta(html, "twitter:card") == "summary_large_image"


def test_the_fallback_image_is_1200_by_630():
    from PIL import Image

    from core.templatetags import sharing

    path = f"core/static/{sharing.SHARE_IMAGE}"
    with Image.open(path) as image:
        assert image.size == (1200, 630)


def test_a_campaign_shares_its_story_picture(client, story):
    campaign = make_campaign(share_text="Write to your MP today.")
    campaign.stories.set([story])

    html = content(client.get(campaign.get_absolute_url()))

    assert meta(html, "og:title") == campaign.title
    assert meta(html, "og:description") == "Write to your MP today."
    assert urlsplit(meta(html, "og:image")).path == story.hero_image.url
    assert meta(html, "og:image:alt") == "A church door, broken open"


def test_a_campaign_without_a_story_picture_shares_the_site_image(client):
    campaign = make_campaign()

    html = content(client.get(campaign.get_absolute_url()))

    assert meta(html, "og:image") == f"http://testserver{FALLBACK_IMAGE}"


def test_a_story_is_described_as_a_news_article(client, story):
    html = content(client.get(story.get_absolute_url()))

    [article] = of_type(html, "NewsArticle")
    assert problems(article) == []
    assert article["headline"] == "Church raided at dawn"
    assert article["datePublished"] == "2025-03-01T09:00:00Z"
    assert urlsplit(article["image"][0]).path == story.hero_image.url
    assert article["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"


def test_the_home_page_describes_the_charity_and_its_search(client):
    html = content(client.get("/"))

    nodes = json_ld(html)
    assert {node["@type"] for node in nodes} == {"Organization", "WebSite"}
    assert [problem for node in nodes for problem in problems(node)] == []
    [website] = of_type(html, "WebSite")
    target = website["potentialAction"]["target"]["urlTemplate"]
    assert target == "http://testserver/search/?q={search_term_string}"


def test_json_ld_cannot_close_its_script_element(client):
    story = make_story(title="</script><script>alert(1)</script> & <!--")

    html = content(client.get(story.get_absolute_url()))

    assert "</script><script>alert" not in html
    [article] = of_type(html, "NewsArticle")
    assert article["headline"] == "</script><script>alert(1)</script> & <!--"


def test_the_head_tags_of_a_story_with_a_picture_cost_no_query(
    client, story, django_assert_num_queries
):
    # (Every other page's pinned count runs with the same head tags: tests/*/test_query_counts)
    with django_assert_num_queries(STORY_DETAIL_QUERIES):
        client.get(story.get_absolute_url())
