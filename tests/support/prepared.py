"""Checking prepared reads (core.prepared) against the ORM, and sites to check them on.

``same_as_orm`` runs a read both ways: its compiled SQL on a cursor, and its definition
through the ORM. ``sites()`` draws small sites whose items sit on either side of the moment
the reads are made for, in every state, so the public rule is met at its edges.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from campaigns.models.parliaments import COMMONS, HOLYROOD
from core.prepared import Prepared
from core.publishing import Status
from tests.support.campaign_factories import make_campaign, make_motion
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_watch_list,
)


def loaded(row):
    """What a row holds, types included (True == 1, and a model's == compares only ids)."""
    if isinstance(row, dict):
        return {name: loaded(value) for name, value in row.items()}
    if isinstance(row, tuple | list):
        return [loaded(value) for value in row]
    if hasattr(row, "_state"):
        values = {name: loaded(value) for name, value in vars(row).items() if name != "_state"}
        related = {name: loaded(obj) for name, obj in row._state.fields_cache.items()}
        return (type(row), values, related)
    return (type(row), row)


def same_as_orm(read: Prepared, **parameters) -> list:
    """The read's rows, checked against the ORM's rows of its definition; they are returned."""
    rows = read.rows(**parameters)
    assert loaded(rows) == loaded(list(read.build(**parameters)))
    return rows


# Moments around "now" at which an item is published, scheduled or closes.
OFFSETS = [
    timedelta(days=-2),
    timedelta(seconds=-1),
    timedelta(microseconds=-1),
    timedelta(0),
    timedelta(microseconds=1),
    timedelta(days=1),
]
STATES = list(Status)  # draft, review, safeguarding (where a withheld name sends it), published


@st.composite
def items(draw, links: int = 3):
    """(status, offset, linked indexes) for one published-or-not item."""
    status = draw(st.sampled_from(STATES))
    offset = draw(st.sampled_from(OFFSETS))
    linked = draw(st.lists(st.integers(0, links - 1), max_size=links, unique=True))
    return status, offset, linked


@st.composite
def sites(draw):
    return {
        "countries": draw(st.lists(st.sampled_from(STATES), min_size=3, max_size=3)),
        "people": draw(st.lists(items(), min_size=3, max_size=3)),
        "prayers": draw(st.lists(items(), min_size=2, max_size=2)),
        "stories": draw(st.lists(items(), max_size=7)),
        "campaigns": draw(st.lists(st.tuples(items(7), st.sampled_from([None, *OFFSETS])))),
    }


@dataclass
class Site:
    countries: list
    people: list
    prayers: list
    stories: list
    campaigns: list


def build_site(drawn: dict, now) -> Site:
    """The drawn site, made in the database, every time counted from ``now``."""
    countries = [make_country(status=status) for status in drawn["countries"]]
    make_watch_list(2025, 3, countries=countries)
    people = [
        make_spokesperson(status=status, published_at=now + offset, name_changed=bool(links))
        for status, offset, links in drawn["people"]
    ]
    prayers = [
        make_prayer_request(status=status, published_at=now + offset, points=["One", "Two"][:n])
        for n, (status, offset, _) in enumerate(drawn["prayers"])
    ]
    stories = []
    for number, (status, offset, linked) in enumerate(drawn["stories"]):
        speakers = [people[index] for index in linked]
        story = make_story(
            status=status,
            published_at=now + offset,
            countries=[countries[index] for index in linked],
            spokespeople=speakers,
            pull_quotes=["Words", *(("Said", person) for person in speakers)],
            prayer_request=prayers[number % 2] if linked else None,
            hero_decorative=number % 2 == 0,
        )
        stories.append(story)
    campaigns = [
        build_campaign(drawn_campaign, people, prayers, stories, now)
        for drawn_campaign in drawn["campaigns"]
    ]
    return Site(countries, people, prayers, stories, campaigns)


def build_campaign(drawn: tuple, people: list, prayers: list, stories: list, now):
    """A campaign of the drawn site, linking some of its stories, a spokesperson and a prayer
    request, with a motion tabled on a day (a date, which SQLite stores as text)."""
    (status, offset, linked), closes = drawn
    number = len(linked)
    campaign = make_campaign(
        parliaments=[COMMONS, HOLYROOD][: 1 + number % 2],
        status=status,
        published_at=now + offset,
        closes_at=None if closes is None else now + closes,
        spokesperson=people[number % len(people)] if linked else None,
        prayer_request=prayers[number % len(prayers)] if linked else None,
    )
    campaign.stories.set([stories[index] for index in linked if index < len(stories)])
    make_motion(campaign, date=date(2026, 3, 1) + offset, session=number or None)
    return campaign


def public(items: list, now) -> list:
    """The items the public may see at ``now``, by the rule restated: published, and from
    their publication time."""
    return [
        item
        for item in items
        if item.status == Status.PUBLISHED
        and (not hasattr(item, "published_at") or item.published_at <= now)
    ]
