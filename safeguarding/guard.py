"""The withheld-names guard: no public text may hold a name withheld to protect someone.

Every model of the project's apps declares itself to the guard: ``public_text`` names the
fields it puts on public pages (in the page, its attributes or its address) and those it keeps
private; ``not_public`` says why a model shows nothing (supporters' letters) or is not ours to
change (the open data on representatives). tests/safeguarding/test_withheld_guard.py fails for a
model or text field that is neither. Matching is in safeguarding.matching; names are stored
only as keyed hashes (safeguarding.models.WithheldName).
"""

from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst

from core.cache_version import content_version_bump
from core.models import ContentVersion, Redirect, SharePreview, Transition
from core.publishing import Status, going_public
from core.takedown import TAKE_DOWN, item_withdraw
from safeguarding.matching import WithheldNames, hashed_name, key_id
from safeguarding.models import AllowedWord, WithheldName
from safeguarding.redaction import MARKER, history_redact

MESSAGE = "contains a name or word withheld to protect someone. Remove it before publishing."
INSIDE_MESSAGE = (
    "holds a withheld name inside the word “{word}”. If that word is only a place or a "
    "common word, a safeguarding reviewer can allow it under Safeguarding › Allowed words; "
    "then save again. Otherwise remove it."
)
SENDS_BACK_TO = Status.SAFEGUARDING
TAKEN_DOWN_COMMENT = "It held a name just recorded as withheld: taken down at once."
OPEN_DATA = (
    "Open data on elected members, shown as parliaments publish it: not text we write, and "
    "not ours to take down."
)


@dataclass(frozen=True)
class PublicText:
    """What one model puts on public pages, as declared to the guard."""

    model: type[models.Model]
    fields: tuple[str, ...]
    private: tuple[str, ...]
    rows: tuple[str, ...]  # related names of rows shown on its pages (pull quotes)
    shown_on: str | None  # for a row: the field naming the item whose page shows it

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


PUBLIC: dict[str, PublicText] = {}
NOT_PUBLIC: dict[str, str] = {}  # label -> why the guard does not read it


def public_text(*, fields, private=(), rows=(), shown_on=None):
    """Declare a model's public fields (and rows, and the parent whose page shows it)."""

    def declare(model):
        entry = PublicText(model, tuple(fields), tuple(private), tuple(rows), shown_on)
        PUBLIC[entry.label] = entry
        return model

    return declare


def not_public(reason: str):
    """Declare that a model's text never reaches a public page, or is not ours to guard."""

    def declare(model):
        NOT_PUBLIC[model._meta.label_lower] = reason
        return model

    return declare


HASHES_ONLY = "Keyed hashes for the guard itself: never shown, and no text to show."
not_public(HASHES_ONLY)(WithheldName)
not_public(HASHES_ONLY)(AllowedWord)
not_public("The publishing workflow's audit trail: staff only, never on a page.")(Transition)
not_public(
    "Old addresses that redirect to an item's page: never shown, and refused when they hold a "
    "withheld name (withheld_address_refusal, registered with core.redirects)."
)(Redirect)
not_public("Share-preview links: a token's hash and a digest, never shown.")(SharePreview)
not_public("The page cache's content version: a random value, never shown.")(ContentVersion)


def declared(obj_or_model) -> PublicText:
    return PUBLIC[obj_or_model._meta.label_lower]


# Is it public?


def is_public(obj: models.Model) -> bool:
    """Published (or scheduled to be); a row is public when the item it is shown on is."""
    entry = declared(obj)
    if entry.shown_on:
        parent = getattr(obj, entry.shown_on, None)
        return parent is not None and is_public(parent)
    return getattr(obj, "status", Status.PUBLISHED) == Status.PUBLISHED


def public_items(entry: PublicText) -> models.QuerySet:
    """The items of a top-level public model that are on the site or will be unattended."""
    return going_public(entry.model._default_manager.all())


# Finding names in an object


def field_text(obj: models.Model, name: str) -> str:
    """The text of one of obj's fields as the public sees it (a file by its name)."""
    value = getattr(obj, name)
    if isinstance(value, FieldFile):
        return value.name or ""
    return "" if value is None else str(value)


