"""Load the demo content in seeds/: every object validated, all or nothing, and idempotent.

Objects are found by their natural key (slug; ISO code for countries; year and rank for the
World Watch List) and saved only when a value differs, so a second load changes nothing.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from core.seeds.reading import (
    Where,
    check_keys,
    read_entries,
    read_json,
    read_text,
    refer,
    strings,
)
from core.seeds.saving import (
    SeedReport,
    finish,
    publication,
    sync_children,
    sync_m2m,
    upsert,
    validate,
)
from images.illustrations import SCENES, illustration
from safeguarding.guard import withheld_names_record
from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
)


@dataclass(frozen=True)
class StoriesContent:
    """What the stories' seeds made, by slug, for the campaigns that link them."""

    stories: dict[str, Story]
    people: dict[str, Spokesperson]
    prayers: dict[str, PrayerRequest]


def load_stories_content(root: Path, report: SeedReport) -> StoriesContent:
    """Countries and the World Watch List, spokespeople, prayer requests and stories."""
    content = root / "content"
    countries = load_countries(root, report)
    people = load_spokespeople(content / "spokespeople.json", report)
    prayers = load_prayer_requests(content / "prayer_requests.json", countries, report)
    stories = load_stories(content / "stories.json", countries, people, prayers, report)
    return StoriesContent(stories, people, prayers)


# Countries and the World Watch List

WATCH_LIST_COLUMNS = ("year", "rank", "country", "iso_alpha2", "score", "level")
LEVELS = {
    "extreme": WatchListEntry.Level.EXTREME,
    "very high": WatchListEntry.Level.VERY_HIGH,
    "high": WatchListEntry.Level.HIGH,
}


@dataclass(frozen=True)
class WatchListRow:
    where: Where
    year: int
    rank: int
    score: int
    level: str
    country: str
    iso_code: str


def load_countries(root: Path, report: SeedReport) -> dict[str, Country]:
    """Each country on the list (with its summary, if the seeds give one) and its entry."""
    rows = read_watch_list(root / "world_watch_list.csv")
    slugs: dict[str, WatchListRow] = {}
    for row in rows:
        slugs.setdefault(slugify(row.country), row)
    summaries = read_summaries(root / "content" / "countries.json", set(slugs))
    countries = {}
    for slug, row in slugs.items():
        values = {"name": row.country, "slug": slug}
        if slug in summaries:  # a summary the seeds do not give is an editor's to keep
            values["summary"] = summaries[slug]
        country, action = upsert(Country, {"iso_code": row.iso_code}, values, row.where, report)
        countries[slug] = finish(report, country, action, slug)
    for row in rows:
        values = {"country": countries[slugify(row.country)], "score": row.score}
        lookup = {"year": row.year, "rank": row.rank}
        entry, action = upsert(
            WatchListEntry, lookup, values | {"level": row.level}, row.where, report
        )
        finish(report, entry, action, f"{row.year} #{row.rank} {row.country}")
    return countries


def read_watch_list(path: Path) -> list[WatchListRow]:
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    if missing := [name for name in WATCH_LIST_COLUMNS if name not in (reader.fieldnames or [])]:
        raise Where(path, "line 1").error(f"missing column(s): {', '.join(missing)}")
    rows = [_watch_list_row(Where(path, f"line {reader.line_num}"), row) for row in reader]
    _check_unique(rows, lambda row: (row.year, row.rank), "rank {1} of {0}")
    _check_unique(rows, lambda row: (row.year, row.iso_code), "{1} in {0}")
    return rows


def _watch_list_row(where: Where, record: dict) -> WatchListRow:
    if None in record or any(record[name] is None for name in WATCH_LIST_COLUMNS):
        raise where.error("wrong number of columns")
    level, iso_code = record["level"].strip().lower(), record["iso_alpha2"].strip().upper()
    if level not in LEVELS:
        raise where.error(f"level {record['level']!r} is not one of: {', '.join(LEVELS)}")
    if len(iso_code) != 2 or not iso_code.isalpha():
        raise where.error(f"iso_alpha2 {record['iso_alpha2']!r} is not two letters")
    if not record["country"].strip():
        raise where.error("country is empty")
    year, rank, score = (_whole_number(where, record, name) for name in ("year", "rank", "score"))
    country = record["country"].strip()
    return WatchListRow(where, year, rank, score, LEVELS[level], country, iso_code)


def _whole_number(where: Where, record: dict, name: str) -> int:
    if not record[name].strip().isdigit():
        raise where.error(f"{name} must be a whole number, not {record[name]!r}")
    return int(record[name])


def _check_unique(rows: list[WatchListRow], key, what: str) -> None:
    first: dict[tuple, Where] = {}
    for row in rows:
        if earlier := first.get(key(row)):
            raise row.where.error(f"{what.format(*key(row))} is already given on {earlier.entry}")
        first[key(row)] = row.where


def read_summaries(path: Path, known_slugs: set[str]) -> dict[str, str]:
    data = read_json(path)
    if not isinstance(data, dict):
        raise Where(path, "file").error("expected an object keyed by country slug")
    for slug, entry in data.items():
        where = Where(path, f"country {slug!r}")
        if slug not in known_slugs:
            raise where.error("unknown country (not in world_watch_list.csv)")
        check_keys(where, entry, required=("summary",))
    return {slug: entry["summary"] for slug, entry in data.items()}


