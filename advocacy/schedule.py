"""What is scheduled: stories, spokespeople, prayer requests and campaigns going live, campaigns
closing, and what is due but not yet approved, for the admin's "Scheduled" page.

One query per kind of content, reading only the columns the page shows. Staff see only the
kinds the admin lets them view.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib import admin
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.admin_urls import admin_url
from core.publishing import Status
from stories.models import PrayerRequest, Spokesperson, Story

DEFAULT_WEEKS = 8
PAST_DAYS = 7
WAITING = (Status.REVIEW, Status.SAFEGUARDING)
# A flag some models may gain; shown when the model has it, ignored when it does not.
SENSITIVE_FIELD = "sensitive"


@dataclass(frozen=True)
class Kind:
    """A kind of content on the schedule: its model, the field that names an item, its labels."""

    model: type[Model]
    title_field: str
    goes_live: str
    closes: str = ""


KINDS = (
    Kind(Story, "title", _("Story goes live")),
    Kind(Spokesperson, "name", _("Spokesperson goes live")),
    Kind(PrayerRequest, "title", _("Prayer request goes live")),
    Kind(Campaign, "title", _("Campaign opens"), closes=_("Campaign closes")),
)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Entry:
    """One row: something that happens, or is due, at ``when``."""

    when: datetime
    label: str
    title: str
    url: str
    status: str
    sensitive: bool
    kind: Kind
    pk: int

    @property
    def approved(self):
        return self.status == Status.PUBLISHED

    @property
    def status_label(self):
        return Status(self.status).label


@dataclass(frozen=True)
class Day:
    date: date
    entries: list[Entry]


def window(weeks: int = DEFAULT_WEEKS, past: bool = False) -> Window:
    now = timezone.now()
    start = now - timedelta(days=PAST_DAYS) if past else now
    return Window(start=start, end=now + timedelta(weeks=weeks))


def visible_kinds(request) -> list[Kind]:
    """The kinds whose admin this member of staff may view (view, or change, permission)."""
    return [
        kind
        for kind in KINDS
        if admin.site.get_model_admin(kind.model).has_view_permission(request)
    ]


def entries(kinds, span: Window) -> list[Entry]:
    """Every row of the schedule for these kinds, earliest first."""
    found = [
        entry for kind in kinds for row in _rows(kind, span) for entry in _entries(kind, row, span)
    ]
    return sorted(found, key=lambda entry: (entry.when, entry.label, entry.title))


def by_day(scheduled: list[Entry]) -> list[Day]:
    """Approved rows grouped by their day in the site's time zone, in order."""
    zone = timezone.get_default_timezone()
    days: dict[date, list[Entry]] = {}
    for entry in scheduled:
        days.setdefault(timezone.localtime(entry.when, zone).date(), []).append(entry)
    return [Day(date=day, entries=rows) for day, rows in days.items()]


def _rows(kind: Kind, span: Window):
    """Items published in the window, waiting for approval and due by its end, or closing."""
    due = Q(published_at__lt=span.end)
    wanted = due & (
        Q(status=Status.PUBLISHED, published_at__gte=span.start) | Q(status__in=WAITING)
    )
    fields = ["pk", "status", "published_at", kind.title_field]
    if kind.closes:
        closing = Q(closes_at__gte=span.start, closes_at__lt=span.end)
        wanted |= Q(status=Status.PUBLISHED) & closing
        fields.append("closes_at")
    if _has_field(kind.model, SENSITIVE_FIELD):
        fields.append(SENSITIVE_FIELD)
    return kind.model._default_manager.filter(wanted).values(*fields)


def _entries(kind: Kind, row: dict, span: Window):
    """What a row puts on the schedule: its going live (or being due) and its closing."""
    if row["published_at"] < span.end and (
        row["status"] in WAITING or row["published_at"] >= span.start
    ):
        yield _entry(kind, row, row["published_at"], kind.goes_live)
    closes_at = row.get("closes_at")
    if row["status"] == Status.PUBLISHED and closes_at and span.start <= closes_at < span.end:
        yield _entry(kind, row, closes_at, kind.closes)


def _entry(kind: Kind, row: dict, when: datetime, label: str) -> Entry:
    return Entry(
        when=when,
        label=label,
        title=row[kind.title_field],
        url=admin_url(kind.model, "change", row["pk"]),
        status=row["status"],
        sensitive=bool(row.get(SENSITIVE_FIELD)),
        kind=kind,
        pk=row["pk"],
    )


def _has_field(model: type[Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.fields)
