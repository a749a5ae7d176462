"""The feed and the sitemap show what published() shows, and nothing else."""

import pytest

from core.publishing import Status
from tests.support.factories import make_country, make_prayer_request, make_spokesperson, make_story
from tests.support.html import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    return {
        "published": make_story(title="Church reopens in Homs"),
        "draft": make_story(title="Draft about a raid", status=Status.DRAFT),
        "review": make_story(title="Story in safeguarding", status=Status.SAFEGUARDING),
    }


def test_the_feed_lists_published_stories_only(client, stories):
    response = client.get("/stories/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Church reopens in Homs" in content(response)
    assert "Draft about a raid" not in content(response)
    assert "Story in safeguarding" not in content(response)


def test_the_sitemap_lists_published_pages_only(client, stories):
    country = make_country(name="Syria", slug="syria")
    person = make_spokesperson(slug="visible-speaker")
    hidden = make_spokesperson(slug="hidden-speaker", status=Status.REVIEW)
    prayer = make_prayer_request(slug="pray-for-syria")

    sitemap = content(client.get("/sitemap.xml"))

    for page in [stories["published"], country, person, prayer]:
        assert f"{page.get_absolute_url()}</loc>" in sitemap
    for page in [stories["draft"], stories["review"], hidden]:
        assert f"{page.get_absolute_url()}</loc>" not in sitemap
    assert "/world-watch-list/</loc>" in sitemap
    assert "/representatives/</loc>" in sitemap


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    body = content(client.get("/robots.txt"))

    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_every_page_advertises_the_feed(client, stories):
    html = content(client.get("/"))

    assert 'type="application/rss+xml"' in html
    assert 'href="/stories/feed/"' in html
