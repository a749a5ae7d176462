import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from core.cache_version import content_version
from core.publishing import Status
from images.illustrations import illustration
from images.renditions import RENDITIONS_DIR, renditions_for
from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
)
from tests.support.seed_files import copy_demo_content

SEED_STORY = "china-returns-600-north-korean-refugees"
LAST_STORY = "china-unregistered-churches-tighter-rules"
MODELS = (
    Country,
    WatchListEntry,
    Spokesperson,
    PrayerRequest,
    PrayerPoint,
    Story,
    PullQuote,
    Story.countries.through,
    Story.spokespeople.through,
    PrayerRequest.countries.through,
)


@pytest.fixture
def seeds(tmp_path):
    return copy_demo_content(tmp_path / "seeds")


def load(seeds, *options):
    out = StringIO()
    call_command("load_seeds", "--path", str(seeds), *options, stdout=out)
    return out.getvalue()


def database():
    """Every row the loader may touch, with every value (updated_at and image names too)."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def edit_json(seeds, name, change):
    path = seeds / "content" / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def by_slug(data, slug):
    return next(entry for entry in data if entry["slug"] == slug)


def edit_csv(seeds, line, column, value):
    path = seeds / "world_watch_list.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.django_db
def test_loads_the_demo_site(seeds):
    load(seeds)

    published = Story.objects.published()
    assert published.count() >= 6
    assert Country.objects.filter(stories__in=published).distinct().count() >= 3
    seed_story = Story.objects.get(slug=SEED_STORY)
    assert seed_story.is_published
    assert seed_story.published_at.date().isoformat() == "2023-10-20"
    timothy = seed_story.spokespeople.get()
    assert (timothy.name, timothy.name_changed) == ("Timothy Cho", True)
    assert seed_story.prayer_request.points.count() == 3
    assert all(quote.spokesperson == timothy for quote in seed_story.pull_quotes.all())
    assert "Kate Forbes" in seed_story.body
    assert "<h2>" in seed_story.body


@pytest.mark.django_db
def test_loads_the_world_watch_list_2025(seeds):
    load(seeds)

    entries = WatchListEntry.objects.filter(year=2025)
    assert entries.count() == 50
    first = entries.get(rank=1)
    assert (first.country.name, first.country.iso_code, first.country.slug) == (
        "North Korea",
        "KP",
        "north-korea",
    )
    assert first.level == WatchListEntry.Level.EXTREME
    assert entries.filter(level=WatchListEntry.Level.VERY_HIGH).exists()
    assert Country.objects.get(slug="north-korea").summary


@pytest.mark.django_db
def test_every_story_has_a_clean_illustration(seeds, media_root):
    load(seeds)

    for each in Story.objects.all():
        assert each.hero_alt and each.hero_caption
        assert each.hero_credit == "Illustration: demo content"
        with Image.open(each.hero_image.path) as image:
            assert image.format == "JPEG"
            assert (each.hero_width, each.hero_height) == image.size
            assert not image.getexif()
    renditions = media_root / RENDITIONS_DIR
    originals = [path for path in stored_files(media_root) if renditions not in path.parents]
    assert len(originals) == Story.objects.count()
    # Each story's renditions made as the seeds load, as the admin makes them on save.
    made = [
        media_root / each.name
        for story in Story.objects.all()
        for each in renditions_for(story.hero_image.name, story.hero_width, story.hero_height)
    ]
    assert stored_files(renditions) == sorted(made)


def test_illustrations_are_deterministic():
    first, second = illustration("a-story", "border"), illustration("a-story", "border")

    assert first.read() == second.read()
    assert first.name != second.name  # a fresh random name, like any upload


@pytest.mark.django_db
def test_drafts_are_loaded_but_not_published(seeds):
    load(seeds)

    draft = Story.objects.get(slug=LAST_STORY)
    assert draft.status == Status.DRAFT
    assert draft not in Story.objects.published()


@pytest.mark.django_db
def test_second_run_changes_nothing(seeds, media_root):
    load(seeds)
    before, files = database(), stored_files(media_root)

    output = load(seeds)

    assert database() == before
    assert stored_files(media_root) == files
    assert "0 created, 0 updated" in output.splitlines()[-1]


@pytest.mark.django_db
def test_a_changed_seed_updates_only_that_object(seeds):
    load(seeds)
    other_points = list(PrayerPoint.objects.exclude(prayer_request__slug="house-churches-in-iran"))
    edit_json(
        seeds,
        "prayer_requests.json",
        lambda data: by_slug(data, "house-churches-in-iran")["points"].append(
            "Pray for Iranian Christians who have had to leave the country."
        ),
    )

    output = load(seeds, "--verbosity", "2")

    assert "updated prayer request house-churches-in-iran" in output
    assert "0 created, 1 updated" in output.splitlines()[-1]
    prayer = PrayerRequest.objects.get(slug="house-churches-in-iran")
    assert prayer.points.count() == 4
    assert list(PrayerPoint.objects.exclude(prayer_request=prayer)) == other_points


@pytest.mark.django_db
def test_summaries_the_seeds_do_not_give_are_kept(seeds):
    load(seeds)
    Country.objects.filter(slug="somalia").update(summary="Written by an editor.")

    load(seeds)

    assert Country.objects.get(slug="somalia").summary == "Written by an editor."


@pytest.mark.django_db
def test_dry_run_reports_and_saves_nothing(seeds, media_root):
    output = load(seeds, "--dry-run", "--verbosity", "2")

    assert f"would create story {SEED_STORY}" in output
    assert "Dry run" in output
    assert all(count == 0 for count in map(len, database().values()))
    assert stored_files(media_root) == []


def drop_title(data):
    del by_slug(data, "nigeria-middle-belt-villages-rebuild-after-attacks")["title"]


BAD_SEEDS = {
    "invalid JSON": (
        lambda seeds: (seeds / "content/stories.json").write_text('[{"slug": "x",}]'),
        ["stories.json", "line 1, column 15", "invalid JSON"],
    ),
    "missing field": (
        lambda seeds: edit_json(seeds, "stories.json", drop_title),
        ["stories.json", "story 'nigeria-middle-belt-villages-rebuild-after-attacks'", "title"],
    ),
    "unknown spokesperson": (
        lambda seeds: edit_json(
            seeds, "stories.json", lambda data: by_slug(data, LAST_STORY).update(spokespeople=["x"])
        ),
        ["stories.json", f"story '{LAST_STORY}'", "unknown spokesperson 'x'"],
    ),
    "unknown pull quote speaker": (
        lambda seeds: edit_json(
            seeds,
            "stories.json",
            lambda data: by_slug(data, SEED_STORY)["pull_quotes"][1].update(spokesperson="x"),
        ),
        ["stories.json", f"story '{SEED_STORY}', pull quote 2", "unknown spokesperson 'x'"],
    ),
    "unknown prayer request": (
        lambda seeds: edit_json(
            seeds, "stories.json", lambda data: by_slug(data, LAST_STORY).update(prayer_request="x")
        ),
        ["stories.json", f"story '{LAST_STORY}'", "unknown prayer request 'x'"],
    ),
    "headline for search engines too long": (
        lambda seeds: edit_json(
            seeds, "stories.json", lambda data: by_slug(data, LAST_STORY).update(seo_title="x" * 71)
        ),
        ["stories.json", f"story '{LAST_STORY}'", "seo_title", "at most 70 characters"],
    ),
    "time without offset": (
        lambda seeds: edit_json(
            seeds,
            "stories.json",
            lambda data: by_slug(data, LAST_STORY).update(published_at="2025-08-05T09:00:00"),
        ),
        ["stories.json", f"story '{LAST_STORY}'", "published_at must be a time with a UTC offset"],
    ),
    "unknown country": (
        lambda seeds: edit_json(
            seeds, "prayer_requests.json", lambda data: data[-1].update(countries=["atlantis"])
        ),
        ["prayer_requests.json", "unregistered-churches-in-china", "unknown country 'atlantis'"],
    ),
    "no prayer points": (
        lambda seeds: edit_json(
            seeds, "prayer_requests.json", lambda data: data[0].update(points=[])
        ),
        ["prayer_requests.json", "north-korean-refugees-returned-from-china", "points"],
    ),
    "bad status": (
        lambda seeds: edit_json(
            seeds, "spokespeople.json", lambda data: data[0].update(status="live")
        ),
        ["spokespeople.json", "spokesperson 'timothy-cho'", "status", "not a valid choice"],
    ),
    "summary for an unknown country": (
        lambda seeds: edit_json(
            seeds, "countries.json", lambda data: data.update(atlantis={"summary": "Lost."})
        ),
        ["countries.json", "country 'atlantis'", "unknown country"],
    ),
    "rank out of range": (
        lambda seeds: edit_csv(seeds, 3, "rank", "51"),
        ["world_watch_list.csv", "line 3", "rank", "less than or equal to 50"],
    ),
    "score not a number": (
        lambda seeds: edit_csv(seeds, 5, "score", "high"),
        ["world_watch_list.csv", "line 5", "score 'high' is not a whole number"],
    ),
    "score over 100": (
        lambda seeds: edit_csv(seeds, 5, "score", "101"),
        ["world_watch_list.csv", "line 5", "score", "less than or equal to 100"],
    ),
    "unknown level": (
        lambda seeds: edit_csv(seeds, 7, "level", "severe"),
        ["world_watch_list.csv", "line 7", "level 'severe'"],
    ),
    "rank given twice": (
        lambda seeds: edit_csv(seeds, 4, "rank", "2"),
        ["world_watch_list.csv", "line 4", "rank 2 of 2025 is already given on line 3"],
    ),
    "missing column": (
        lambda seeds: edit_csv(seeds, 1, "score", "points"),
        ["world_watch_list.csv", "line 1", "missing column(s): score"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("break_seeds, expected", BAD_SEEDS.values(), ids=BAD_SEEDS.keys())
def test_a_bad_seed_file_is_named_and_changes_nothing(seeds, media_root, break_seeds, expected):
    load(seeds)
    before, files = database(), stored_files(media_root)
    edit_json(seeds, "stories.json", lambda data: by_slug(data, SEED_STORY).update(title="Changed"))
    edit_json(seeds, "spokespeople.json", lambda data: data[0].update(role="Changed"))
    break_seeds(seeds)

    with pytest.raises(CommandError) as error:
        load(seeds)

    for fragment in expected:
        assert fragment in str(error.value)
    assert database() == before
    assert stored_files(media_root) == files


@pytest.mark.django_db
def test_a_late_failure_leaves_an_empty_database_and_no_images(seeds, media_root):
    edit_json(
        seeds, "stories.json", lambda data: by_slug(data, LAST_STORY).update(spokespeople=["x"])
    )

    with pytest.raises(CommandError, match="unknown spokesperson 'x'"):
        load(seeds)

    assert all(count == 0 for count in map(len, database().values()))
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_loading_changes_the_content_version_only_when_something_changed(seeds):
    before = content_version()
    load(seeds, "--dry-run")
    assert content_version() == before

    load(seeds)
    loaded = content_version()
    assert loaded != before  # no page cached before the load is served after it

    load(seeds)  # the same files again: nothing saved
    assert content_version() == loaded