# Spokespeople, prayer requests and stories


def load_spokespeople(path: Path, report: SeedReport) -> dict[str, Spokesperson]:
    people, places, any_added = {}, {}, False
    for where, data in read_entries(path, "spokesperson"):
        names = ("name", "role", "biography")
        optional = ("name_changed", "withheld_names")
        check_keys(where, data, ("slug", *names, "status", "published_at"), optional)
        values = publication(where, data, names) | {"name_changed": data.get("name_changed", False)}
        person, action = upsert(Spokesperson, {"slug": data["slug"]}, values, where, report)
        withheld = strings(where, data, "withheld_names") if "withheld_names" in data else []
        # Only added, never forgotten: names recorded in the admin are not in the seeds.
        added = withheld_names_record(owner=person, text="\n".join(withheld))
        any_added |= bool(added)
        people[data["slug"]] = finish(report, person, action, data["slug"], bool(added))
        places[data["slug"]] = where
    if any_added:  # the people were validated before these names were known
        for slug, person in people.items():
            validate(person, places[slug])
    return people


def load_prayer_requests(path: Path, countries: dict, report: SeedReport) -> dict:
    prayers = {}
    for where, data in read_entries(path, "prayer request"):
        names = ("title", "introduction")
        check_keys(where, data, ("slug", *names, "countries", "points", "status", "published_at"))
        places = [
            refer(where, "country", slug, countries) for slug in strings(where, data, "countries")
        ]
        if not (texts := strings(where, data, "points")):
            raise where.error("points must not be empty")
        values = publication(where, data, names)
        prayer, action = upsert(PrayerRequest, {"slug": data["slug"]}, values, where, report)
        points = [
            PrayerPoint(prayer_request=prayer, text=text, position=number)
            for number, text in enumerate(texts, start=1)
        ]
        changed = sync_m2m(prayer, "countries", places)
        changed |= sync_children(prayer.points, points, ("text", "position"), where)
        prayers[data["slug"]] = finish(report, prayer, action, data["slug"], changed)
    return prayers


STORY_FIELDS = ("title", "standfirst")
STORY_OPTIONAL = ("seo_title", "seo_description")
STORY_LINKS = ("body", "countries", "spokespeople", "prayer_request", "pull_quotes", "hero")
PULL_QUOTE_FIELDS = ("text", "spokesperson_id", "attribution", "position")


def load_stories(
    path: Path, countries: dict, people: dict, prayers: dict, report: SeedReport
) -> dict[str, Story]:
    stories = {}
    for where, data in read_entries(path, "story"):
        required = ("slug", *STORY_FIELDS, *STORY_LINKS, "status", "published_at")
        check_keys(where, data, required, STORY_OPTIONAL)
        values = publication(where, data, STORY_FIELDS) | _story_values(where, data, prayers)
        places = [
            refer(where, "country", slug, countries) for slug in strings(where, data, "countries")
        ]
        speakers = [
            refer(where, "spokesperson", s, people) for s in strings(where, data, "spokespeople")
        ]
        draw = _illustrate(data["slug"], data["hero"]["scene"])
        story, action = upsert(Story, {"slug": data["slug"]}, values, where, report, draw)
        quotes = _pull_quotes(where, story, data["pull_quotes"], people)
        changed = sync_m2m(story, "countries", places)
        changed |= sync_m2m(story, "spokespeople", speakers)
        changed |= sync_children(story.pull_quotes, quotes, PULL_QUOTE_FIELDS, where)
        stories[data["slug"]] = finish(report, story, action, data["slug"], changed)
    return stories


def _story_values(where: Where, data: dict, prayers: dict) -> dict:
    hero = data["hero"]
    check_keys(where.within("hero"), hero, ("scene", "alt", "caption", "credit"))
    if hero["scene"] not in SCENES:
        raise where.error(f"hero scene {hero['scene']!r} is not one of: {', '.join(SCENES)}")
    prayer = data["prayer_request"]
    return {name: data.get(name, "") for name in STORY_OPTIONAL} | {
        "body": "\n".join(strings(where, data, "body")),
        "prayer_request": prayer and refer(where, "prayer request", prayer, prayers),
        "hero_alt": hero["alt"],
        "hero_caption": hero["caption"],
        "hero_credit": hero["credit"],
    }


def _illustrate(seed: str, scene: str):
    def prepare(story: Story) -> None:
        if not story.hero_image:  # an editor's picture, or the one drawn last time, stays
            story.hero_image = illustration(seed, scene)

    return prepare


def _pull_quotes(where: Where, story: Story, quotes, people: dict) -> list[PullQuote]:
    if not isinstance(quotes, list):
        raise where.error("pull_quotes must be a list")
    built = []
    for position, quote in enumerate(quotes, start=1):
        here = where.within(f"pull quote {position}")
        check_keys(here, quote, ("text",), optional=("spokesperson", "attribution"))
        speaker = quote.get("spokesperson") and refer(
            here, "spokesperson", quote["spokesperson"], people
        )
        attribution = quote.get("attribution", "")
        built.append(
            PullQuote(
                story=story,
                text=quote["text"],
                spokesperson=speaker,
                attribution=attribution,
                position=position,
            )
        )
    return built
