"""Load the demo content in seeds/: every object validated, all or nothing, and idempotent.

Objects are found by their natural key (slug; ISO code for countries; year and rank for the
World Watch List) and saved only when a value differs, so a second load changes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from core.seeds.reading import Problems, Where, check_keys, read_entries, read_json, refer, strings
from core.seeds.rows import once, read_rows
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
    """Every row checked; raises a SeedError naming each bad line."""
    problems, rows = Problems(), []
    same_rank, same_country = once(), once()
    for row in read_rows(path, WATCH_LIST_COLUMNS, problems):
        year, rank, score = (row.integer(name) for name in ("year", "rank", "score"))
        iso_code = row.matching("iso_alpha2", "[A-Za-z]{2}", "two letters").upper()
        country, level = row.text("country"), row.text("level").lower()
        if level and level not in LEVELS:
            row.fail(f"level {row.data['level']!r} is not one of: {', '.join(LEVELS)}")
        if row.ok:
            same_rank(row, (year, rank), f"rank {rank} of {year}")
            same_country(row, (year, iso_code), f"{iso_code} in {year}")
        if row.ok:
            level = LEVELS[level]
            rows.append(WatchListRow(row.where, year, rank, score, level, country, iso_code))
    problems.check()
    return rows


def read_summaries(path: Path, known_slugs: set[str]) -> dict[str, str]:
    data = read_json(path)
    if not isinstance(data, dict):
        raise Where(path).error("expected an object keyed by country slug")
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
