"""Every public page makes a fixed number of queries, however much content there is."""

import pytest

from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
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


def build_site(n):
    """n of everything; one story and one prayer request whose own content grows with n."""
    countries = [make_country() for _ in range(n)]
    home = countries[0]
    make_watch_list(2025, n, countries=countries)
    people = [make_spokesperson(name_changed=i % 2 == 0) for i in range(n)]
    big_prayer = make_prayer_request(points=[f"Point {i}" for i in range(n)], countries=countries)
    for i in range(n):
        make_prayer_request(countries=[home, countries[i]])
        make_story(
            countries=[home, countries[i]],
            spokespeople=[people[0], people[i]],
            pull_quotes=[f"Quote {i}", (f"Said by {i}", people[i])],
            prayer_request=big_prayer,
        )
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


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("page", EXPECTED)
def test_public_page_makes_a_fixed_number_of_queries(client, page, n, django_assert_num_queries):
    url = build_site(n)[page]

    with django_assert_num_queries(EXPECTED[page]):
        response = client.get(url)

    assert response.status_code == 200
