"""The story pages' prepared reads give the ORM's rows, and hide what the public rule hides."""

from django.core.paginator import Paginator
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.django import TestCase

from core.prepared import Pages
from stories.views import (
    COUNTRY,
    COUNTRY_NAMES,
    FILTER_COUNTRIES,
    PRAYER_POINTS,
    STORIES_PER_PAGE,
    STORY_COUNTRIES,
    STORY_LIST,
    STORY_PAGE,
    STORY_PULL_QUOTES,
    STORY_SPOKESPEOPLE,
)
from tests.support.prepared import build_site, loaded, public, same_as_orm, sites

EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestStoryReads(TestCase):
    @EXAMPLES
    @given(drawn=sites())
    def test_the_story_list_and_its_filter(self, drawn):
        now = timezone.now()
        site = build_site(drawn, now)
        shown = public(site.stories, now)
        for country in (None, *(country.pk for country in site.countries)):
            listed = same_as_orm(STORY_LIST, now=now, country=country)
            expected = [s for s in shown if country is None or country in linked(s)]
            assert sorted(story.pk for story in listed) == sorted(s.pk for s in expected)
            self.assert_pages_as_the_orm(now, country)
        countries = same_as_orm(FILTER_COUNTRIES, now=now)
        in_stories = {c.slug for s in shown for c in s.countries.all() if c.status == "published"}
        assert {slug for slug, _ in countries} == in_stories
        for country in site.countries:
            found = same_as_orm(COUNTRY, slug=country.slug)
            assert [c.pk for c in found] == [c.pk for c in public([country], now)]

    def assert_pages_as_the_orm(self, now, country):
        ours = Paginator(Pages(STORY_LIST, now=now, country=country), 2)
        theirs = Paginator(STORY_LIST.build(now=now, country=country), 2)
        assert ours.count == theirs.count
        for number in ours.page_range:
            assert loaded(list(ours.page(number))) == loaded(list(theirs.page(number)))

    @EXAMPLES
    @given(drawn=sites())
    def test_a_story_page_and_what_it_links(self, drawn):
        now = timezone.now()
        site = build_site(drawn, now)
        shown = {story.pk for story in public(site.stories, now)}
        for story in site.stories:
            found = same_as_orm(STORY_PAGE, slug=story.slug, now=now)
            assert [s.pk for s in found] == ([story.pk] if story.pk in shown else [])
            same_as_orm(STORY_COUNTRIES, story=story.pk)
            for public_only in (True, False):
                same_as_orm(STORY_SPOKESPEOPLE, story=story.pk, now=now, public=public_only)
            people = STORY_SPOKESPEOPLE.rows(story=story.pk, now=now, public=True)
            assert {p.pk for p in people} == {p.pk for p in public(story.spokespeople.all(), now)}
            same_as_orm(STORY_PULL_QUOTES, story=story.pk)
        ids = [story.pk for story in site.stories]
        for length in range(1, min(len(ids), STORIES_PER_PAGE) + 1):
            same_as_orm(COUNTRY_NAMES, stories=ids[:length])
        for prayer in site.prayers:
            same_as_orm(PRAYER_POINTS, prayer=prayer.pk)


def linked(story) -> set[int]:
    return {country.pk for country in story.countries.all()}
