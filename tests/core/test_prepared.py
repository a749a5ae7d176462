"""A prepared read gives what the ORM gives for the same queryset, and compiles it once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from core.prepared import MAX_LIST, Pages, Prepared, prefetched
from core.publishing import Status
from stories.models import Country, PrayerPoint, PrayerRequest, Spokesperson, Story
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
)
from tests.support.prepared import loaded, same_as_orm

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    """Stories on either side of now: published an hour and a second ago, a microsecond ago,
    scheduled a microsecond and a day ahead, and in every other state."""
    now = timezone.now()
    land, closed = make_country(), make_country(status=Status.SAFEGUARDING)
    moments = [timedelta(hours=-1), timedelta(seconds=-1), timedelta(microseconds=-1)]
    moments += [timedelta(microseconds=1), timedelta(days=1)]
    made = [
        make_story(published_at=now + moment, countries=[land, closed], hero_decorative=True)
        for moment in moments
    ]
    made += [
        make_story(status=status, published_at=now - timedelta(hours=2), countries=[land])
        for status in (Status.DRAFT, Status.REVIEW, Status.SAFEGUARDING)
    ]
    return now, made


def elsewhere(moment):
    """The same moment on another zone's clock: the database compares it in UTC."""
    return moment.astimezone(timezone.get_fixed_timezone(timedelta(hours=5, minutes=30)))


PUBLISHED = Prepared(lambda now: Story.objects.published(now).only("title", "slug"))


def test_published_rows_equal_the_orms_either_side_of_the_moment(stories):
    now, _ = stories
    for moment in (now - timedelta(days=2), now, now + timedelta(microseconds=1), elsewhere(now)):
        same_as_orm(PUBLISHED, now=moment)
    assert len(PUBLISHED.rows(now=now)) == 3  # a microsecond ago is published, one ahead not


def test_rows_come_back_through_the_orms_converters(stories):
    now, _ = stories
    read = Prepared(lambda now: Story.objects.published(now).only("hero_decorative", "updated_at"))
    story = same_as_orm(read, now=now)[0]
    assert story.hero_decorative is True  # not SQLite's 1
    assert story.updated_at.tzinfo is not None


def test_select_related_values_and_tuples_equal_the_orms(stories):
    now, made = stories
    made[0].prayer_request = make_prayer_request()
    made[0].save()
    linked = Prepared(
        lambda now: (
            Story.objects.published(now)
            .select_related("prayer_request")
            .only("title", "prayer_request__slug", "prayer_request__published_at")
        )
    )
    same_as_orm(linked, now=now)
    named = Prepared(
        lambda now: Story.objects.published(now).values("slug", country=F("countries__name"))
    )
    same_as_orm(named, now=now)
    same_as_orm(
        Prepared(lambda now: Story.objects.published(now).values_list("pk", "title")), now=now
    )
    same_as_orm(
        Prepared(lambda now: Story.objects.published(now).values_list("slug", flat=True)), now=now
    )


def test_a_parameter_changes_nothing_but_its_value(stories):
    """One compiled text for every slug: each answer is the ORM's for that slug."""
    now, made = stories
    by_slug = Prepared(lambda slug, now: Story.objects.published(now).filter(slug=slug))
    for story in made:
        assert loaded(by_slug.rows(slug=story.slug, now=now)) == loaded(
            list(Story.objects.published(now).filter(slug=story.slug))
        )
    assert by_slug.rows(slug="no-such-story", now=now) == []
    assert len(by_slug._compiled) == 1


def test_the_sql_is_compiled_once_a_database(stories):
    now, made = stories
    read = Prepared(lambda slug, now: Story.objects.published(now).filter(slug=slug))
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as c:
        for story in made:
            read.rows(slug=story.slug, now=now)
    assert c.call_count == 1


