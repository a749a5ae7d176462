"""Withheld names: the real names of people at risk, and words that would identify them.

They are kept only as keyed hashes (HMAC-SHA256 under settings.WITHHELD_NAMES_KEY) of their
normalised words, never as text. A text contains a name when some run of its words, normalised
the same way, hashes to a recorded digest. No published story, spokesperson, prayer request or
campaign may contain any recorded name, whoever it was recorded on.
"""

import hashlib
import hmac
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.text import capfirst

from advocacy.models import WithheldName
from stories.querysets import Status

# The text each model puts on public pages: in the page, its attributes, or its address.
PUBLIC_FIELDS = {
    "stories.spokesperson": (
        "name",
        "slug",
        "role",
        "biography",
        "photo",
        "photo_alt",
        "photo_caption",
        "photo_credit",
    ),
    "stories.story": (
        "title",
        "slug",
        "standfirst",
        "body",
        "hero_image",
        "hero_alt",
        "hero_caption",
        "hero_credit",
        "seo_title",
        "seo_description",
    ),
    "stories.pullquote": ("text", "attribution"),
    "stories.prayerrequest": ("title", "slug", "introduction"),
    "stories.prayerpoint": ("text",),
    "stories.country": ("name", "slug", "summary"),
    "campaigns.campaign": (
        "title",
        "slug",
        "summary",
        "ask",
        "why_it_matters",
        "thank_you_text",
        "share_text",
    ),
    "campaigns.lettertemplate": ("subject", "body", "prompts"),
    "campaigns.parliamentaryaction": ("title", "reference", "tabled_by", "link"),
}
# Rows shown on their parent's pages, edited in the parent's admin form.
PUBLIC_RELATED = {
    "stories.story": ("pull_quotes",),
    "stories.prayerrequest": ("points",),
    "campaigns.campaign": ("templates", "actions"),
}
# What check_withheld_names scans: the published items, and countries, which are always public.
SCANNED = (
    "stories.story",
    "stories.spokesperson",
    "stories.prayerrequest",
    "campaigns.campaign",
    "stories.country",
)
MESSAGE = "contains a name or word withheld to protect someone. Remove it before publishing."

_WORD = re.compile(r"[^\W_]+")  # letters and digits: hyphens, dots, slashes, _ all split words
_TAG = re.compile(r"<[^>]*>")


# Words and digests


def _plain(text: str) -> str:
    """Compatibility-decomposed, without accents or invisible formatting characters."""
    return "".join(
        char
        for char in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )


def normalise_words(text: str) -> list[str]:
    """The words of a text, case-folded, accents stripped: "Kim Ŝo-yeon" -> kim, so, yeon."""
    return _WORD.findall(_plain(_plain(text).casefold()))


def _key() -> bytes:
    if not settings.WITHHELD_NAMES_KEY:
        raise ImproperlyConfigured("Set WITHHELD_NAMES_KEY: withheld names cannot be checked.")
    return settings.WITHHELD_NAMES_KEY.encode()


def _hmac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def digest(words: list[str]) -> str:
    """The keyed hash of a name's normalised words: all that is ever stored of it."""
    return _hmac(_key(), " ".join(words))


def key_id() -> str:
    """A fingerprint of the key, stored with each digest, to notice when the key has changed."""
    return _hmac(_key(), "\0withheld-names-key-id")[:16]  # no name's words contain \0


def hashed_name(line: str) -> tuple[str, int] | None:
    """(digest, word count) of one typed name, or None if it has no words."""
    words = normalise_words(line)
    return (digest(words), len(words)) if words else None


# Finding names in text


def _readings(value: str) -> set[str]:
    """The text as a reader sees it (markup as a space, or as nothing) and with its markup,
    whose attributes (links, alt text) are public too."""
    if "<" not in value and "&" not in value:
        return {value}
    return {
        html.unescape(_TAG.sub(" ", value)),
        html.unescape(_TAG.sub("", value)),
        html.unescape(value),
    }


@dataclass(frozen=True)
class WithheldNames:
    """The recorded digests, by word count: what public text is checked against."""

    by_size: dict[int, frozenset[str]]

    @classmethod
    def load(cls, extra: Iterable[tuple[str, int]] = ()) -> "WithheldNames":
        """Every recorded name, in one query, plus any (digest, words) not yet saved."""
        by_size = defaultdict(set)
        for name_digest, size in [*WithheldName.objects.values_list("digest", "words"), *extra]:
            by_size[size].add(name_digest)
        return cls({size: frozenset(digests) for size, digests in by_size.items()})

    def __bool__(self) -> bool:
        return bool(self.by_size)

    def found_in(self, value: str) -> bool:
        """Whether any run of the text's words is a withheld name."""
        if not (self.by_size and value):
            return False
        key = _key()
        for reading in _readings(value):
            words = normalise_words(reading)
            for size, digests in self.by_size.items():
                for start in range(len(words) - size + 1):
                    if _hmac(key, " ".join(words[start : start + size])) in digests:
                        return True
        return False


