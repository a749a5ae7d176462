"""Postcode in; the areas and representatives for each parliament out.

The one service the representatives page, the letter flow and the benchmark call. Whatever the
backend and the amount of data, a lookup makes at most ``MAX_QUERIES`` queries: the backend's
one or two, then one for the members of every seat found (or one for the list to choose from).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst

from campaigns.lookup.backends import Backend, Candidate, get_backend
from campaigns.lookup.postcodes import InvalidPostcode, Postcode, normalise_postcode
from campaigns.models import Area, Parliament, Representative
from campaigns.models.parliaments import COMMONS

__all__ = [
    "Candidate",
    "InvalidPostcode",
    "LookupResult",
    "ParliamentResult",
    "Seat",
    "lookup_postcode",
    "normalise_postcode",
]

MAX_QUERIES = 3
# Below this, part of the sector lies outside the parliament's territory (a border sector).
WHOLLY_INSIDE = Decimal("0.995")


@dataclass
class Seat:
    """An area and the members it has now; an empty seat carries the reason, if we know it."""

    area: Area
    members: list[Representative] = field(default_factory=list)
    vacancies: list[str] = field(default_factory=list)

    @property
    def members_without_email(self):
        return [member.name for member in self.members if not member.email]

    def fill(self, terms: list[Representative], day: date):
        for term in terms:
            term.area = self.area  # the area and parliament are loaded already: no query each
        self.members = [term for term in terms if term.is_current(day)]
        ended = sorted(
            (term for term in terms if term.in_office_to and term.in_office_to <= day),
            key=lambda term: term.in_office_to,
            reverse=True,
        )
        empty = max(0, self.area.seats - len(self.members))
        reasons = [term.end_reason for term in ended[:empty]]
        if self.area.parliament.in_election(day) and empty:
            reasons = [dissolution_reason(self.area.parliament)]  # said once for every seat
            empty = 1
        self.vacancies = reasons + [""] * (empty - len(reasons))


def dissolution_reason(parliament: Parliament) -> str:
    """Why a dissolved parliament's seats are empty, as the page says it."""
    return (
        f"{capfirst(parliament.name_in_sentence)} was dissolved on "
        f"{parliament.dissolved_on:%-d %B %Y} for an election: there are no "
        f"{parliament.member_suffix}s until the new ones are elected."
    )


@dataclass
class ParliamentResult:
    parliament: Parliament
    candidates: list[Candidate]
    constituency: Seat | None = None  # None until the supporter picks one of the candidates
    region: Seat | None = None  # Scottish Parliament: the constituency's region

    @property
    def by_district(self):
        """Matched on the postcode district alone: the sector is not in our tables."""
        return self.candidates[0].basis == "district"

    @property
    def needs_choice(self):
        return self.constituency is None

    @property
    def outside_choice(self):
        """The choice a supporter makes to say they live outside this parliament's territory."""
        return f"OUTSIDE-{self.parliament.slug.upper()}"

    @property
    def partly_outside(self):
        """The postcode sector straddles the border of the parliament's territory."""
        shares = [candidate.share for candidate in self.candidates if candidate.share is not None]
        return bool(shares) and sum(shares) < WHOLLY_INSIDE


@dataclass
class LookupResult:
    postcode: Postcode
    parliaments: list[ParliamentResult]
    choices: list[Area] = field(default_factory=list)  # constituencies, when not covered

    @property
    def covered(self):
        return bool(self.parliaments)


def lookup_postcode(
    *,
    postcode: str,
    chosen: Iterable[str] = (),
    backend: Backend | None = None,
    on: date | None = None,
) -> LookupResult:
    """The representatives for ``postcode`` in every parliament that governs it.

    ``chosen`` holds area codes the supporter picked: one of the candidates where a sector is
    split, or a Westminster constituency from the list where the postcode is not covered; or
    a parliament's ``outside_choice``, where a border sector lies partly in its territory.
    Raises InvalidPostcode if the text is not a postcode.
    """
    code = normalise_postcode(postcode)
    chosen = {value.strip().upper() for value in chosen if value}
    candidates = (backend or get_backend()).candidates(code)
    if not candidates:
        candidates = _picked_constituencies(chosen)
    if not candidates:
        return LookupResult(postcode=code, parliaments=[], choices=_constituency_choices(code))
    results = [_resolve(group, chosen) for group in _by_parliament(candidates)]
    results = [result for result in results if result is not None]
    _fill_seats(results, on or timezone.localdate())
    return LookupResult(postcode=code, parliaments=results)


def _by_parliament(candidates):
    groups = defaultdict(list)
    for candidate in candidates:
        groups[candidate.area.parliament_id].append(candidate)
    return sorted(groups.values(), key=lambda group: group[0].area.parliament.position)


def _resolve(candidates, chosen):
    """The supporter's seat in one parliament, if the candidates and their choice settle it.

    Returns None if the supporter said they live outside the parliament's territory.
    """
    result = ParliamentResult(parliament=candidates[0].area.parliament, candidates=candidates)
    if result.outside_choice in chosen:
        return None
    if len(candidates) == 1 and not result.partly_outside:
        area = candidates[0].area
    else:
        area = next((c.area for c in candidates if c.area.code in chosen), None)
    regions = {c.area.parent for c in candidates}
    region = area.parent if area else (regions.pop() if len(regions) == 1 else None)
    if region is not None:
        region.parliament = result.parliament  # its constituency's, loaded already: no query
    result.constituency = Seat(area) if area else None
    result.region = Seat(region) if region else None
    return result


def _fill_seats(results, day):
    seats = [seat for r in results for seat in (r.constituency, r.region) if seat]
    if not seats:
        return
    terms = defaultdict(list)
    # Every term in these few seats, ended ones too: the latest ended term says why a seat
    # is empty. A seat has a handful of terms a decade, so this stays small.
    for term in Representative.objects.filter(area__in=[seat.area for seat in seats]).order_by(
        "party", "list_position", "name"
    ):
        terms[term.area_id].append(term)
    for seat in seats:
        seat.fill(terms[seat.area.pk], day)


def _picked_constituencies(chosen):
    """Westminster constituencies the supporter chose from the list (uncovered postcodes)."""
    if not chosen:
        return []
    areas = Area.objects.filter(
        parliament__slug=COMMONS, kind=Area.Kind.CONSTITUENCY, code__in=chosen
    ).select_related("parliament", "parent")
    return [Candidate(area=area, share=None, basis="picked") for area in areas]


def _constituency_choices(postcode):
    """Westminster constituencies to choose from: Northern Ireland's for a BT postcode."""
    areas = Area.objects.filter(parliament__slug=COMMONS, kind=Area.Kind.CONSTITUENCY)
    if postcode.in_northern_ireland:
        areas = areas.filter(code__startswith="N")
    return sorted(areas, key=lambda area: (area.nation, area.name))
