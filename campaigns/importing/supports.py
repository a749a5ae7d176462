"""Which members supported a parliamentary action, loaded from a CSV of the parliament's data.

Two layouts are read, told apart by their header (case and spacing ignored):

- a member id column (``member_id``, ``MemberId`` or ``Member ID``: the UK Parliament member
  id, as in the Members API and the EDM sponsors' records) and a date (``date``,
  ``Date signed`` or ``CreatedWhen``); or
- the simple layout staff can type: ``name``, ``constituency`` and ``date``.

An optional ``kind`` column (signed, backed, spoke, asked) overrides the kind chosen for the
whole file. Dates are ISO (2026-03-04, a time after it is ignored) or day/month/year
(04/03/2026). Every row is checked before anything is saved: any bad row names the file and
line, and nothing changes. Rows for members not in our list are reported, not saved. Loading
the same file again changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from campaigns.models import ActionSupport, ParliamentaryAction, Representative
from core.seeds.reading import Problems, Where

ALIASES = {
    "member_id": {"member_id", "memberid", "member id", "parliament_member_id", "mnis_id"},
    "name": {"name", "member", "member name", "membername"},
    "constituency": {"constituency", "constituency name"},
    "date": {"date", "date signed", "datesigned", "date_signed", "createdwhen", "signed"},
    "kind": {"kind"},
}
KINDS = {choice.value for choice in ActionSupport.Kind}
DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


@dataclass(frozen=True)
class SupportRow:
    where: Where
    member_id: str
    name: str
    constituency: str
    day: date
    kind: str


@dataclass
class SupportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)
    dry_run: bool = False


class SupportsFileError(Exception):
    """The file's problems, one a line, each naming the file and line: nothing was saved."""


def _columns(header: list[str]) -> dict[str, int]:
    """Our name for each recognised column: its index in the header."""
    found = {}
    for index, title in enumerate(header):
        key = " ".join(title.strip().lstrip("\ufeff").casefold().split())
        for column, names in ALIASES.items():
            if key in names and column not in found:
                found[column] = index
    return found


def _day(text: str) -> date | None:
    if match := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
    except ValueError:
        return None


def supports_read(text: str, name: str, *, kind: str) -> list[SupportRow]:
    """Every row checked; raises SupportsFileError listing every problem found."""
    problems = Problems()
    reader = csv.reader(io.StringIO(text))
    columns = _columns(next(reader, []))
    if "date" not in columns or not (
        "member_id" in columns or {"name", "constituency"} <= set(columns)
    ):
        problems.add(
            Where(name, "line 1"),
            "the header needs a date column and either a member id column or name and "
            "constituency columns",
        )
        raise SupportsFileError("\n".join(problems))
    rows, seen = [], {}
    for fields in reader:
        if not any(cell.strip() for cell in fields):
            continue
        where = Where(name, f"line {reader.line_num}")
        row = _row(where, fields, columns, kind, problems)
        if row is None:
            continue
        key = row.member_id or (row.name.casefold(), row.constituency.casefold())
        if key in seen:
            problems.add(where, f"the same member as {seen[key]}")
            continue
        seen[key] = where.entry
        rows.append(row)
    if problems:
        more = (
            [f"... and {len(problems) - problems.SHOWN} more."]
            if len(problems) > problems.SHOWN
            else []
        )
        raise SupportsFileError("\n".join(problems[: problems.SHOWN] + more))
    return rows


def _row(where, fields, columns, kind, problems) -> SupportRow | None:
    def cell(column):
        index = columns.get(column)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    before = len(problems)
    member_id, member, constituency = cell("member_id"), cell("name"), cell("constituency")
    if member_id and not member_id.isdigit():
        problems.add(where, f"member id {member_id!r} is not a whole number")
    if not member_id and not (member and constituency):
        problems.add(where, "give the member's id, or their name and constituency")
    day = _day(cell("date"))
    if day is None:
        problems.add(where, f"date {cell('date')!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
    row_kind = cell("kind").casefold() or kind
    if row_kind not in KINDS:
        problems.add(where, f"kind {row_kind!r} is not one of {', '.join(sorted(KINDS))}")
    if len(problems) > before:
        return None
    return SupportRow(where, member_id, member, constituency, day, row_kind)


def _match(rows, action):
    """Each row's member (a term in office on the row's date, else their latest), or None."""
    members = list(
        Representative.objects.filter(area__parliament=action.parliament_id)
        .select_related("area")
        .order_by("-in_office_from", "-pk")
    )
    by_id, by_name = {}, {}
    for member in members:
        if member.official_id:
            by_id.setdefault(member.official_id, []).append(member)
        key = (member.name.casefold(), member.area.name.casefold())
        by_name.setdefault(key, []).append(member)
    for row in rows:
        if row.member_id:
            terms = by_id.get(row.member_id, [])
        else:
            terms = by_name.get((row.name.casefold(), row.constituency.casefold()), [])
        serving = [term for term in terms if term.is_current(on=row.day)]
        yield row, (serving or terms or [None])[0]


def supports_import(
    action: ParliamentaryAction, rows: list[SupportRow], *, dry_run: bool = False
) -> SupportReport:
    """Record each matched row's support (kind and date), in one transaction; idempotent."""
    report = SupportReport(dry_run=dry_run)
    with transaction.atomic():
        existing = {
            support.representative_id: support
            for support in ActionSupport.objects.select_for_update().filter(action=action)
        }
        new, changed = [], []
        for row, member in _match(rows, action):
            if member is None:
                who = (
                    row.member_id
                    and f"member id {row.member_id}"
                    or f"{row.name}, {row.constituency}"
                )
                report.unmatched.append(f"{row.where}: {who}")
                continue
            support = existing.get(member.pk)
            if support is not None and support.pk is None:  # two rows for one member's terms
                report.unchanged += 1
            elif support is None:
                new.append(
                    ActionSupport(action=action, representative=member, kind=row.kind, date=row.day)
                )
                existing[member.pk] = new[-1]
            elif (support.kind, support.date) != (row.kind, row.day):
                support.kind, support.date = row.kind, row.day
                changed.append(support)
            else:
                report.unchanged += 1
        ActionSupport.objects.bulk_create(new)
        ActionSupport.objects.bulk_update(changed, ["kind", "date"])
        report.created, report.updated = len(new), len(changed)
        transaction.set_rollback(dry_run)
    return report