def _public_text(obj: models.Model, name: str) -> str:
    value = getattr(obj, name)
    if isinstance(value, FieldFile):
        return value.name or ""
    return "" if value is None else str(value)


def withheld_fields(
    obj: models.Model, names: WithheldNames | None = None, *, related: bool = True
) -> list[str]:
    """The public fields of obj that contain a withheld name; related rows as
    "pull quote 2 (text)", numbered as shown."""
    names = WithheldNames.load() if names is None else names
    if not names:
        return []
    label = obj._meta.label_lower
    found = [name for name in PUBLIC_FIELDS[label] if names.found_in(_public_text(obj, name))]
    for relation in PUBLIC_RELATED.get(label, ()) if related and obj.pk else ():
        for number, row in enumerate(getattr(obj, relation).all(), start=1):
            found += [
                f"{row._meta.verbose_name} {number} ({name})"
                for name in PUBLIC_FIELDS[row._meta.label_lower]
                if names.found_in(_public_text(row, name))
            ]
    return found


def withheld_message(model: type[models.Model], name: str) -> str:
    """The error for a field: it names the field, never the name."""
    field = model._meta.get_field(name)
    if isinstance(field, models.FileField):
        return f"The file name of the {field.verbose_name} {MESSAGE}"
    return f"{capfirst(field.verbose_name)} {MESSAGE}"


def is_public(obj: models.Model) -> bool:
    """Published (or scheduled to be); objects without a status are always public."""
    return getattr(obj, "status", Status.PUBLISHED) == Status.PUBLISHED


def check_not_withheld(
    obj: models.Model, names: WithheldNames | None = None, *, shown_on: models.Model | None = None
) -> None:
    """Refuse a published (or scheduled) object whose own fields contain a withheld name.

    Drafts may hold one. A row shown on its parent's page (a letter template on its
    campaign's) passes that parent as ``shown_on``. Rows edited in the parent's admin form are
    checked there (WithheldInlineFormSet); the publish action and check_withheld_names check
    everything.
    """
    if not is_public(shown_on or obj):
        return
    if fields := withheld_fields(obj, names, related=False):
        raise ValidationError({name: withheld_message(type(obj), name) for name in fields})


@dataclass(frozen=True)
class Fault:
    """A public object that contains a withheld name, and where."""

    obj: models.Model
    fields: list[str]

    def __str__(self) -> str:
        return f"{self.obj._meta.verbose_name} '{self.obj.slug}': {', '.join(self.fields)}"


def withheld_faults(items: models.QuerySet, names: WithheldNames | None = None) -> list[Fault]:
    """The objects among items that contain a withheld name, and where."""
    names = WithheldNames.load() if names is None else names
    if not names:
        return []
    related = PUBLIC_RELATED.get(items.model._meta.label_lower, ())
    return [
        Fault(obj, fields)
        for obj in items.prefetch_related(*related)
        if (fields := withheld_fields(obj, names))
    ]


def _public_items(model: type[models.Model]) -> models.QuerySet:
    try:
        model._meta.get_field("status")
    except FieldDoesNotExist:
        return model.objects.all()
    return model.objects.filter(status=Status.PUBLISHED)  # scheduled too: they go live unattended


def published_faults() -> list[Fault]:
    """Every public object that contains a withheld name."""
    names = WithheldNames.load()
    return [
        fault
        for label in SCANNED
        for fault in withheld_faults(_public_items(apps.get_model(label)), names)
    ]


# Recording names


def withheld_names_record(*, owner: models.Model, text: str) -> int:
    """Store each line of text as one name, hashed, on owner; returns how many were new."""
    hashed = {pair for line in text.splitlines() if (pair := hashed_name(line))}
    if not hashed:
        return 0
    known = set(
        WithheldName.objects.for_owner(owner)
        .filter(digest__in=[name_digest for name_digest, _ in hashed])
        .values_list("digest", flat=True)
    )
    content_type = ContentType.objects.get_for_model(owner)
    new = [
        WithheldName(
            digest=name_digest,
            words=size,
            key_id=key_id(),
            content_type=content_type,
            object_id=owner.pk,
        )
        for name_digest, size in hashed
        if name_digest not in known
    ]
    WithheldName.objects.bulk_create(new, ignore_conflicts=True)
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
