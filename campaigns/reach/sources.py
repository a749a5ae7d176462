"""Source codes: the short code a campaign link carries (``?source=``, or ``utm_source``).

A code names a channel (a newsletter, a church, a partner's page), never a person: anything
that looks like an email address, a phone number, a long number or a postcode is dropped
whole, not trimmed, so no part of it is ever stored.
"""

import re

from django.db.models import Count

from campaigns.models import Letter

MAX_LENGTH = 40  # Letter.source
PARAMETER = "source"
UTM_PARTS = ("utm_source", "utm_medium")  # joined, in this order, when ?source= is absent

# Personal-looking values, tested on the value as given (lowercased) before it is tidied.
EMAIL = re.compile(r"@|%40")
LONG_NUMBER = re.compile(r"\d{6,}")
TOO_MANY_DIGITS = 7  # a phone number written with spaces or dashes: 020 7946 0000
UK_POSTCODE = re.compile(r"(?:^|[^a-z0-9])[a-z]{1,2}\d[a-z\d]?[\s_.+-]*\d[a-z]{2}(?:$|[^a-z0-9])")
HEX_RUN = re.compile(r"[0-9a-f]{16,}")  # a per-person tracking id (mailing tools add these)
NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")


def looks_personal(value: str) -> bool:
    """Whether a raw code could identify a person (and so must never be kept)."""
    value = value.lower()
    return bool(
        EMAIL.search(value)
        or LONG_NUMBER.search(value)
        or sum(char.isdigit() for char in value) >= TOO_MANY_DIGITS
        or UK_POSTCODE.search(value)
        or any(looks_like_id(run) for run in HEX_RUN.findall(value))
    )


def looks_like_id(run: str) -> bool:
    """Hex digits and letters mixed, as in a hash or token ("cafebabedeadbeef" is a word)."""
    return any(char.isdigit() for char in run) and any(char.isalpha() for char in run)


def normalise_source(value: str | None) -> str:
    """The code to keep: lowercase, ``[a-z0-9_-]``, at most 40 characters; "" to keep none."""
    if not value or looks_personal(value):
        return ""
    code = NOT_ALLOWED.sub("-", value.strip().lower()).strip("-_")
    return code[:MAX_LENGTH].rstrip("-_")


def source_from_query(query) -> str:
    """The code a request's query (a QueryDict) carries: ``source``, else the utm_ parts."""
    if PARAMETER in query:
        return normalise_source(query.get(PARAMETER))
    parts = [normalise_source(query.get(name)) for name in UTM_PARTS]
    if not parts[0]:  # a medium alone ("email") says too little to count
        return ""
    return normalise_source("-".join(part for part in parts if part))


def letters_by_source(campaign) -> list[tuple[str, int]]:
    """(code, letters) for the campaign's counted letters, most first; "" is no code."""
    rows = (
        Letter.objects.counted()
        .filter(campaign=campaign)
        .values_list("source")
        .annotate(letters=Count("id"))
        .order_by("-letters", "source")
    )
    return list(rows)
