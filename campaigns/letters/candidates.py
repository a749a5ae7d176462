"""A letter to the candidates while a parliament is dissolved: printed, never kept or sent.

Between a dissolution and the import of the members elected after it, a seat has no member.
A campaign may then offer the supporter a letter to whoever stands in their seat: the same
drafting as a letter to a member, addressed to the candidates, which they print and post or
hand over at a hustings. Nothing of it is stored.
"""

from dataclasses import dataclass

from django.utils import formats, timezone

from campaigns.lookup.service import Seat
from campaigns.models import Area


@dataclass(frozen=True)
class Candidates:
    """Whoever stands for one seat: a recipient with no member behind it."""

    area: Area
    pk = "candidates"
    name = "the candidates"
    email = ""

    @property
    def recipient_name(self) -> str:
        return f"The candidates for {self.area.name}"

    @property
    def recipient_address(self) -> str:
        """Where it goes: the candidates' own addresses, which the supporter writes in."""
        election = f"{self.area.parliament.name} election"
        return f"{self.recipient_name}\n{election}"


def seats_with_candidates(seats: list[Seat]) -> list[Seat]:
    """Constituencies whose parliament is dissolved: candidates to write to, no member.

    Not a region: its seats go to party lists, not to candidates a supporter can write to.
    """
    return [
        seat
        for seat in seats
        if seat.area.kind == Area.Kind.CONSTITUENCY and seat.area.parliament.in_election()
    ]


@dataclass(frozen=True)
class PrintedLetter:
    """What the print page shows: the same parts as a stored letter's print page."""

    recipient_name: str
    recipient_address: str
    subject: str
    body: str
    supporter_address_block: str

    @property
    def date(self) -> str:
        return formats.date_format(timezone.localdate(), "j F Y")
