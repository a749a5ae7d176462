"""Load the demo content in seeds/: every object validated, all or nothing, and idempotent.

Objects are found by their natural key (slug; ISO code for countries; year and rank for the
World Watch List) and saved only when a value differs, so a second load changes nothing.
"""

import csv
import hashlib
import io
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageColor, ImageDraw

from advocacy.images import clean_image
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


class SeedError(Exception):
    """A problem in a seed file, naming the file, the entry and what is wrong."""


@dataclass(frozen=True)
class Where:
    """A place in the seed files: the file and the entry (a slug or a CSV line)."""

    path: Path
    entry: str

    def error(self, problem: str) -> SeedError:
        return SeedError(f"{self.path}: {self.entry}: {problem}")

    def within(self, part: str) -> "Where":
        return Where(self.path, f"{self.entry}, {part}")


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
    report = SeedReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            content = Path(root) / "content"
            countries = load_countries(Path(root), report)
            people = load_spokespeople(content / "spokespeople.json", report)
            prayers = load_prayer_requests(content / "prayer_requests.json", countries, report)
            load_stories(content / "stories.json", countries, people, prayers, report)
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


# Reading and checking the files


def read_json(path: Path):
    try:
        return json.loads(_read(path), object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        where = Where(path, f"line {error.lineno}, column {error.colno}")
        raise where.error(f"invalid JSON: {error.msg}") from error
    except ValueError as error:
        raise Where(path, "file").error(str(error)) from error


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise Where(path, "file").error(f"cannot be read ({error.strerror})") from error


def _refuse_duplicate_keys(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if duplicates := sorted({key for key in keys if keys.count(key) > 1}):
        raise ValueError(f"the key {duplicates[0]!r} is given twice in one object")
    return dict(pairs)


def read_entries(path: Path, kind: str):
    """Yield (where, entry) for a JSON list of objects, each with its own slug."""
    data = read_json(path)
    if not isinstance(data, list):
        raise Where(path, "file").error(f"expected a list of {kind} entries")
    seen = set()
    for number, entry in enumerate(data, start=1):
        slug = entry.get("slug") if isinstance(entry, dict) else None
        if not isinstance(slug, str) or not slug:
            raise Where(path, f"entry {number}").error('expected an object with a "slug"')
        where = Where(path, f"{kind} {slug!r}")
        if slug in seen:
            raise where.error("an earlier entry has the same slug")
        seen.add(slug)
        yield where, entry


def check_keys(where: Where, data, required: tuple, optional: tuple = ()) -> None:
    if not isinstance(data, dict):
        raise where.error("expected an object")
    if missing := [key for key in required if key not in data]:
        raise where.error(f"missing field(s): {', '.join(missing)}")
    if unknown := sorted(set(data) - set(required) - set(optional)):
        raise where.error(f"unknown field(s): {', '.join(unknown)}")


def strings(where: Where, data: dict, key: str) -> list[str]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise where.error(f"{key} must be a list of non-empty strings")
    return value


def refer(where: Where, kind: str, slug, known: dict):
    if slug not in known:
        raise where.error(f"unknown {kind} {slug!r}")
    return known[slug]


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
    reader = csv.DictReader(io.StringIO(_read(path), newline=""))
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
    people = {}
    for where, data in read_entries(path, "spokesperson"):
        names = ("name", "role", "biography")
        check_keys(where, data, ("slug", *names, "status", "published_at"), ("name_changed",))
        values = publication(where, data, names) | {"name_changed": data.get("name_changed", False)}
        person, action = upsert(Spokesperson, {"slug": data["slug"]}, values, where, report)
        people[data["slug"]] = finish(report, person, action, data["slug"])
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


def load_stories(path: Path, countries: dict, people: dict, prayers: dict, report: SeedReport):
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
        finish(report, story, action, data["slug"], changed)


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


# Illustrations: there are no photographs, so each story gets a simple drawn landscape

ILLUSTRATION_SIZE = WIDTH, HEIGHT = 1200, 630
SCENES = {
    # sky top, sky bottom, far hills, near hills, ground, detail
    "border": ("#5f6f80", "#e3c6a6", "#73828e", "#5b6a5f", "#9db0b5", "#2e302c"),
    "village": ("#9fb8c8", "#eceee2", "#8ea59b", "#718f62", "#8f9c5e", "#a88b6d"),
    "city": ("#3f4b63", "#d6a68a", "#5c657a", "#4d566b", "#3a4152", "#2c3242"),
    "plain": ("#b4c6d4", "#f0e1c3", "#a38f7b", "#b8a27f", "#cbb28a", "#5e5b3d"),
}


def illustration(seed: str, scene: str) -> ContentFile:
    """A muted landscape, the same for the same seed, passed through the upload pipeline."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    sky_top, sky_bottom, far, near, ground, detail = SCENES[scene]
    image = Image.new("RGB", ILLUSTRATION_SIZE)
    draw = ImageDraw.Draw(image)
    horizon = int(HEIGHT * rng.uniform(0.55, 0.62))
    _gradient(draw, sky_top, sky_bottom, horizon)
    _ridge(draw, rng, horizon - 40, 90, far)
    _ridge(draw, rng, horizon, 40, near)
    DETAILS[scene](draw, rng, horizon, ground, detail)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return clean_image(buffer)


def _gradient(draw: ImageDraw.ImageDraw, top: str, bottom: str, height: int) -> None:
    start, end = ImageColor.getrgb(top), ImageColor.getrgb(bottom)
    for y in range(height + 60):
        share = min(y / height, 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(start, end, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _ridge(draw: ImageDraw.ImageDraw, rng: random.Random, base: int, height: int, colour):
    waves = [(rng.uniform(0, math.tau), length) for length in (260, 130, 55)]

    def y(x: int) -> float:
        return base - height * (1 + sum(math.sin(x / n + phase) for phase, n in waves) / 3) / 2

    draw.polygon(
        [(0, HEIGHT), *((x, y(x)) for x in range(0, WIDTH + 20, 20)), (WIDTH, HEIGHT)], fill=colour
    )


def _border(draw, rng, horizon, water, fence):
    """A river under the hills and a fence along the near bank."""
    draw.rectangle([0, horizon + 15, WIDTH, horizon + 75], fill=water)
    draw.rectangle([0, horizon + 75, WIDTH, HEIGHT], fill="#47523f")
    top, bottom = horizon + 140, horizon + 215
    for x in range(-20, WIDTH + 40, 70):
        draw.rectangle([x, top + rng.randint(-4, 4), x + 7, bottom], fill=fence)
    for y in (top + 12, top + 36, top + 60):
        draw.line([(0, y), (WIDTH, y + rng.randint(-6, 6))], fill=fence, width=2)


def _village(draw, rng, horizon, ground, walls):
    """Small houses with pitched roofs at the foot of the hills."""
    draw.rectangle([0, horizon + 30, WIDTH, HEIGHT], fill=ground)
    x, base = rng.randint(80, 240), horizon + 60
    while x < WIDTH - 120:
        width, height = rng.randint(60, 110), rng.randint(40, 65)
        draw.rectangle([x, base - height, x + width, base], fill=walls)
        top = base - height
        draw.polygon(
            [(x - 10, top), (x + width // 2, top - 35), (x + width + 10, top)], fill="#6f5443"
        )
        x += width + rng.randint(40, 160)


def _city(draw, rng, horizon, street, blocks):
    """Blocks of buildings with a few lit windows."""
    x = 0
    while x < WIDTH:
        width, top = rng.randint(50, 130), horizon + 40 - rng.randint(60, 240)
        draw.rectangle([x, top, x + width, HEIGHT], fill=blocks)
        windows = [
            (wx, wy)
            for wy in range(top + 20, horizon + 20, 28)
            for wx in range(x + 10, x + width - 14, 22)
        ]
        for wx, wy in windows:
            if rng.random() < 0.3:
                draw.rectangle([wx, wy, wx + 8, wy + 12], fill="#d9c08e")
        x += width + rng.randint(0, 12)
    draw.rectangle([0, horizon + 60, WIDTH, HEIGHT], fill=street)


def _plain(draw, rng, horizon, ground, trees):
    """A dry plain with a few flat-topped trees."""
    draw.rectangle([0, horizon + 20, WIDTH, HEIGHT], fill=ground)
    for _ in range(rng.randint(3, 6)):
        x, base = rng.randint(40, WIDTH - 40), horizon + rng.randint(40, 160)
        draw.line([(x, base), (x, base - 45)], fill=trees, width=5)
        draw.ellipse([x - 50, base - 70, x + 50, base - 40], fill=trees)


DETAILS = {"border": _border, "village": _village, "city": _city, "plain": _plain}
