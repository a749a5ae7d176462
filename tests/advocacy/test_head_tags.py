"""Every page of the demo site, crawled as a search engine would: each has its own
description, a title that fits a results page, a canonical address and a full share card."""

from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from campaigns.models import Campaign
from tests.support.html import content, links, select, select_one

pytestmark = pytest.mark.django_db

START = ["/", "/stories/", "/pray/", "/world-watch-list/", "/campaigns/", "/representatives/"]
NOT_PAGES = ("/admin/", "/static/", "/media/", "/health", "/preview/", "/stories/feed/")
SHARE_TAGS = ("og:title", "og:description", "og:url", "og:image", "og:image:alt", "og:type")
TITLE_MAX = 60  # characters before " · site name": what a results page shows
# Pages titled by their item's own headline, which has no shorter SEO title to give instead.
HEADLINE_TITLED = ("/campaigns/", "/pray/")


def crawl(client, start):
    """Every page reachable from ``start`` by links, as {address: html}."""
    to_visit, pages = deque(start), {}
    seen = set(to_visit)
    while to_visit:
        url = to_visit.popleft()
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = content(response)
        for href in links(pages[url]):
            link, _fragment = urldefrag(href.replace("&amp;", "&"))
            parts = urlsplit(link)
            wanted = not parts.scheme and link.startswith("/") and not link.startswith(NOT_PAGES)
            if wanted and link not in seen:
                seen.add(link)
                to_visit.append(link)
    return pages


@pytest.fixture
def site_pages(client):
    call_command("load_seeds", stdout=StringIO())
    campaigns = [campaign.get_absolute_url() for campaign in Campaign.objects.live()]
    return crawl(client, START + campaigns)


def meta_content(html, selector):
    tag = select_one(html, selector)
    return tag["content"] if tag else None


def test_every_page_has_its_own_description(site_pages):
    by_description = {}
    for url, html in site_pages.items():
        canonical = select_one(html, "link[rel=canonical]")["href"]
        description = meta_content(html, "meta[name=description]")
        assert description, url
        by_description.setdefault(description, set()).add(canonical)

    shared = {text: pages for text, pages in by_description.items() if len(pages) > 1}
    assert shared == {}
    assert len(site_pages) > 30  # the crawl really did reach the site


def test_every_title_fits_a_results_page(site_pages):
    suffix = f" · {settings.SITE_NAME}"
    too_long = {}
    for url, html in site_pages.items():
        title = select_one(html, "title").string
        assert title.endswith(suffix), url
        headline_titled = url.startswith(HEADLINE_TITLED) and url not in HEADLINE_TITLED
        if len(title) - len(suffix) > TITLE_MAX and not headline_titled:
            too_long[url] = title
    assert too_long == {}, "\n".join(too_long.values())


def test_every_page_has_a_canonical_address_and_a_share_card(site_pages):
    for url, html in site_pages.items():
        [canonical] = select(html, "link[rel=canonical]")
        assert "utm_" not in canonical["href"], url
        assert meta_content(html, 'meta[property="og:url"]') == canonical["href"], url
        for key in SHARE_TAGS:
            assert meta_content(html, f'meta[property="{key}"]'), f"{url} lacks {key}"
        assert meta_content(html, 'meta[name="twitter:card"]') == "summary_large_image", url
