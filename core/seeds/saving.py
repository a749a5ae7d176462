"""Saving seed objects: compare, validate, save only what differs, and report it.

Every loader (the demo content of stories and campaigns, the open data on representatives)
builds on these, so a second load changes nothing and a bad entry is reported by file and
entry, with nothing saved.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from core.redirects import redirect_record
from core.seeds.reading import Where, moment

CREATED, UPDATED, UNCHANGED, REMOVED = "created", "updated", "unchanged", "removed"


@dataclass
class SeedReport:
    """What a load did (or, in a dry run, would do): how many of each model, and to which.

    Loaders that save one object at a time record each (``finish``); bulk loaders only count
    (``tally``).
    """

    dry_run: bool = False
    changes: list[tuple[str, type[models.Model], str]] = field(default_factory=list)
    counts: dict[type[models.Model], Counter] = field(default_factory=dict)
    files_written: list[str] = field(default_factory=list)

    def tally(self, model: type[models.Model], **numbers: int) -> None:
        """Add to the model's counts, e.g. ``tally(Area, created=2, unchanged=5)``."""
        self.counts.setdefault(model, Counter()).update(numbers)

    def count(self, action: str) -> int:
        return sum(counts[action] for counts in self.counts.values())

    def by_model(self) -> dict[type[models.Model], Counter]:
        return self.counts

    @property
    def changed_anything(self) -> bool:
        """Whether it saved (or removed) anything: then cached pages may be out of date."""
        return not self.dry_run and any(
            self.count(action) for action in (CREATED, UPDATED, REMOVED)
        )


@contextmanager
def all_or_nothing(report: SeedReport):
    """One transaction for the whole load, rolled back on any error or after a dry run."""
    try:
        with transaction.atomic():
            yield report
            transaction.set_rollback(report.dry_run)
    except BaseException:
        _delete_written_files(report)
        raise
    if report.dry_run:
        _delete_written_files(report)


def upsert(model, lookup: dict, values: dict, where: Where, report: SeedReport, prepare=None):
    """Find or build the object, apply the values and validate; save it if anything differs.

    Returns the object and CREATED, UPDATED or UNCHANGED. If the update changed the object's
    public address (a country renamed in the open data), the old address redirects to it.
    """
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    before = _snapshot(obj)
    address_before = _address(obj) if obj.pk is not None else None
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
    if address_before is not None and address_before != _address(obj):
        redirect_record(item=obj, old_address=address_before)
    return obj, action


def _address(obj) -> str | None:
    """The object's public address, if it has a page."""
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None


def finish(report: SeedReport, obj, action: str, key: str, links_changed: bool = False):
    """Record what happened to the object; a change in its links alone is an update too."""
    if action == UNCHANGED and links_changed:
        obj.save(update_fields=["updated_at"])
        action = UPDATED
    report.changes.append((action, type(obj), key))
    report.tally(type(obj), **{action: 1})
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
    return values | {"published_at": moment(where, "published_at", data["published_at"])}


def _delete_written_files(report: SeedReport) -> None:
    """Files saved inside a rolled-back transaction would be orphans: remove them."""
    for name in report.files_written:
        default_storage.delete(name)
