"""Changed names on public pages: who a page names under a pseudonym, and who its note covers.

A story page ends with "name changed for security reasons" for each spokesperson it shows (in
a card or a pull quote) whose name was changed. The story view and the content checklist both
ask ``name_changed_people``, so the check sees the note exactly as the page renders it.
"""

import re
from collections.abc import Iterable

from stories.models import Spokesperson

NOTE_IN_WORDS = "name changed"  # the text itself says so, as in "Brother Y (name changed)"


def name_changed_people(spokespeople: Iterable, quoted: Iterable) -> list:
    """Everyone a page shows under a changed name, once each: the people in its cards and the
    speakers of its quotes (None for a quote without a spokesperson)."""
    people = [*spokespeople, *filter(None, quoted)]
    return list({person.pk: person for person in people if person.name_changed}.values())


def pseudonyms_named_in(text: str) -> list[Spokesperson]:
    """The spokespeople with a changed name whose public name appears in text, as a word."""
    people = Spokesperson.objects.filter(name_changed=True).only("pk", "name")
    return [person for person in people if _names(text, person.name)]


def _names(text: str, name: str) -> bool:
    return (
        bool(name.strip())
        and re.search(rf"(?<!\w){re.escape(name.strip())}(?!\w)", text, re.IGNORECASE) is not None
    )


def unnoted_pseudonyms(text: str, noted: Iterable) -> list[Spokesperson]:
    """Changed names that text uses but that neither the page's note nor the text marks."""
    if NOTE_IN_WORDS in text.lower():
        return []
    covered = {person.pk for person in noted}
    return [person for person in pseudonyms_named_in(text) if person.pk not in covered]
