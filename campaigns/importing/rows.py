"""Reading CSV rows with checks that name the file, line and problem."""

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    problem: str

    def __str__(self):
        return f"{self.file}, line {self.line}: {self.problem}"


class Problems(list):
    """Every problem found in the source files, in the order found."""

    def add(self, file, line, problem):
        self.append(Problem(file, line, problem))


class Row:
    """One CSV row; each getter checks a column and records a problem instead of raising."""

    def __init__(self, file, line, data, problems):
        self.file, self.line, self.data, self.problems = file, line, data, problems
        self.ok = True

    def fail(self, problem):
        self.ok = False
        self.problems.add(self.file, self.line, problem)

    def text(self, column, *, required=True):
        value = (self.data.get(column) or "").strip()
        if required and not value:
            self.fail(f"{column} is empty")
        return value

    def matching(self, column, pattern, description, *, required=True):
        value = self.text(column, required=required)
        if value and not re.fullmatch(pattern, value):
            self.fail(f"{column} {value!r} is not {description}")
        return value

    def integer(self, column, *, required=True, minimum=0):
        value = self.text(column, required=required)
        if not value:
            return None
        if not value.isdigit() or int(value) < minimum:
            self.fail(f"{column} {value!r} is not a whole number of at least {minimum}")
            return None
        return int(value)

    def fraction(self, column):
        """A decimal above 0 and at most 1, with at most four decimal places."""
        value = self.text(column)
        if not value:
            return None
        try:
            number = Decimal(value)
            valid = number.is_finite() and 0 < number <= 1 and number.as_tuple().exponent >= -4
        except InvalidOperation:
            valid = False
        if not valid:
            self.fail(f"{column} {value!r} is not a fraction between 0 and 1 (4 places at most)")
            return None
        return number

    def day(self, column, *, required=False):
        """An ISO date. A month alone (``2026-06``, perhaps with a note in brackets) is read
        as unknown: the source knows the month, not the day."""
        value = self.text(column, required=required)
        if not value or re.fullmatch(r"[0-9]{4}-[0-9]{2}( \(.*\))?", value):
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{column} {value!r} is not a date (YYYY-MM-DD)")
            return None

    def email(self, column):
        value = self.text(column, required=False)
        try:
            validate_email(value) if value else None
        except ValidationError:
            self.fail(f"{column} {value!r} is not an email address")
            return ""
        return value


def read_rows(folder: Path, name: str, columns: list[str], problems: Problems):
    """Yield a Row for each data line of ``folder/name``; a missing file or column is a problem."""
    path = folder / name
    if not path.is_file():
        problems.add(name, 0, "the file is missing")
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            yield from _checked_rows(reader, name, columns, problems)
        except UnicodeDecodeError:
            problems.add(name, reader.line_num + 1, "the file is not UTF-8 text")
        except csv.Error as error:
            problems.add(name, reader.line_num, f"not readable as CSV ({error})")


def _checked_rows(reader, name, columns, problems):
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        problems.add(name, 1, f"missing column(s): {', '.join(missing)}")
        return
    for data in reader:
        if None in data:
            problems.add(name, reader.line_num, "more fields than the header has")
            continue
        yield Row(name, reader.line_num, data, problems)
