"""Reading seed files: each problem names the file, the entry or line, and what is wrong.

Both loaders build on these: ``load_seeds`` (the JSON demo content and the World Watch List)
and ``import_representatives`` (the open data on parliaments, members and postcodes).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils import timezone


class SeedError(Exception):
    """A problem in the seed files (or several, one a line), naming the file, the entry and
    what is wrong."""


class Problems(list):
    """Problems gathered while reading, to refuse them all at once: nothing is loaded."""

    SHOWN = 25

    def add(self, where: "Where", problem: str) -> None:
        self.append(f"{where}: {problem}")

    def check(self) -> None:
        """Raise a SeedError listing the problems found (the first SHOWN), if any."""
        if self:
            more = [f"... and {len(self) - self.SHOWN} more."] if len(self) > self.SHOWN else []
            raise SeedError("\n".join(self[: self.SHOWN] + more))


@dataclass(frozen=True)
class Where:
    """A place in the seed files: the file and the entry (a slug or a CSV line), if any."""

    path: Path
    entry: str = ""

    def __str__(self) -> str:
        return f"{self.path}, {self.entry}" if self.entry else str(self.path)

    def error(self, problem: str) -> SeedError:
        return SeedError(f"{self}: {problem}")

    def within(self, part: str) -> "Where":
        return Where(self.path, f"{self.entry}, {part}")


def read_json(path: Path):
    try:
        return json.loads(read_text(path), object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        where = Where(path, f"line {error.lineno}, column {error.colno}")
        raise where.error(f"invalid JSON: {error.msg}") from error
    except ValueError as error:
        raise Where(path).error(str(error)) from error


def read_text(path: Path) -> str:
    """The file's text, or a SeedError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise Where(path).error(unreadable(error)) from error


def unreadable(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "the file is missing"
    return f"cannot be read ({error.strerror})"


def _refuse_duplicate_keys(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if duplicates := sorted({key for key in keys if keys.count(key) > 1}):
        raise ValueError(f"the key {duplicates[0]!r} is given twice in one object")
    return dict(pairs)


def read_entries(path: Path, kind: str):
    """Yield (where, entry) for a JSON list of objects, each with its own slug."""
    data = read_json(path)
    if not isinstance(data, list):
        raise Where(path).error(f"expected a list of {kind} entries")
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


# Values written as text, the same in a JSON entry and a CSV cell


def day(where: Where, name: str, value) -> date:
    """An ISO date, such as 2023-10-20."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise where.error(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def moment(where: Where, name: str, value) -> datetime:
    """An ISO time with a UTC offset, such as 2023-10-20T09:00:00+01:00."""
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        when = None
    if when is None or timezone.is_naive(when):
        example = "2023-10-20T09:00:00+01:00"
        raise where.error(
            f"{name} must be a time with a UTC offset, such as {example}, not {value!r}"
        )
    return when
