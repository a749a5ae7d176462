"""UK postcodes: recognise, normalise and split into sector and district."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Outward code (A9, A99, A9A, AA9, AA99, AA9A) then inward code (9AA), spaces removed.
POSTCODE_PATTERN = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
LONGEST_INPUT = 16  # "SW1A 0AA" with generous spacing; anything longer is not a postcode


class InvalidPostcode(ValueError):
    """The text is not shaped like a full UK postcode."""


@dataclass(frozen=True)
class Postcode:
    outward: str
    inward: str

    def __str__(self):
        return f"{self.outward} {self.inward}"

    @property
    def sector(self):
        """``SW1A 0`` for ``SW1A 0AA``."""
        return f"{self.outward} {self.inward[0]}"

    @property
    def district(self):
        """``SW1A`` for ``SW1A 0AA``."""
        return self.outward

    @property
    def postcode_area(self):
        """The leading letters: ``SW``, ``EH``, ``BT``."""
        return re.match("[A-Z]+", self.outward).group()

    @property
    def in_northern_ireland(self):
        return self.postcode_area == "BT"


def normalise_postcode(text: str) -> Postcode:
    """``sw1a0aa`` -> ``SW1A 0AA``; raises InvalidPostcode for anything else."""
    text = str(text)
    compact = "".join(text.split()).upper()
    match = POSTCODE_PATTERN.fullmatch(compact) if len(text) <= LONGEST_INPUT else None
    if match is None:
        raise InvalidPostcode(
            _("That is not a full UK postcode. Check it and try again, for example SW1A 0AA.")
        )
    return Postcode(outward=match.group(1), inward=match.group(2))
