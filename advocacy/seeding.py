"""Load the demo content in seeds/: every object validated, all or nothing, and idempotent.

Objects are found by their natural key (slug; ISO code for countries; year and rank for the
World Watch List) and saved only when a value differs, so a second load changes nothing.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify

from advocacy.illustrations import SCENES, illustration
from advocacy.seed_files import (
    Where,
    check_keys,
    read_entries,
    read_json,
    read_text,
    refer,
    strings,
)
from advocacy.withheld import withheld_names_record
from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
)

SEEDS_DIR = settings.BASE_DIR / "seeds"
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class SeedReport:
    """What a load did (or, in a dry run, would do) to each object."""

    dry_run: bool = False
    changes: list[tuple[str, type[models.Model], str]] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for done, _, _ in self.changes if done == action)

    def by_model(self) -> dict[type[models.Model], Counter]:
        counts: dict[type[models.Model], Counter] = {}
        for action, model, _ in self.changes:
            counts.setdefault(model, Counter())[action] += 1
        return counts


def load_seeds(root: Path = SEEDS_DIR, *, dry_run: bool = False) -> SeedReport:
    """Load every seed file in one transaction; roll it all back on a bad file or a dry run."""
    from campaigns.seeding import load_campaigns  # it builds on this module's helpers

    report = SeedReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            content = Path(root) / "content"
            countries = load_countries(Path(root), report)
            people = load_spokespeople(content / "spokespeople.json", report)
            prayers = load_prayer_requests(content / "prayer_requests.json", countries, report)
            stories = load_stories(content / "stories.json", countries, people, prayers, report)
            load_campaigns(content / "campaigns.json", stories, people, prayers, report)
            transaction.set_rollback(dry_run)
    except BaseException:
        _delete_files(report)
        raise
    if dry_run:
        _delete_files(report)
    return report


def _delete_files(report: SeedReport) -> None:
    """Files saved inside a rolled-back transaction would be orphans: remove them."""
    storage = Story._meta.get_field("hero_image").storage
    for name in report.files_written:
        storage.delete(name)


# Saving: compare, validate, save only what differs


def upsert(model, lookup: dict, values: dict, where: Where, report: SeedReport, prepare=None):
    """Find or build the object, apply the values and validate; save it if anything differs.

    Returns the object and CREATED, UPDATED or UNCHANGED.
    """
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    before = _snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    if prepare:
        prepare(obj)
    validate(obj, where)  # full_clean() also normalises values, e.g. sanitises rich text
    if obj.pk is not None and _snapshot(obj) == before:
        return obj, UNCHANGED
    action = CREATED if obj.pk is None else UPDATED
    obj.save()
    report.files_written += _new_files(obj, before)
    return obj, action


def finish(report: SeedReport, obj, action: str, key: str, links_changed: bool = False):
    """Record what happened to the object; a change in its links alone is an update too."""
    if action == UNCHANGED and links_changed:
        obj.save(update_fields=["updated_at"])
        action = UPDATED
    report.changes.append((action, type(obj), key))
    return obj


def _snapshot(obj: models.Model) -> dict:
    values = {}
    for model_field in obj._meta.concrete_fields:
        if not (model_field.primary_key or getattr(model_field, "auto_now", False)):
            value = getattr(obj, model_field.attname)
            values[model_field.attname] = value.name if isinstance(value, FieldFile) else value
    return values


def _new_files(obj: models.Model, before: dict) -> list[str]:
    """The names of the files that saving the object has just written to storage."""
    names = []
    for model_field in obj._meta.concrete_fields:
        if isinstance(model_field, models.FileField):
            name = getattr(obj, model_field.attname).name
            if name and name != before[model_field.attname]:
                names.append(name)
    return names


def validate(obj: models.Model, where: Where) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise where.error(describe(error)) from error


def describe(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


def sync_m2m(obj: models.Model, name: str, targets: list) -> bool:
    manager = getattr(obj, name)
    if set(manager.values_list("pk", flat=True)) == {target.pk for target in targets}:
        return False
    manager.set(targets)
    return True


def sync_children(manager, wanted: list, fields: tuple, where: Where) -> bool:
    """Replace an ordered list of child rows, only when it differs from the wanted one."""
    for child in wanted:
        validate(child, where)
    current = list(manager.order_by("position", "id").values_list(*fields))
    if current == [tuple(getattr(child, name) for name in fields) for child in wanted]:
        return False
    manager.all().delete()
    for child in wanted:
        child.save()
    return True


def publication(where: Where, data: dict, names: tuple) -> dict:
    """The named plain fields, the status and a timezone-aware publication time."""
    values = {name: data[name] for name in (*names, "status")}
    try:
        values["published_at"] = datetime.fromisoformat(data["published_at"])
    except (TypeError, ValueError):
        values["published_at"] = None
    if values["published_at"] is None or timezone.is_naive(values["published_at"]):
        example = "2023-10-20T09:00:00+01:00"
        raise where.error(
            f"published_at must be a time with a UTC offset, such as {example}, "
            f"not {data['published_at']!r}"
        )
    return values


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
