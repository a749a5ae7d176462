"""Every public page makes a fixed number of queries, however much content there is."""

import pytest

from core.publishing import Status
from stories.models import (
    WATCH_LIST_SIZE,
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
)
from tests.support.factories import (
    an_hour_ago,
    make_prayer_request,
    make_story,
    make_watch_list,
)
from tests.support.queries import (
    COUNTRY_DETAIL_QUERIES,
    HOME_QUERIES,
    PRAYER_DETAIL_QUERIES,
    PRAYER_LIST_QUERIES,
    SPOKESPERSON_DETAIL_QUERIES,
    STORY_DETAIL_QUERIES,
    STORY_LIST_BY_COUNTRY_QUERIES,
    STORY_LIST_QUERIES,
    WATCH_LIST_QUERIES,
)

pytestmark = pytest.mark.django_db

PUBLISHED = {"status": Status.PUBLISHED}


def bulk(model, rows):
    """Save many rows in one query: factories would take seconds for 300 stories."""
    return model.objects.bulk_create([model(**row) for row in rows])


def link(relation, pairs):
    """Rows of a many-to-many ``relation`` (e.g. Story.countries) for (owner, target) pairs."""
    through = relation.through
    owner, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
    through.objects.bulk_create([through(**{owner: a, target: b}) for a, b in pairs])


def iso_code(number):
    """A unique two-letter code for each of up to 676 numbers."""
    return chr(65 + number // 26) + chr(65 + number % 26)


def published(**fields):
    return {**fields, **PUBLISHED, "published_at": an_hour_ago()}


def build_site(n):
    """n of everything; one story and one prayer request whose own content grows with n."""
    countries = bulk(
        Country,
        [{"name": f"Land {i}", "slug": f"land-{i}", "iso_code": iso_code(i)} for i in range(n)],
    )
    home = countries[0]
    make_watch_list(2025, min(n, WATCH_LIST_SIZE), countries=countries)
    people = bulk(
        Spokesperson,
        [
            published(name=f"Voice {i}", slug=f"voice-{i}", name_changed=i % 2 == 0)
            for i in range(n)
        ],
    )
    big_prayer = make_prayer_request(points=[f"Point {i}" for i in range(n)], countries=countries)
    prayers = bulk(PrayerRequest, [published(title=f"Ask {i}", slug=f"ask-{i}") for i in range(n)])
    bulk(PrayerPoint, [{"prayer_request": p, "text": "Pray for courage."} for p in prayers])
    link(PrayerRequest.countries, [(p, c) for p, c in zip(prayers, countries, strict=True)])
    link(PrayerRequest.countries, [(p, home) for p in prayers[1:]])
    stories = bulk(
        Story,
        [
            published(
                title=f"Tale {i}", slug=f"tale-{i}", body="<p>Told.</p>", prayer_request=big_prayer
            )
            for i in range(n)
        ],
    )
    link(Story.countries, [(s, c) for s, c in zip(stories, countries, strict=True)])
    link(Story.countries, [(s, home) for s in stories[1:]])
    link(Story.spokespeople, [(s, p) for s, p in zip(stories, people, strict=True)])
    link(Story.spokespeople, [(s, people[0]) for s in stories[1:]])
    quoted = [
        {"story": s, "text": "Said", "spokesperson": p}
        for s, p in zip(stories, people, strict=True)
    ]
    unnamed = [
        {"story": s, "text": f"Quote {i}", "attribution": "A member"} for i, s in enumerate(stories)
    ]
    bulk(PullQuote, unnamed + quoted)
    big_story = make_story(
        countries=countries,
        spokespeople=people,
        pull_quotes=[(f"Quote {i}", person) for i, person in enumerate(people)],
        prayer_request=big_prayer,
    )
    return {
        "home": "/",
        "story list": "/stories/",
        "story list by country": f"/stories/?country={home.slug}",
        "story": big_story.get_absolute_url(),
        "spokesperson": people[0].get_absolute_url(),
        "prayer list": "/pray/",
        "prayer": big_prayer.get_absolute_url(),
        "watch list": "/world-watch-list/",
        "country": home.get_absolute_url(),
    }


EXPECTED = {
    "home": HOME_QUERIES,
    "story list": STORY_LIST_QUERIES,
    "story list by country": STORY_LIST_BY_COUNTRY_QUERIES,
    "story": STORY_DETAIL_QUERIES,
    "spokesperson": SPOKESPERSON_DETAIL_QUERIES,
    "prayer list": PRAYER_LIST_QUERIES,
    "prayer": PRAYER_DETAIL_QUERIES,
    "watch list": WATCH_LIST_QUERIES,
    "country": COUNTRY_DETAIL_QUERIES,
}


@pytest.mark.parametrize("n", [3, 300])
@pytest.mark.parametrize("page", EXPECTED)
def test_public_page_makes_a_fixed_number_of_queries(client, page, n, django_assert_num_queries):
    url = build_site(n)[page]

    with django_assert_num_queries(EXPECTED[page]):
        response = client.get(url)

    assert response.status_code == 200


def test_every_public_page_stays_within_the_budget_of_six():
    assert max(EXPECTED.values()) <= 6


def test_the_big_site_fills_every_page(client):
    """The 300 case is worth its name: the lists show full pages, the story every voice."""
    urls = build_site(300)
    assert client.get(urls["story list"]).content.count(b'class="card"') == 10
    assert client.get(urls["story"]).content.count(b"spokesperson-card") == 300
