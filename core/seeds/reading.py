"""Reading seed files: each problem names the file, the entry and what is wrong."""

import json
from dataclasses import dataclass
from pathlib import Path


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


def read_json(path: Path):
    try:
        return json.loads(read_text(path), object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        where = Where(path, f"line {error.lineno}, column {error.colno}")
        raise where.error(f"invalid JSON: {error.msg}") from error
    except ValueError as error:
        raise Where(path, "file").error(str(error)) from error


def read_text(path: Path) -> str:
    """The file's text, or a SeedError naming it."""
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
