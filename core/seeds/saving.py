"""Saving seed objects: compare, validate, save only what differs, and report it.

Every loader (the demo content of stories and campaigns) builds on these, so a second load
changes nothing and a bad entry is reported by file and entry, with nothing saved.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core.seeds.reading import Where

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


def delete_written_files(report: SeedReport) -> None:
    """Files saved inside a rolled-back transaction would be orphans: remove them."""
    for name in report.files_written:
        default_storage.delete(name)