def test_in_lists_are_compiled_per_length_and_long_ones_left_to_the_orm(
    stories, django_assert_num_queries
):
    now, made = stories
    names = Prepared(
        lambda stories: (
            Country.objects.published().filter(stories__in=stories).values_list("stories", "name")
        )
    )
    ids = [story.pk for story in made]
    for length in (1, 3, len(ids)):
        same_as_orm(names, stories=ids[:length])
    long_list = ids * (MAX_LIST // len(ids) + 1)
    assert len(long_list) > MAX_LIST
    same_as_orm(names, stories=long_list)
    assert len(names._compiled) == 3  # the long list was not compiled
    with django_assert_num_queries(0):
        assert names.rows(stories=[]) == []


def test_none_and_booleans_are_shapes_compiled_apart(stories):
    now, _ = stories
    land = Country.objects.get(status=Status.PUBLISHED)

    def listed(now, country, public):
        found = Story.objects.published(now) if public else Story.objects.all()
        return found if country is None else found.filter(countries=country)

    read = Prepared(listed)
    for country in (None, land.pk):
        for public in (True, False):
            same_as_orm(read, now=now, country=country, public=public)
    assert len(read._compiled) == 4


def test_pages_count_and_slice_as_the_orm(stories, django_assert_num_queries):
    now, _ = stories
    read = Prepared(lambda now: Story.objects.all().only("title"))
    assert read.count(now=now) == Story.objects.count()
    ours = Paginator(Pages(read, now=now), 3)
    theirs = Paginator(read.build(now=now), 3)
    for number in ours.page_range:
        assert loaded(list(ours.page(number))) == loaded(list(theirs.page(number)))
    assert read.first(now=now).pk == read.build(now=now).first().pk
    with django_assert_num_queries(0):
        assert Pages(read, now=now)[0:0] == []


def test_a_sliced_definition_takes_no_limit(stories):
    now, _ = stories
    read = Prepared(lambda now: Story.objects.published(now)[:2])
    assert len(same_as_orm(read, now=now)) == 2
    with pytest.raises(ValueError, match="sliced"):
        read.first(now=now)


def test_a_value_the_orm_changes_is_refused():
    """A LIKE pattern is the value wrapped in %: substituting the bare value would be wrong."""
    read = Prepared(lambda name: Country.objects.filter(name__icontains=name))
    with pytest.raises(ValueError, match="adapted"):
        read.rows(name="land")


def test_a_value_the_database_escapes_is_refused_or_left_alone():
    """iexact is a LIKE with % and _ escaped on SQLite (refused: the bare value would be a
    pattern), and a comparison of UPPER()s on PostgreSQL (the value as it is)."""
    make_country(name="Land%_ of rivers")
    make_country(name="Landxx of rivers")
    read = Prepared(lambda name: Country.objects.filter(name__iexact=name))
    try:
        same_as_orm(read, name="land%_ of rivers")
    except ValueError:
        assert connection.vendor == "sqlite"
    else:
        assert connection.vendor == "postgresql"
        assert len(read.rows(name="land%_ of rivers")) == 1


def test_a_definition_that_matches_nothing_runs_no_query(stories, django_assert_num_queries):
    now, _ = stories
    read = Prepared(lambda now: Story.objects.published(now).filter(pk__in=[]))
    with django_assert_num_queries(0):
        assert read.rows(now=now) == []
        assert read.count(now=now) == 0


def test_a_parameter_of_another_type_is_refused():
    read = Prepared(lambda score: Country.objects.filter(pk=score))
    with pytest.raises(TypeError):
        read.rows(score=1.5)


def test_prefetched_rows_are_read_without_a_query(django_assert_num_queries):
    prayer = make_prayer_request(points=["Courage", "Safety"])
    points = list(PrayerPoint.objects.filter(prayer_request=prayer))
    shown = PrayerRequest.objects.only("slug").get(pk=prayer.pk)
    prefetched(shown, "points", points)
    with django_assert_num_queries(0):
        assert [point.text for point in shown.points.all()] == ["Courage", "Safety"]
    make_prayer_request(points=["Grace"])  # another prayer's point, never this one's
    assert [point.text for point in shown.points.filter(text__endswith="e")] == ["Courage"]


def test_staff_and_public_shapes_of_a_linked_read(stories):
    """The shapes of a read hide what the public may not see, as the ORM's rule does."""
    now, made = stories
    hidden = make_spokesperson(status=Status.DRAFT)
    shown = make_spokesperson()
    made[0].spokespeople.set([hidden, shown])

    def people(story, now, public):
        found = Spokesperson.objects.filter(stories=story)
        return found.published(now) if public else found

    read = Prepared(people)
    assert same_as_orm(read, story=made[0].pk, now=now, public=True) == [shown]
    assert set(same_as_orm(read, story=made[0].pk, now=now, public=False)) == {hidden, shown}