def text_fault(model: type[models.Model], name: str, text: str, names: WithheldNames):
    """The error for one public field's text, or None if it holds no withheld name."""
    if names.certainly_in(text):
        return withheld_message(model, name)
    if words := names.words_holding(text):
        return withheld_message(model, name, inside=words[0])
    return None


def _faulty(obj: models.Model, names: WithheldNames) -> dict[str, str]:
    """{field: message} for each of obj's own public fields that holds a withheld name."""
    found = {
        name: text_fault(type(obj), name, field_text(obj, name), names)
        for name in declared(obj).fields
    }
    return {name: message for name, message in found.items() if message}


def withheld_fields(
    obj: models.Model, names: WithheldNames | None = None, *, related: bool = True
) -> list[str]:
    """The public fields of obj that hold a withheld name; rows as "pull quote 2 (text)",
    numbered as shown."""
    names = WithheldNames.load() if names is None else names
    if not names:
        return []
    found = list(_faulty(obj, names))
    for relation in declared(obj).rows if related and obj.pk else ():
        for number, row in enumerate(getattr(obj, relation).all(), start=1):
            found += [f"{row._meta.verbose_name} {number} ({name})" for name in _faulty(row, names)]
    return found


def withheld_message(model: type[models.Model], name: str, *, inside: str = "") -> str:
    """The error for a field: it names the field, never the name (at most the word of the
    editor's own that holds it)."""
    field = model._meta.get_field(name)
    what = (
        f"The file name of the {field.verbose_name}"
        if isinstance(field, models.FileField)
        else capfirst(field.verbose_name)
    )
    return f"{what} {INSIDE_MESSAGE.format(word=inside) if inside else MESSAGE}"


def check_not_withheld(obj: models.Model, names: WithheldNames | None = None) -> None:
    """Refuse a public (or scheduled) object whose own fields hold a withheld name.

    Drafts may hold one. Rows edited in the parent's admin form are checked there
    (WithheldInlineFormSet); the publish action and check_withheld_names check everything.
    """
    if not is_public(obj):
        return
    if faults := _faulty(obj, WithheldNames.load() if names is None else names):
        raise ValidationError(faults)


@dataclass(frozen=True)
class Fault:
    """A public object that holds a withheld name, and where."""

    obj: models.Model
    fields: list[str]

    def __str__(self) -> str:
        return f"{self.obj._meta.verbose_name} '{self.obj.slug}': {', '.join(self.fields)}"


def withheld_faults(items: models.QuerySet, names: WithheldNames | None = None) -> list[Fault]:
    """The objects among items that hold a withheld name, and where."""
    names = WithheldNames.load() if names is None else names
    if not names:
        return []
    return [
        Fault(obj, fields)
        for obj in items.prefetch_related(*declared(items.model).rows)
        if (fields := withheld_fields(obj, names))
    ]


def marker_fields(obj: models.Model) -> list[str]:
    """The public fields of obj (and of its rows) that still hold the marker redaction left
    where a withheld name was: someone must write what belongs there before it is public."""
    found = [name for name in declared(obj).fields if MARKER in field_text(obj, name)]
    for relation in declared(obj).rows if obj.pk else ():
        for number, row in enumerate(getattr(obj, relation).all(), start=1):
            fields = [name for name in declared(row).fields if MARKER in field_text(row, name)]
            found += [f"{row._meta.verbose_name} {number} ({name})" for name in fields]
    return found


def marker_faults(items: models.QuerySet) -> list[Fault]:
    """The objects among items that still hold the redaction marker, and where."""
    return [
        Fault(obj, fields)
        for obj in items.prefetch_related(*declared(items.model).rows)
        if (fields := marker_fields(obj))
    ]


def published_faults(names: WithheldNames | None = None) -> list[Fault]:
    """Every public object that holds a withheld name, in itself or in its rows."""
    names = WithheldNames.load() if names is None else names
    return [
        fault
        for entry in PUBLIC.values()
        if not entry.shown_on
        for fault in withheld_faults(public_items(entry), names)
    ]


