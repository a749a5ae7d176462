"""Content checks before publishing: a checklist shown on each workflow item's change form.

Core knows no app, so the apps that know a rule register it here from ``AppConfig.ready()``
(stories: alt text, lengths for search and sharing, readability, the name-changed note;
safeguarding: no withheld name). A check that *warns* never stops anything; a check that
*blocks* says what the registered publish checks (``core.publishing.publish_refusals``) will
refuse, and the workflow refuses it there, not here.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Level(StrEnum):
    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True)
class ContentCheck:
    """One line of the checklist. ``failure(item)`` returns None when the item passes, or a
    message telling the editor what to do; it reads the item as saved."""

    label: str
    level: Level
    failure: Callable[[models.Model], str | None]


@dataclass(frozen=True)
class Outcome:
    """A check's result for one item, as the panel shows it."""

    label: str
    level: Level
    message: str | None

    @property
    def passed(self) -> bool:
        return self.message is None

    @property
    def verdict(self) -> str:
        """The result in words: the panel never relies on colour alone."""
        if self.passed:
            return "Passed"
        return "Blocks publishing" if self.level == Level.BLOCK else "Warning"


ALL_MODELS = "*"
_checks: dict[str, list[ContentCheck]] = {}


def register_content_check(check: ContentCheck, for_models: Iterable[type[models.Model]] = ()):
    """Check items of ``for_models`` (every model with the workflow if none); called from an
    AppConfig.ready(). Registering the same check twice keeps one."""
    for label in [model._meta.label_lower for model in for_models] or [ALL_MODELS]:
        checks = _checks.setdefault(label, [])
        if check not in checks:
            checks.append(check)


def checks_for(model: type[models.Model]) -> list[ContentCheck]:
    """The checks for items of model: its own, then those for every model (the blocking)."""
    return [*_checks.get(model._meta.label_lower, ()), *_checks.get(ALL_MODELS, ())]


def checklist(item: models.Model) -> list[Outcome]:
    """Every check's outcome for a saved item, blocking checks first, in registration order."""
    outcomes = [
        Outcome(check.label, check.level, check.failure(item)) for check in checks_for(type(item))
    ]
    return sorted(outcomes, key=lambda outcome: outcome.level != Level.BLOCK)


# Small helpers for the checks apps write.


def length_failure(text: str, *, what: str, low: int = 0, high: int) -> str | None:
    """A message when text is shorter than ``low`` or longer than ``high`` characters."""
    length = len(text.strip())
    if length > high:
        return f"{what} is {length} characters: shorten it to {high} or fewer."
    if length < low:
        return f"{what} is {length} characters: write at least {low}."
    return None


_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """An estimate good enough for a reading score: vowel groups, less a silent final e."""
    word = word.lower()
    count = len(_VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_ease(text: str) -> float | None:
    """Flesch reading ease (0 hard, 100 easy) of English text; None if it has no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(len(_SENTENCE_END.findall(text.strip() + " ")), 1)
    syllable_count = sum(syllables(word) for word in words)
    return 206.835 - 1.015 * len(words) / sentences - 84.6 * syllable_count / len(words)
