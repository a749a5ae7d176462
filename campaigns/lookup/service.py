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

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import capfirst

from campaigns.lookup.backends import Backend, Candidate, get_backend
from campaigns.lookup.postcodes import InvalidPostcode, Postcode, normalise_postcode
from campaigns.models import Area, Parliament, Representative
from campaigns.models.parliaments import COMMONS, NI_ASSEMBLY

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
    listed: bool = True  # False where no member was ever imported (the NI Assembly's, today)

    @property
    def members_without_email(self):
        return [member.name for member in self.members if not member.email]

    def fill(self, terms: list[Representative], day: date):
        self.listed = bool(terms)
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
    # Northern Ireland: the Assembly's constituencies, until the supporter picks theirs (no
    # open table places BT postcodes in them), and whether any MLA is imported at all.
    assembly_choices: list[Area] = field(default_factory=list)
    assembly_listed: bool = False

    @property
    def covered(self):
        return bool(self.parliaments)

    @property
    def asks_constituency(self):
        """A list to choose from is still to be offered: the postcode is not in our tables, or
        is in Northern Ireland and not every one of its seats is chosen yet."""
        return not self.covered or bool(self.choices or self.assembly_choices)


def lookup_postcode(
    *,
    postcode: str,
    chosen: Iterable[str] = (),
    backend: Backend | None = None,
    on: date | None = None,
) -> LookupResult:
    """The representatives for ``postcode`` in every parliament that governs it.

    ``chosen`` holds area codes the supporter picked: one of the candidates where a sector is
    split, or a Westminster constituency from the list where the postcode is not covered (and
    an Assembly constituency, in Northern Ireland); or a parliament's ``outside_choice``,
    where a border sector lies partly in its territory.
    Raises InvalidPostcode if the text is not a postcode.
    """
    code = normalise_postcode(postcode)
    chosen = {value.strip().upper() for value in chosen if value}
    candidates = (backend or get_backend()).candidates(code)
    if code.in_northern_ireland:
        known = {candidate.area.code for candidate in candidates}
        return _northern_ireland(code, chosen, on or timezone.localdate(), known=known)
    if not candidates:
        candidates = _picked_constituencies(chosen)
    if not candidates:
        return LookupResult(postcode=code, parliaments=[], choices=_constituency_choices())
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


def _northern_ireland(postcode, chosen, day, *, known=frozenset()):
    """A BT postcode: the supporter picks their Westminster constituency (for the MP) and their
    Assembly constituency (for the five MLAs) from the lists, as no open table holds either.
    Where the backend knows the Westminster seat (postcodes.io does), it is taken, not asked.

    One query for both lists, one for the members of the seats picked.
    """
    areas = Area.objects.filter(
        Q(parliament__slug=COMMONS, kind=Area.Kind.CONSTITUENCY, code__startswith="N")
        | Q(parliament__slug=NI_ASSEMBLY)
    )
    areas = areas.select_related("parliament", "parent").annotate(terms=Count("representatives"))
    commons = sorted((a for a in areas if a.parliament.slug == COMMONS), key=lambda a: a.name)
    assembly = sorted((a for a in areas if a.parliament.slug == NI_ASSEMBLY), key=lambda a: a.name)
    known_seat = [area for area in commons if area.code in known]
    picked = known_seat or [area for area in commons if area.code in chosen]
    picked += [area for area in assembly if area.code in chosen]
    results = [
        _resolve([Candidate(area=area, share=None, basis="picked")], chosen) for area in picked
    ]
    results = sorted((r for r in results if r), key=lambda result: result.parliament.position)
    _fill_seats(results, day)
    slugs = {result.parliament.slug for result in results}
    return LookupResult(
        postcode=postcode,
        parliaments=results,
        choices=[] if COMMONS in slugs else commons,
        assembly_choices=[] if NI_ASSEMBLY in slugs else assembly,
        assembly_listed=any(area.terms for area in assembly),
    )


def _picked_constituencies(chosen):
    """Westminster constituencies the supporter chose from the list (uncovered postcodes)."""
    if not chosen:
        return []
    areas = Area.objects.filter(
        parliament__slug=COMMONS, kind=Area.Kind.CONSTITUENCY, code__in=chosen
    ).select_related("parliament", "parent")
    return [Candidate(area=area, share=None, basis="picked") for area in areas]


def _constituency_choices():
    """Every Westminster constituency to choose from (Northern Ireland's: _northern_ireland)."""
    areas = Area.objects.filter(parliament__slug=COMMONS, kind=Area.Kind.CONSTITUENCY)
    return sorted(areas, key=lambda area: (area.nation, area.name))
