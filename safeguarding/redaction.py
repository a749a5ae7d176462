"""Revision hygiene: a withheld name, once recorded, is cut out of the history too.

Names are stored only as keyed hashes, but old revisions (django-reversion's versions), the
workflow's trail and the admin's log keep whatever text staff once saved. When a name is
recorded, its plain form is in hand (the form's input) for that one request: every stored
text that holds it, in any spelling the guard matches, is rewritten with the name replaced by
a marker, in the transaction that records it. Called explicitly by withheld_names_record and,
for what the admin itself writes later in the same request, by WithheldNamesAdminMixin.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.db import models, transaction
from reversion.models import Revision, Version

from core.models import Transition
from safeguarding.matching import NameSpans

MARKER = "[withheld]"
CHUNK = 1000  # rows read and written at a time: memory stays flat over thousands of versions
REMEMBERED = 20_000  # strings remembered at most, for the same reason


@dataclass
class Redactor:
    """Redacts strings, and strings inside JSON, remembering each string it has seen: the
    versions of one item repeat the same body many times."""

    names: NameSpans
    seen: dict[str, str] = field(default_factory=dict)

    def text(self, value: str) -> str:
        if value not in self.seen:
            if len(self.seen) >= REMEMBERED:
                self.seen.clear()
            self.seen[value] = self.names.redact(value, MARKER)
        return self.seen[value]

    def json(self, value: str) -> str:
        """JSON with every string value redacted (keys are field names: kept); the same text
        if nothing changed, so that unchanged rows are not written."""
        try:
            data = json.loads(value)
        except ValueError:
            return self.text(value)
        redacted = self._walk(data)
        return value if redacted == data else json.dumps(redacted, ensure_ascii=False)

    def _walk(self, data):
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, list):
            return [self._walk(item) for item in data]
        if isinstance(data, dict):
            return {key: self._walk(item) for key, item in data.items()}
        return data


@dataclass(frozen=True)
class Stored:
    """One kind of stored text: the model, its text fields (JSON or not), its date field."""

    model: type[models.Model]
    texts: tuple[str, ...]
    json: tuple[str, ...]
    since: str


STORED = (
    Stored(Version, ("object_repr",), ("serialized_data",), "revision__date_created"),
    Stored(Revision, ("comment",), (), "date_created"),
    Stored(Transition, ("comment",), (), "at"),
    Stored(LogEntry, ("object_repr",), ("change_message",), "action_time"),
)


def _rows(stored: Stored, since: datetime | None) -> Iterator[models.Model]:
    rows = stored.model._base_manager.only("pk", *stored.texts, *stored.json)
    if since is not None:
        rows = rows.filter(**{f"{stored.since}__gte": since})
    return rows.order_by().iterator(chunk_size=CHUNK)


def _redacted(row: models.Model, stored: Stored, redactor: Redactor) -> bool:
    """Redact one row's fields in place; whether any changed."""
    changed = False
    for name, redact in [
        *((name, redactor.text) for name in stored.texts),
        *((name, redactor.json) for name in stored.json),
    ]:
        value = getattr(row, name)
        if value and (new := redact(value)) != value:
            setattr(row, name, new)
            changed = True
    return changed


def stored_redact(stored: Stored, redactor: Redactor, since: datetime | None = None) -> int:
    """Rewrite every row of one kind that holds a name; returns how many were rewritten."""
    batch, count = [], 0
    for row in _rows(stored, since):
        if _redacted(row, stored, redactor):
            batch.append(row)
        if len(batch) >= CHUNK:
            count += _saved(stored, batch)
            batch = []
    return count + _saved(stored, batch)


def _saved(stored: Stored, batch: list[models.Model]) -> int:
    if not batch:
        return 0
    stored.model._base_manager.bulk_update(batch, [*stored.texts, *stored.json])
    return len(batch)


@transaction.atomic
def history_redact(*, names: Iterable[str], since: datetime | None = None) -> dict[str, int]:
    """Replace each of these names (typed, one per item) with a marker in every stored
    version, revision comment, workflow comment and admin log entry; only those stored since
    a time, if given. Returns how many rows of each kind were rewritten. All or nothing: it
    runs in the caller's transaction, or its own."""
    spans = NameSpans.of(names)
    if not spans:
        return {}
    redactor = Redactor(spans)
    return {stored.model._meta.label: stored_redact(stored, redactor, since) for stored in STORED}
