"""Postal codes of the two countries we post to: UK postcodes and Irish Eircodes."""

import re

from django.utils.translation import gettext as _

from campaigns.lookup.postcodes import InvalidPostcode, normalise_postcode

# A routing key (a letter and two digits, or D6W) and a four-character identifier, from
# the letters Eircodes use (Eircode's address standard: no B, G, I, J, L, M, O, Q, S, U, Z).
EIRCODE_PATTERN = re.compile(r"([AC-FHKNPRTV-Y][0-9]{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})")
LONGEST_INPUT = 16


class InvalidPostalCode(ValueError):
    """Not shaped like a postal code of the country chosen."""


def normalise_eircode(text: str) -> str:
    """``a65f4e2`` -> ``A65 F4E2``; raises InvalidPostalCode for anything else."""
    compact = "".join(str(text).split()).upper()
    match = EIRCODE_PATTERN.fullmatch(compact) if len(text) <= LONGEST_INPUT else None
    if match is None:
        raise InvalidPostalCode(
            _("That is not an Eircode. Check it and try again, for example A65 F4E2.")
        )
    return f"{match.group(1)} {match.group(2)}"


def normalise_postal_code(text: str, country: str) -> str:
    """The code as the post office writes it, for ``country`` (GB or IE)."""
    if country == "IE":
        return normalise_eircode(text)
    try:
        return str(normalise_postcode(text))
    except InvalidPostcode as error:
        raise InvalidPostalCode(str(error)) from error
