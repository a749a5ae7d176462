"""Walk every public URL of a realistic site: each answers 200 with exactly one <h1>."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from core.publishing import Status
from stories.models import Country, PrayerRequest, Spokesperson, Story
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_upload,
    make_watch_list,
)
from tests.support.html import content, links, select

pytestmark = pytest.mark.django_db

FIXED_URLS = ["/", "/stories/", "/pray/", "/world-watch-list/", "/search/?q=country"]
NOT_PAGES = ("/admin/", "/static/", "/media/", "/health/")


@pytest.fixture
def realistic_site():
    countries = [make_country() for _ in range(12)]
    make_watch_list(2024, 10, countries=countries[2:])
    make_watch_list(2025, 10, countries=countries[:10])
    pseudonym = make_spokesperson(name="Hannah", name_changed=True, biography="Hannah*'s story.")
    pastor = make_spokesperson(photo=make_upload(name="pastor.png"), photo_alt="A pastor")
    make_spokesperson(status=Status.SAFEGUARDING)
    prayers = [make_prayer_request(countries=countries[i : i + 2]) for i in range(12)]
    make_prayer_request(status=Status.DRAFT)
    for i in range(14):
        make_story(
            countries=countries[i % 12 : i % 12 + 2],
            spokespeople=[pseudonym, pastor][: i % 3],
            pull_quotes=["We are not afraid.", ("Pray for us.", pastor)],
            prayer_request=prayers[i % 12],
            hero_image=make_upload(name=f"photo-{i}.png") if i % 4 == 0 else "",
            hero_alt="A photo" if i % 4 == 0 else "",
        )
    make_story(status=Status.REVIEW)


def published_urls():
    """Every public page the database says exists, plus the fixed ones and their filters."""
    published = [
        *Story.objects.published(),
        *Spokesperson.objects.published(),
        *PrayerRequest.objects.published(),
        *Country.objects.all(),
    ]
    countries = Country.objects.filter(stories__in=Story.objects.published()).distinct()
    return [
        *FIXED_URLS,
        "/stories/?page=2",
        "/world-watch-list/?year=2024",
        *(f"/stories/?country={country.slug}" for country in countries),
        *(item.get_absolute_url() for item in published),
    ]


def internal_links(html):
    for href in links(html):
        url, _fragment = urldefrag(href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if not parts.scheme and parts.path.startswith("/") and not url.startswith(NOT_PAGES):
            yield url


def test_every_public_page_answers_with_one_h1(client, realistic_site):
    to_visit = deque(published_urls())
    seen = set(to_visit)
    problems = []

    while to_visit:
        url = to_visit.popleft()
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        html = content(response)
        h1_count = len(select(html, "h1"))
        if h1_count != 1:
            problems.append(f"{url}: {h1_count} <h1> elements")
        for link in internal_links(html):
            if link not in seen:
                seen.add(link)
                to_visit.append(link)

    assert problems == []
    assert len(seen) > 50  # the walk really did reach the whole site
