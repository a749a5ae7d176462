"""Finding withheld names in text, knowing only their keyed hashes.

A name is stored as the HMAC of its canonical form (safeguarding.text.compact) and its
length in canonical letters. A text holds the name

- for certain, when a run of its tokens reads the name, or the name with a plural ``s`` or
  ``es`` (``Kim``, ``K.i.m.``, ``Kims``, ``SoyeonPark``, ``soyeon-park``): always refused;
- perhaps, when the name is the start or the end of a longer word (``Kimberley``, ``Joakim``),
  or anywhere inside one for names of six letters or more: refused too, but a safeguarding
  reviewer may allow that word (``AllowedWord``), since place names and common words hold
  short names by chance.

Names recorded before canonical forms (``length`` empty) are matched as they were then: a run
of case-folded, accent-free words.
"""

import hashlib
import hmac
import re
import string
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safeguarding.models import AllowedWord, WithheldName
from safeguarding.text import compact, readings, token_spans, tokens

PLURALS = ("s", "es")
PUNCTUATION = string.punctuation + "“”‘’«»…"
WORD_EDGE_MIN = 3  # canonical letters a name needs to be looked for at a word's start or end
INSIDE_WORD_MIN = 6  # ... and anywhere inside a word
_FORM = "v2\0"  # keeps canonical digests apart from the words-of-the-name digests before them
_WORD = re.compile(r"[^\W_]+")


def _key() -> bytes:
    if not settings.WITHHELD_NAMES_KEY:
        raise ImproperlyConfigured("Set WITHHELD_NAMES_KEY: withheld names cannot be checked.")
    return settings.WITHHELD_NAMES_KEY.encode()


def _hmac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def digest(canonical: str) -> str:
    """The keyed hash of a canonical form: all that is ever stored of a name or allowed word."""
    return _hmac(_key(), _FORM + canonical)


def key_id() -> str:
    """A fingerprint of the key, stored with each digest, to notice when the key has changed."""
    return _hmac(_key(), "\0withheld-names-key-id")[:16]  # no name's words contain \0


@dataclass(frozen=True)
class HashedName:
    digest: str
    length: int  # canonical letters
    words: int


def hashed_name(line: str) -> HashedName | None:
    """The hash of one typed name, or None if it has no letters."""
    parts = tokens(line)
    canonical = "".join(parts)
    return HashedName(digest(canonical), len(canonical), len(parts)) if canonical else None


def word_digest(word: str) -> str | None:
    """The hash of a word as an allowed word, or None if it has no letters."""
    canonical = compact(word)
    return digest(canonical) if canonical else None


# Names recorded before canonical forms: the words of the name, hashed with spaces between.


def legacy_words(text: str) -> list[str]:
    """A text's words as names were once hashed: case-folded, accents stripped."""

    def plain(value):
        return "".join(
            char
            for char in unicodedata.normalize("NFKD", value)
            if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
        )

    return _WORD.findall(plain(plain(text).casefold()))


def _legacy_found(key: bytes, reading: str, by_words: dict[int, frozenset[str]]) -> bool:
    words = legacy_words(reading)
    return any(
        _hmac(key, " ".join(words[start : start + size])) in digests
        for size, digests in by_words.items()
        for start in range(len(words) - size + 1)
    )


# Finding


def _runs(parts: list[str], longest: int) -> Iterator[str]:
    """Each run of consecutive tokens, up to the longest name and a plural ending."""
    for start in range(len(parts)):
        run = ""
        for part in parts[start:]:
            run += part
            if len(run) > longest + 2:
                break
            yield run
            yield from (run[: -len(end)] for end in PLURALS if run.endswith(end))


def _inside(token: str, lengths: Iterable[int]) -> Iterator[str]:
    """The parts of a longer word that could be a name of one of these lengths."""
    for size in lengths:
        if size < WORD_EDGE_MIN or size >= len(token):
            continue
        starts = range(len(token) - size + 1) if size >= INSIDE_WORD_MIN else (0, len(token) - size)
        yield from (token[start : start + size] for start in starts)


