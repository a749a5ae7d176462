"""Finding a supporter's TDs without a postcode table: their constituency from the list, or
their county and then the constituency.

There is no open table of Eircodes and Dáil constituencies (an Eircode's routing key is a
postal district, and many straddle constituency and county lines), so the supporter chooses.
A lookup makes at most ``MAX_QUERIES`` queries: the constituencies, then the chosen one's TDs.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from campaigns.lookup.backends import Candidate
from campaigns.lookup.service import ParliamentResult, Seat
from campaigns.models import Area, Representative
from campaigns.models.parliaments import DAIL

MAX_QUERIES = 3

# The 26 counties of Ireland, for the supporter's address (An Post writes "Co. Meath").
COUNTIES = [
    "Carlow", "Cavan", "Clare", "Cork", "Donegal", "Dublin", "Galway", "Kerry", "Kildare",
    "Kilkenny", "Laois", "Leitrim", "Limerick", "Longford", "Louth", "Mayo", "Meath", "Monaghan",
    "Offaly", "Roscommon", "Sligo", "Tipperary", "Waterford", "Westmeath", "Wexford", "Wicklow",
]  # fmt: skip


@dataclass
class DailLookup:
    """Every constituency (to choose from), by county too, and the chosen one's TDs."""

    constituencies: list[Area]
    counties: dict[str, list[Area]]
    county: str = ""  # the county the supporter chose, if it is one we know
    result: ParliamentResult | None = None  # None until a constituency is settled
    unknown: list[str] = field(default_factory=list)  # what was asked for and not found

    @property
    def in_county(self) -> list[Area]:
        return self.counties.get(self.county, [])

    @property
    def needs_choice(self):
        return self.result is None

    def constituencies_by_county(self):
        """(county, constituencies) pairs for a list grouped by county."""
        return list(self.counties.items())


def lookup_dail(*, constituency: str = "", county: str = "", on: date | None = None) -> DailLookup:
    """The TDs for ``constituency`` (an Oireachtas code), or for ``county`` if only one
    constituency lies in it; otherwise the constituencies to choose from."""
    areas = list(
        Area.objects.filter(parliament__slug=DAIL).select_related("parliament").order_by("name")
    )
    counties = defaultdict(list)
    for area in areas:
        for name in area.county_list:
            counties[name].append(area)
    lookup = DailLookup(areas, dict(sorted(counties.items())))
    lookup.county = county if county in lookup.counties else ""
    lookup.unknown = [value for value in (constituency,) if value and value not in _codes(areas)]
    if county and not lookup.county:
        lookup.unknown.append(county)
    chosen = next((area for area in areas if area.code == constituency), None)
    if chosen is None and len(lookup.in_county) == 1:
        chosen = lookup.in_county[0]
    if chosen is not None:
        lookup.result = _result(chosen, on or timezone.localdate())
    return lookup


def _codes(areas):
    return {area.code for area in areas}


def _result(area, day):
    seat = Seat(area)
    terms = Representative.objects.filter(area=area).order_by("party", "list_position", "name")
    seat.fill(list(terms), day)
    candidates = [Candidate(area=area, share=None, basis="picked")]
    return ParliamentResult(parliament=area.parliament, candidates=candidates, constituency=seat)