def withheld_take_down(names: WithheldNames | None = None, *, by=None) -> list[Fault]:
    """Take down every public object that holds a withheld name, at once, as the workflow's
    take-down does: back to safeguarding review, recorded in its trail (so its page answers
    410 Gone), and its pictures withdrawn once the transaction commits. Returns what was taken
    down. Run it in the transaction that recorded the names, ``by`` whoever recorded them.
    Redirects from old addresses that hold a name go too."""
    names = WithheldNames.load() if names is None else names
    withheld_redirects_remove(names)
    faults = published_faults(names)
    for fault in faults:
        _taken_down(fault.obj, by=by)
    if faults:
        content_version_bump()  # no cached page may show the name again
    return faults


def _taken_down(obj: models.Model, *, by) -> None:
    values = {"status": SENDS_BACK_TO}
    if hasattr(obj, "sensitive"):  # flagged by the guard: sensitive from now on
        values |= {"sensitive": True, "approved_version": ""}
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    for name, value in values.items():
        setattr(obj, name, value)
    Transition.objects.create(
        item=obj,
        name=TAKE_DOWN,
        from_status=Status.PUBLISHED,
        to_status=SENDS_BACK_TO,
        by=by if getattr(by, "pk", None) else None,
        comment=TAKEN_DOWN_COMMENT,
    )
    transaction.on_commit(partial(item_withdraw, obj, by=by))


# Recording names and allowed words


@transaction.atomic
def withheld_names_record(*, owner: models.Model, text: str) -> int:
    """Store each line of text as one name, hashed, on owner, and cut the names out of every
    stored revision and comment in the same transaction; returns how many were new."""
    hashed = {name for line in text.splitlines() if (name := hashed_name(line))}
    if not hashed:
        return 0
    known = set(
        WithheldName.objects.for_owner(owner)
        .filter(digest__in=[name.digest for name in hashed])
        .values_list("digest", flat=True)
    )
    content_type = ContentType.objects.get_for_model(owner)
    new = [
        WithheldName(
            digest=name.digest,
            length=name.length,
            words=name.words,
            key_id=key_id(),
            content_type=content_type,
            object_id=owner.pk,
        )
        for name in hashed
        if name.digest not in known
    ]
    WithheldName.objects.bulk_create(new, ignore_conflicts=True)
    history_redact(names=text.splitlines())
    return len(new)


def withheld_names_forget(*, owner: models.Model) -> int:
    """Delete every name recorded on owner; returns how many there were."""
    deleted, _ = WithheldName.objects.for_owner(owner).delete()
    return deleted


def withheld_names_count(*, owner: models.Model) -> int:
    return WithheldName.objects.for_owner(owner).count() if owner.pk else 0


def names_under_another_key() -> int:
    """How many recorded names were hashed with a different key: they can no longer match."""
    return WithheldName.objects.exclude(key_id=key_id()).count()


def names_before_canonical_forms() -> int:
    """How many names were recorded before look-alike spellings were matched."""
    return WithheldName.objects.filter(length__isnull=True).count()


def undeclared_models() -> list[str]:
    """The project's models that have not declared themselves to the guard."""
    project = ("advocacy", "core", "safeguarding", "images", "staff", "stories", "campaigns")
    return [
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_label in project
        and model._meta.label_lower not in PUBLIC
        and model._meta.label_lower not in NOT_PUBLIC
    ]


# Old addresses kept as redirects


ADDRESS_MESSAGE = "it holds a name or word withheld to protect someone."


def withheld_redirects_remove(names: WithheldNames) -> int:
    """Delete every redirect from an old address that holds a withheld name; how many."""
    paths = Redirect.objects.values_list("pk", "old_path")
    holding = [pk for pk, path in paths if names.found_in(path)] if names else []
    deleted, _ = Redirect.objects.filter(pk__in=holding).delete()
    return deleted


def withheld_address_refusal(path: str) -> str | None:
    """Registered with core.redirects: an old address holding a withheld name is not kept, so
    it stops answering and no redirect stores the name as text."""
    return ADDRESS_MESSAGE if WithheldNames.load().found_in(path) else None