@dataclass(frozen=True)
class WithheldNames:
    """The recorded digests, and the allowed words: what public text is checked against."""

    by_length: dict[int, frozenset[str]]
    legacy_by_words: dict[int, frozenset[str]] = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()

    @classmethod
    def load(cls, extra: Iterable[HashedName] = ()) -> "WithheldNames":
        """Every recorded name and allowed word, in two queries, plus names not yet saved."""
        by_length, legacy = defaultdict(set), defaultdict(set)
        rows = WithheldName.objects.values_list("digest", "length", "words")
        for name_digest, length, words in [*rows, *((n.digest, n.length, n.words) for n in extra)]:
            if length is None:
                legacy[words].add(name_digest)
            else:
                by_length[length].add(name_digest)
        allowed = frozenset(AllowedWord.objects.values_list("digest", flat=True))
        return cls(_frozen(by_length), _frozen(legacy), allowed)

    def __bool__(self) -> bool:
        return bool(self.by_length or self.legacy_by_words)

    def found_in(self, value: str) -> bool:
        """Whether the text holds a withheld name, for certain or inside a word not allowed."""
        return self.certainly_in(value) or bool(self.words_holding(value))

    def certainly_in(self, value: str) -> bool:
        """Whether a run of the text's words reads a withheld name (never allowed)."""
        if not (self and value):
            return False
        key = _key()
        longest = max(self.by_length, default=0)
        for reading in readings(value):
            if self.legacy_by_words and _legacy_found(key, reading, self.legacy_by_words):
                return True
            for run in _runs(tokens(reading), longest):
                digests = self.by_length.get(len(run), ())
                if digests and _hmac(key, _FORM + run) in digests:
                    return True
        return False

    def words_holding(self, value: str) -> list[str]:
        """The words of the text, as typed, that hold a withheld name inside them and are not
        allowed words."""
        if not (self.by_length and value):
            return []
        key, found = _key(), []
        for reading in readings(value):
            for word in (each.strip(PUNCTUATION) for each in reading.split()):
                if word and word not in found and self._holds(key, word):
                    found.append(word)
        return found

    def _holds(self, key: bytes, word: str) -> bool:
        """Whether a word, not allowed as a whole, has a token that holds a name inside it."""
        parts = tokens(word)
        if _hmac(key, _FORM + "".join(parts)) in self.allowed:
            return False
        for token in parts:
            if _hmac(key, _FORM + token) in self.allowed:
                continue
            for part in _inside(token, self.by_length):
                if _hmac(key, _FORM + part) in self.by_length[len(part)]:
                    return True
        return False


def _frozen(groups: dict[int, set[str]]) -> dict[int, frozenset[str]]:
    return {size: frozenset(digests) for size, digests in groups.items()}


# Where names stand in a text: for redacting them, when the names are typed and in hand


@dataclass(frozen=True)
class NameSpans:
    """Names in canonical form (typed just now, never stored as text), and the allowed
    words: finds where a text holds one, in any spelling the guard refuses."""

    canonical: frozenset[str]
    allowed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, lines: Iterable[str]) -> "NameSpans":
        canonical = frozenset(form for line in lines if (form := compact(line)))
        allowed = frozenset(AllowedWord.objects.values_list("digest", flat=True))
        return cls(canonical, allowed if canonical else frozenset())

    def __bool__(self) -> bool:
        return bool(self.canonical)

    def spans(self, value: str) -> list[tuple[int, int]]:
        """(start, end) of each stretch of value that holds a name, merged, in order: a run
        of tokens reading a name (or its plural), or a whole word holding one inside it."""
        if not (self and value):
            return []
        parts = token_spans(value)
        found = self._runs(parts) + self._words_holding(parts)
        return _merged(found)

    def _runs(self, parts: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
        longest, found = max(map(len, self.canonical)), []
        for first, (_, start, _) in enumerate(parts):
            run = ""
            for token, _, end in parts[first:]:
                run += token
                if len(run) > longest + 2:
                    break
                bare = (run[: -len(ending)] for ending in PLURALS if run.endswith(ending))
                if run in self.canonical or any(each in self.canonical for each in bare):
                    found.append((start, end))
        return found

    def _words_holding(self, parts: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
        lengths = {len(form) for form in self.canonical}
        return [
            (start, end)
            for token, start, end in parts
            if any(part in self.canonical for part in _inside(token, lengths))
            and digest(token) not in self.allowed
        ]

    def redact(self, value: str, marker: str) -> str:
        """value with each stretch holding a name replaced by marker; the whole value, if a
        name still reads through markup or %-escapes (``K<b>i</b>m``)."""
        for start, end in reversed(self.spans(value)):
            value = value[:start] + marker + value[end:]
        if any(self.spans(reading) for reading in readings(value) - {value}):
            return marker
        return value


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
