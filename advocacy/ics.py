"""The schedule as an iCalendar (RFC 5545) file.

Calendar apps copy events to other companies' servers, so an event carries what happens, its
time and a link to the admin, and no person's name: spokespeople are not named, and nothing
that has not passed review is titled (it may still hold a name that must be withheld).
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.schedule import Entry
from stories.models import Spokesperson

LINE_OCTETS = 75
PRODUCT = "-//advocacy//Scheduled//EN"


def calendar_text(rows: list[Entry], request) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN"]
    stamp = _utc(timezone.now())
    for row in rows:
        lines += _event(row, request, stamp)
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in _fold(line))


def summary(row: Entry) -> str:
    """What the event says: the kind, and the title when it is safe to copy out."""
    if not row.approved:
        return _("Not yet approved: %(kind)s") % {"kind": row.label}
    if row.kind.model is Spokesperson:
        return str(row.label)
    return f"{row.label}: {row.title}"


def escape(value: str) -> str:
    """A TEXT value as RFC 5545 section 3.3.11 writes it."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _event(row: Entry, request, stamp: str) -> list[str]:
    opts = row.kind.model._meta
    moment = _utc(row.when)
    return [
        "BEGIN:VEVENT",
        f"UID:{opts.app_label}-{opts.model_name}-{row.pk}-{_happening(row)}@{request.get_host()}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{moment}",
        f"DTEND:{moment}",
        f"SUMMARY:{escape(summary(row))}",
        f"URL:{request.build_absolute_uri(row.url)}",
        "END:VEVENT",
    ]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _happening(row: Entry) -> str:
    return "closes" if row.label == row.kind.closes else "live"


def _fold(line: str):
    """Lines longer than 75 octets, split between characters, continued after a space."""
    chunk, size = "", 0
    for character in line:
        width = len(character.encode())
        if size + width > LINE_OCTETS:
            yield chunk
            chunk, size = " ", 1
        chunk += character
        size += width
    yield chunk
