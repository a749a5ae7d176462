"""Reading CSV seed files: each row named by its file and line, each value checked.

A problem is recorded, not raised, so that one read reports every bad row of every file;
the caller refuses them all at once (``Problems.check``) before anything is saved.
"""

import csv
import re
from pathlib import Path

from core.seeds.reading import Problems, SeedError, Where, day, unreadable


def read_csv(path: Path, columns, problems: Problems):
    """Yield (where, row) for each data line of the file, the row a dict keyed by the header.

    A missing or unreadable file, a missing column, a line with more or fewer fields than the
    header, and text that is not UTF-8 CSV are problems; such a line is left out.
    """
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        problems.add(Where(path), unreadable(error))
        return
    with handle:
        reader = csv.reader(handle)
        try:
            yield from _checked_lines(path, reader, columns, problems)
        except UnicodeDecodeError:
            problems.add(Where(path, f"line {reader.line_num + 1}"), "the file is not UTF-8 text")
        except csv.Error as error:
            problems.add(Where(path, f"line {reader.line_num}"), f"not readable as CSV ({error})")


def _checked_lines(path, reader, columns, problems):
    header = next(reader, [])
    if missing := [column for column in columns if column not in header]:
        problems.add(Where(path, "line 1"), f"missing column(s): {', '.join(missing)}")
        return
    width = len(header)
    for fields in reader:
        if not fields:  # a blank line, skipped as csv.DictReader does
            continue
        where = Where(path, f"line {reader.line_num}")
        if len(fields) == width:
            yield where, dict(zip(header, fields, strict=True))
        else:
            more = "more" if len(fields) > width else "fewer"
            problems.add(where, f"{more} fields than the header has")


def read_rows(path: Path, columns, problems: Problems):
    """Yield a Row, to check its values, for each data line read by ``read_csv``."""
    for where, data in read_csv(path, columns, problems):
        yield Row(where, data, problems)


class Row:
    """One CSV row; each getter checks a column and records a problem instead of raising."""

    __slots__ = ("where", "data", "problems", "ok")

    def __init__(self, where: Where, data: dict, problems: Problems):
        self.where, self.data, self.problems = where, data, problems
        self.ok = True

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.add(self.where, problem)

    def text(self, column, *, required=True) -> str:
        value = self.data[column].strip()
        if required and not value:
            self.fail(f"{column} is empty")
        return value

    def matching(self, column, pattern, description, *, required=True) -> str:
        value = self.text(column, required=required)
        if value and not re.fullmatch(pattern, value):
            self.fail(f"{column} {value!r} is not {description}")
        return value

    def integer(self, column, *, required=True, minimum=0) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None
        if not value.isdigit() or int(value) < minimum:
            least = f" of at least {minimum}" if minimum else ""
            self.fail(f"{column} {value!r} is not a whole number{least}")
            return None
        return int(value)

    def day(self, column, *, required=False):
        value = self.text(column, required=required)
        try:
            return day(self.where, column, value) if value else None
        except SeedError as error:
            self.ok = False
            self.problems.append(str(error))


def once():
    """A check that fails a row whose key an earlier row had, naming that row's line."""
    seen: dict = {}

    def check(row: Row, key, what: str) -> None:
        if key in seen:
            row.fail(f"{what} is already given on {seen[key].entry}")
        else:
            seen[key] = row.where

    return check
