"""The content checks for stories, spokespeople and prayer requests (core.checklist).

Each warns and never blocks. The figures are explained for staff in docs/editors.md, under
"Checks before publishing". Campaigns build theirs from the same pieces (campaigns/checks.py).
"""

from collections.abc import Callable

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core.checklist import ContentCheck, Level, length_failure, reading_ease
from stories.models import PrayerRequest, Spokesperson, Story
from stories.pseudonyms import name_changed_people, unnoted_pseudonyms

SEARCH_TITLE_MAX = 60  # what search results show of a title before cutting it off
DESCRIPTION_MIN = 50  # shorter, and search engines write their own from the page
DESCRIPTION_MAX = 160  # what search results and shared links show of a description
READING_EASE_TARGET = 60  # Flesch reading ease: 60 and above reads as plain English

Text = Callable[[models.Model], str]


def picture_described(image: str, alt: str, decorative: str, *, what: str) -> ContentCheck:
    """Every picture has a description, or is marked decorative."""

    def failure(item):
        if getattr(item, image) and not getattr(item, alt) and not getattr(item, decorative):
            return f"Describe the {what} for people who cannot see it, or mark it decorative."
        return None

    return ContentCheck("Every picture is described", Level.WARN, failure)


def search_title(text: Text) -> ContentCheck:
    def failure(item):
        return length_failure(text(item), what="The title for search", high=SEARCH_TITLE_MAX)

    return ContentCheck(
        f"Title for search is at most {SEARCH_TITLE_MAX} characters", Level.WARN, failure
    )


def description(text: Text) -> ContentCheck:
    def failure(item):
        return length_failure(
            text(item),
            what="The description for search and sharing",
            low=DESCRIPTION_MIN,
            high=DESCRIPTION_MAX,
        )

    label = f"Description for search and sharing is {DESCRIPTION_MIN} to {DESCRIPTION_MAX} "
    return ContentCheck(label + "characters", Level.WARN, failure)


def readable(text: Text, *, what: str) -> ContentCheck:
    def failure(item):
        score = reading_ease(text(item))
        if score is None or score >= READING_EASE_TARGET:
            return None
        return (
            f"The {what} scores {score:.0f} for reading ease (aim for {READING_EASE_TARGET} or "
            "more): use shorter sentences and shorter words."
        )

    return ContentCheck(f"The {what} is easy to read", Level.WARN, failure)


def pseudonyms_noted(noted: Callable[[models.Model], list]) -> ContentCheck:
    """Every changed name the item's public text uses carries the note, on the page or in words.

    ``noted(item)`` is who the page's note covers, decided as the page decides it."""

    def failure(item):
        missing = unnoted_pseudonyms(public_text(item), noted(item))
        if not missing:
            return None
        names = ", ".join(f"“{person.name}”" for person in missing)
        return (
            f"{names}: a changed name, but this page would not say so. Add them as a "
            "published spokesperson on it (a card or a quote's speaker), or write “(name "
            "changed)” beside the name."
        )

    return ContentCheck(
        "The name-changed note is shown wherever a pseudonym appears", Level.WARN, failure
    )


def public_text(item: models.Model) -> str:
    """All the item's public text (the fields declared to the guard, and its rows) as one."""
    return strip_tags(" ".join(_strings(item.public_values())))


def _strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [string for part in value for string in _strings(part)]
    return [str(value)]


def story_noted(story: Story) -> list:
    """Whom the story page's note covers once published, as StoryDetailView decides it."""
    quotes = story.pull_quotes.select_related("spokesperson")
    quoted = [quote.spokesperson for quote in quotes if quote.spokesperson is not None]
    return name_changed_people(
        story.spokespeople.published(), [person for person in quoted if person.is_published]
    )


def story_description(story: Story) -> str:
    return story.seo_description or story.standfirst


def prayer_description(prayer: PrayerRequest) -> str:
    """As the prayer page's template cuts it (truncatewords:30)."""
    return Truncator(prayer.introduction).words(30)


STORY_CHECKS = [
    picture_described("hero_image", "hero_alt", "hero_decorative", what="picture at the top"),
    search_title(lambda story: story.seo_title or story.title),
    description(story_description),
    readable(lambda story: story.standfirst, what="standfirst"),
    pseudonyms_noted(story_noted),
]
SPOKESPERSON_CHECKS = [
    picture_described("photo", "photo_alt", "photo_decorative", what="photo"),
    search_title(lambda person: person.name),
]
PRAYER_CHECKS = [
    search_title(lambda prayer: prayer.title),
    description(prayer_description),
    readable(lambda prayer: prayer.introduction, what="introduction"),
    pseudonyms_noted(lambda prayer: []),  # a prayer page shows no spokespeople, so no note
]
CHECKS = {Story: STORY_CHECKS, Spokesperson: SPOKESPERSON_CHECKS, PrayerRequest: PRAYER_CHECKS}
