"""Letter templates: a fixed list of placeholders, filled by plain substitution.

A template is text with ``{name}`` placeholders from ``PLACEHOLDERS``; ``{{`` and ``}}`` stand
for literal braces. Nothing is ever executed: rendering replaces each placeholder with its
value and copies everything else as it is.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "representative_name": "The member's name, e.g. “Jane Smith”.",
    "representative_title": "The member's role, e.g. “MP for Holborn and St Pancras”.",
    "salutation": "The greeting, e.g. “Dear Jane Smith”, or “Dear Deputy Bacik” for a TD.",
    "member_suffix": "The letters after a member's name: MP, MSP, MS, MLA or TD.",
    "constituency": "The member's constituency or region, e.g. “Lothian”.",
    "parliament": "The member's parliament, e.g. “Scottish Parliament”.",
    "supporter_name": "The supporter's full name, as they typed it.",
    "supporter_address": "The supporter's postal address and postcode, one part per line.",
    "supporter_postcode": "The supporter's postcode, e.g. “SW1A 0AA”.",
    "supporter_email": "The supporter's email address, so the office can reply.",
    "personal_paragraph": "The supporter's own words, from the prompts on the letter page.",
    "motion_reference": "The reference of the campaign's motion, e.g. “S7M-01234”.",
    "motion_title": "The title of the campaign's motion or debate.",
    "motion_tabled_by": "Who tabled the motion, e.g. “Kate Forbes MSP”.",
    "campaign_title": "The campaign's title.",
    "date": "The day the letter is written, e.g. “28 November 2026”.",
}

# The parts a supporter fills in: left as placeholders in the letter they edit, then filled
# from their details when they send it.
SUPPORTER_PLACEHOLDERS = (
    "supporter_name",
    "supporter_address",
    "supporter_postcode",
    "supporter_email",
    "personal_paragraph",
)

TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
NAME = re.compile(r"[a-z_]+")
WORD = re.compile(r"\w+")


class TemplateSyntaxError(ValueError):
    """A placeholder that is not on the list, or a brace that does not make one."""


@dataclass(frozen=True)
class Part:
    """A piece of a parsed template: literal text, or the name of a placeholder."""

    text: str = ""
    placeholder: str = ""


def parse(template: str) -> list[Part]:
    """Split a template into text and placeholders; raise TemplateSyntaxError naming a fault."""
    parts, start = [], 0
    for match in TOKEN.finditer(template):
        parts.append(Part(text=template[start : match.start()]))
        parts.append(_token(match))
        start = match.end()
    parts.append(Part(text=template[start:]))
    return [part for part in parts if part.text or part.placeholder]


def _token(match: re.Match) -> Part:
    token = match.group(0)
    if token in ("{{", "}}"):
        return Part(text=token[0])
    if token in ("{", "}"):
        raise TemplateSyntaxError(
            f"A lone “{token}” does not make a placeholder. Write a placeholder as "
            "{supporter_name}, or a brace itself as {{ or }}."
        )
    name = match.group(1)
    if not NAME.fullmatch(name):
        raise TemplateSyntaxError(f"“{token}” is not a placeholder: use lower-case names.")
    if name not in PLACEHOLDERS:
        raise TemplateSyntaxError(f"“{token}” is not one of the placeholders we can fill in.")
    return Part(placeholder=name)


def check(template: str) -> None:
    """Raise TemplateSyntaxError if the template has an unknown or malformed placeholder."""
    parse(template)


def render(template: str, values: dict[str, str], *, keep: tuple[str, ...] = ()) -> str:
    """Fill the placeholders from ``values``; those named in ``keep`` stay as ``{name}``.

    A placeholder with no value (a campaign without a motion, say) becomes empty text.
    """
    out = []
    for part in parse(template):
        if not part.placeholder:
            out.append(part.text)
        elif part.placeholder in keep:
            out.append(f"{{{part.placeholder}}}")
        else:
            out.append(values.get(part.placeholder, ""))
    return "".join(out)


def fill_remaining(text: str, values: dict[str, str]) -> str:
    """Fill the placeholders a supporter's edited letter still holds; leave any other text.

    A supporter's text is not a template: a stray brace is theirs to keep, not an error.
    """

    def replace(match: re.Match) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return re.sub(r"\{([a-z_]+)\}", replace, text)


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def personal_share(letter: str, baseline: str) -> float:
    """The share (0 to 1) of the letter's words that are not the campaign's.

    Counts each word of the letter beyond the number of times the untouched letter
    (``baseline``) uses it. The page's script counts the same way, so both agree.
    """
    written = words(letter)
    if not written:
        return 0.0
    given = Counter(words(baseline))
    own = sum(max(0, count - given[word]) for word, count in Counter(written).items())
    return own / len(written)


# (lowest percentage, message): the note under the letter. The page's script uses the same
# list, handed to it in a data attribute, so the words live in one place.
SHARE_MESSAGES = [
    (0, _("So far this is the campaign's letter, with nothing of your own.")),
    (5, _("About {percent}% of this letter is in your own words. A little more helps.")),
    (25, _("About {percent}% of this letter is in your own words. Good.")),
    (50, _("About {percent}% of this letter is in your own words. Excellent.")),
]


def describe_share(share: float) -> str:
    """The personal-text note, in plain words."""
    percent = round(share * 100)
    message = next(text for lowest, text in reversed(SHARE_MESSAGES) if percent >= lowest)
    return str(message).replace("{percent}", str(percent))
