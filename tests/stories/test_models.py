from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.publishing import Status
from stories.models import PrayerRequest, PullQuote, Spokesperson, Story, WatchListEntry
from tests.support.factories import (
    make_country,
    make_prayer_request,
    make_spokesperson,
    make_story,
    make_upload,
    make_watch_list,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_published_includes_published_items_whose_time_has_come(frozen):
    past = make_story(published_at=NOW - timedelta(days=1))
    exactly_now = make_story(published_at=NOW)

    assert set(Story.objects.published()) == {past, exactly_now}


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.SAFEGUARDING])
def test_published_excludes_unpublished_statuses(frozen, status):
    make_story(status=status, published_at=NOW - timedelta(days=1))

    assert not Story.objects.published().exists()


def test_published_excludes_scheduled_items_until_their_time(frozen):
    story = make_story(published_at=NOW + timedelta(minutes=5))

    assert list(Story.objects.published()) == []
    assert list(Story.objects.scheduled()) == [story]

    frozen.shift(timedelta(minutes=5))

    assert list(Story.objects.published()) == [story]
    assert list(Story.objects.scheduled()) == []


def test_scheduled_excludes_future_drafts_and_past_items(frozen):
    make_story(status=Status.DRAFT, published_at=NOW + timedelta(days=1))
    make_story(published_at=NOW - timedelta(days=1))

    assert not Story.objects.scheduled().exists()


@pytest.mark.parametrize(
    "make, model",
    [
        (make_spokesperson, Spokesperson),
        (make_prayer_request, PrayerRequest),
    ],
)
def test_published_is_the_same_rule_for_every_publishable_model(frozen, make, model):
    shown = make(published_at=NOW - timedelta(hours=1))
    make(status=Status.REVIEW, published_at=NOW - timedelta(hours=1))
    make(published_at=NOW + timedelta(hours=1))

    assert list(model.objects.published()) == [shown]


def test_is_published_agrees_with_published(frozen):
    past = make_story(published_at=NOW - timedelta(days=1))
    future = make_story(published_at=NOW + timedelta(days=1))
    draft = make_story(status=Status.DRAFT, published_at=NOW - timedelta(days=1))

    assert (past.is_published, future.is_published, draft.is_published) == (True, False, False)


def _integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_database_allows_one_country_per_rank_per_year():
    first, second = make_country(), make_country()
    WatchListEntry.objects.create(country=first, year=2025, rank=1, score=98, level="extreme")

    _integrity_error(
        lambda: WatchListEntry.objects.create(
            country=second, year=2025, rank=1, score=90, level="extreme"
        )
    )
    WatchListEntry.objects.create(country=second, year=2024, rank=1, score=90, level="extreme")


def test_database_allows_one_entry_per_country_per_year():
    country = make_country()
    WatchListEntry.objects.create(country=country, year=2025, rank=1, score=98, level="extreme")

    _integrity_error(
        lambda: WatchListEntry.objects.create(
            country=country, year=2025, rank=2, score=90, level="extreme"
        )
    )


@pytest.mark.parametrize("rank", [0, 51])
def test_database_refuses_a_rank_outside_1_to_50(rank):
    country = make_country()

    _integrity_error(
        lambda: WatchListEntry.objects.create(
            country=country, year=2025, rank=rank, score=50, level="high"
        )
    )


@pytest.mark.parametrize("rank", [1, 50])
def test_database_accepts_ranks_1_and_50(rank):
    WatchListEntry.objects.create(
        country=make_country(), year=2025, rank=rank, score=50, level="high"
    )

    assert WatchListEntry.objects.get().rank == rank


def test_database_refuses_a_score_over_100():
    country = make_country()

    _integrity_error(
        lambda: WatchListEntry.objects.create(
            country=country, year=2025, rank=1, score=101, level="extreme"
        )
    )


def test_full_clean_explains_an_out_of_range_rank():
    entry = WatchListEntry(country=make_country(), year=2025, rank=51, score=50, level="high")

    with pytest.raises(ValidationError) as error:
        entry.full_clean()

    assert "rank" in error.value.message_dict


def test_watch_list_factory_ranks_in_order():
    entries = make_watch_list(2025, 3)

    assert [entry.rank for entry in entries] == [1, 2, 3]


@pytest.mark.parametrize(
    "make",
    [make_story, make_spokesperson, make_prayer_request, make_country],
    ids=["story", "spokesperson", "prayer_request", "country"],
)
def test_slugs_are_unique(make):
    make(slug="same-slug")

    _integrity_error(lambda: make(slug="same-slug"))


def test_story_with_image_but_no_alt_text_is_refused_with_a_clear_message():
    story = make_story()
    story.hero_image = make_upload()
    story.hero_alt = ""

    with pytest.raises(ValidationError) as error:
        story.clean()

    assert error.value.message_dict == {
        "hero_alt": ["Describe the picture for people who cannot see it."]
    }


def test_story_with_image_and_alt_text_is_clean():
    story = make_story()
    story.hero_image = make_upload()
    story.hero_alt = "A church at dusk"

    story.clean()


def test_spokesperson_photo_without_description_is_refused_with_a_clear_message():
    person = make_spokesperson()
    person.photo = make_upload()

    with pytest.raises(ValidationError) as error:
        person.clean()

    assert error.value.message_dict == {
        "photo_alt": ["Describe the photo for people who cannot see it."]
    }


def test_pull_quote_without_attribution_is_refused_with_a_clear_message():
    quote = PullQuote(story=make_story(), text="We will not give up.")

    with pytest.raises(ValidationError) as error:
        quote.full_clean()

    assert error.value.messages == [
        "Say who said it: choose a spokesperson or write an attribution."
    ]


@pytest.mark.parametrize("attributed_to", ["spokesperson", "attribution"])
def test_pull_quote_with_a_source_is_clean(attributed_to):
    quote = PullQuote(story=make_story(), text="We will not give up.")
    if attributed_to == "spokesperson":
        quote.spokesperson = make_spokesperson()
    else:
        quote.attribution = "A pastor in the north"

    quote.full_clean()


def test_country_clean_upper_cases_the_iso_code():
    country = make_country(iso_code="ng")

    country.full_clean()

    assert country.iso_code == "NG"
