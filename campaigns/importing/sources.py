"""The open-data files in ``seeds/representatives/``, read and checked into plain rows.

Nothing here touches the database: every file is read and every row checked first, so a bad
file stops the import before anything is saved.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from campaigns.models.parliaments import COMMONS, COUNTY_SEPARATOR, DAIL, HOLYROOD, SENEDD
from core.seeds.reading import Problems, Where
from core.seeds.rows import once, read_rows

MPS = "uk_mps.csv"
MSPS = "msps.csv"
HOLYROOD_AREAS = "scottish_parliament_constituencies_2026.csv"
SENEDD_MEMBERS = "senedd_members_2026.csv"
SENEDD_AREAS = "senedd_constituencies_2026.csv"
DAIL_MEMBERS = "dail_members_2024.csv"
DAIL_AREAS = "dail_constituencies_2023.csv"
# (file, parliament, granularity, the column holding the sector or district)
POSTCODE_FILES = [
    ("postcode_sector_westminster_2024.csv", COMMONS, "sector", "postcode_sector"),
    ("postcode_district_westminster_2024.csv", COMMONS, "district", "postcode_district"),
    ("postcode_sector_holyrood_2026.csv", HOLYROOD, "sector", "postcode_sector"),
    ("postcode_sector_senedd_2026.csv", SENEDD, "sector", "postcode_sector"),
    ("postcode_district_senedd_2026.csv", SENEDD, "district", "postcode_district"),
]

NO_EMAIL = "No email found"  # uk_mps.csv's placeholder for a member without a published address
REGION_SEATS = 7  # each Scottish Parliament region elects seven list members
SENEDD_SEATS = 6  # each 2026 Senedd constituency elects six members from closed lists
DAIL_SEATS = (3, 5)  # the fewest and most TDs a constituency elects (Electoral Act 1997, s. 6)
# The Oireachtas' own constituency code: the name with hyphens, e.g. Dublin-Bay-North.
OIREACHTAS_CODE = r"[^\W\d_][\w'-]{0,19}"
OIREACHTAS_CODE_DESCRIPTION = "an Oireachtas constituency code, e.g. Dublin-Central"
DISTRICT = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
PREFIX_PATTERNS = {"sector": DISTRICT + r" [0-9]", "district": DISTRICT}
GSS = {
    "westminster": (r"(E14|S14|W07|N05)[0-9]{6}", "a Westminster code (E14, S14, W07, N05)"),
    "holyrood": (r"S16[0-9]{6}", "a Scottish Parliament constituency code (S16...)"),
    "region": (r"S17[0-9]{6}", "a Scottish Parliament region code (S17...)"),
    "senedd": (r"W09[0-9]{6}", "a Senedd constituency code (W09...)"),
}


@dataclass(frozen=True)
class AreaRow:
    parliament: str
    kind: str
    code: str
    name: str
    seats: int
    parent_code: str = ""
    counties: str = ""  # Dáil constituencies: the counties they lie in, " / "-separated


@dataclass(frozen=True)
class MemberRow:
    parliament: str
    area_code: str
    name: str
    party: str
    email: str = ""
    official_id: str = ""
    addressed_as: str = ""  # the greeting name: "Deputy Bacik"
    list_position: int | None = None
    elected: date | None = None
    where: Where | None = None  # where the row came from, for messages


@dataclass(frozen=True)
class ShareRow:
    parliament: str
    granularity: str
    prefix: str
    area_code: str
    postcodes: int
    share: Decimal


@dataclass
class Dataset:
    areas: list[AreaRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    shares: list[ShareRow] = field(default_factory=list)
    # Parliaments whose members file was read: one with no rows has no members (dissolved).
    described: set[str] = field(default_factory=set)

    @property
    def parliaments(self):
        """The parliaments whose membership these files describe in full."""
        return sorted(self.described | {member.parliament for member in self.members})


def read_dataset(folder: Path) -> Dataset:
    """Every file read and checked; raises a SeedError listing every problem found."""
    problems = Problems()
    data = Dataset()
    _read_commons(folder, data, problems)
    _read_holyrood(folder, data, problems)
    _read_senedd(folder, data, problems)
    _read_dail(folder, data, problems)
    for name, parliament, granularity, column in POSTCODE_FILES:
        _read_shares(folder, name, (parliament, granularity, column), data, problems)
    problems.check()
    return data


def _code(row, column, kind):
    pattern, description = GSS[kind]
    return row.matching(column, pattern, description)


def _fraction(row, column):
    """A decimal above 0 and at most 1, with at most four decimal places."""
    value = row.text(column)
    if not value:
        return None
    try:
        number = Decimal(value)
        valid = number.is_finite() and 0 < number <= 1 and number.as_tuple().exponent >= -4
    except InvalidOperation:
        valid = False
    if not valid:
        row.fail(f"{column} {value!r} is not a fraction between 0 and 1 (4 places at most)")
        return None
    return number


def _elected(row):
    """The day elected. A month alone (``2026-06``, perhaps with a note in brackets) is read
    as unknown: the source knows the month, not the day."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}( \(.*\))?", row.text("elected", required=False)):
        return None
    return row.day("elected")


def email(row, column):
    value = row.text(column, required=False)
    try:
        validate_email(value) if value else None
    except ValidationError:
        row.fail(f"{column} {value!r} is not an email address")
        return ""
    return value


def _read_commons(folder, data, problems):
    data.described.add(COMMONS)
    columns = ["constituency_code", "constituency_name", "mp_name", "party"]
    columns += ["parliament_member_id", "email"]
    repeated = once()
    for row in read_rows(folder / MPS, columns, problems):
        code = _code(row, "constituency_code", "westminster")
        name = row.text("constituency_name")
        member = {
            "name": row.text("mp_name"),
            "party": row.text("party"),
            "official_id": row.matching("parliament_member_id", r"[0-9]+", "a number"),
            "email": "" if row.text("email", required=False) == NO_EMAIL else email(row, "email"),
        }
        repeated(row, code, f"constituency {code}")
        if row.ok:
            data.areas.append(AreaRow(COMMONS, "constituency", code, name, seats=1))
            data.members.append(MemberRow(COMMONS, code, where=row.where, **member))


def _read_holyrood(folder, data, problems):
    data.described.add(HOLYROOD)
    regions, constituencies = _read_holyrood_areas(folder, data, problems)
    columns = ["name", "party", "seat_type", "constituency_code", "region_code"]
    columns += ["list_position", "elected"]
    for row in read_rows(folder / MSPS, columns, problems):
        seat_type = row.matching("seat_type", "constituency|region", "constituency or region")
        member = {"name": row.text("name"), "party": row.text("party")}
        member["elected"] = _elected(row)
        if seat_type == "region":
            area_code = _code(row, "region_code", "region")
            member["list_position"] = row.integer("list_position", minimum=1)
            known = regions
        else:
            area_code = _code(row, "constituency_code", "holyrood")
            known = constituencies
        if area_code and area_code not in known:
            row.fail(f"{area_code} is not in {HOLYROOD_AREAS}")
        if row.ok:
            member.update(where=row.where)
            data.members.append(MemberRow(HOLYROOD, area_code, **member))
    check_seats(data, HOLYROOD, problems)


def _read_holyrood_areas(folder, data, problems):
    columns = ["constituency_code", "constituency_name", "region_code", "region_name"]
    regions, constituencies = {}, set()
    repeated = once()
    for row in read_rows(folder / HOLYROOD_AREAS, columns, problems):
        code = _code(row, "constituency_code", "holyrood")
        name = row.text("constituency_name")
        region_code = _code(row, "region_code", "region")
        region_name = row.text("region_name")
        repeated(row, code, f"constituency {code}")
        if region_code in regions and regions[region_code] != region_name:
            row.fail(f"region {region_code} is named {regions[region_code]!r} on an earlier line")
        if row.ok:
            regions[region_code] = region_name
            constituencies.add(code)
            area = AreaRow(HOLYROOD, "constituency", code, name, 1, parent_code=region_code)
            data.areas.append(area)
    for code, name in regions.items():
        data.areas.append(AreaRow(HOLYROOD, "region", code, name, seats=REGION_SEATS))
    return regions, constituencies


def _read_senedd(folder, data, problems):
    data.described.add(SENEDD)
    constituencies = set()
    repeated = once()
    for row in read_rows(
        folder / SENEDD_AREAS, ["constituency_code", "constituency_name"], problems
    ):
        code = _code(row, "constituency_code", "senedd")
        name = row.text("constituency_name")
        repeated(row, code, f"constituency {code}")
        if row.ok:
            constituencies.add(code)
            data.areas.append(AreaRow(SENEDD, "constituency", code, name, seats=SENEDD_SEATS))
    columns = ["name", "party", "constituency_code", "list_position"]
    columns += ["democracy_club_person_id", "elected"]
    for row in read_rows(folder / SENEDD_MEMBERS, columns, problems):
        code = _code(row, "constituency_code", "senedd")
        member = {
            "name": row.text("name"),
            "party": row.text("party"),
            "list_position": row.integer("list_position", minimum=1),
            "official_id": row.matching(
                "democracy_club_person_id", r"[0-9]+", "a number", required=False
            ),
            "elected": _elected(row),
        }
        if code and code not in constituencies:
            row.fail(f"{code} is not in {SENEDD_AREAS}")
        if row.ok:
            member.update(where=row.where)
            data.members.append(MemberRow(SENEDD, code, **member))
    check_seats(data, SENEDD, problems)


def _read_dail(folder, data, problems):
    constituencies = _read_dail_areas(folder, data, problems)
    columns = ["name", "surname", "party", "constituency_code", "constituency_name"]
    columns += ["official_id", "elected"]
    for row in read_rows(folder / DAIL_MEMBERS, columns, problems):
        code = row.text("constituency_code")
        name, surname = row.text("name"), row.text("surname")
        member = {
            "name": name,
            "party": row.text("party"),
            "official_id": row.text("official_id"),
            "elected": row.day("elected"),
            "addressed_as": f"Deputy {surname}",  # the style TDs are named by in the Dáil
        }
        if surname and not name.endswith(f" {surname}"):
            row.fail(f"surname {surname!r} is not the end of the name {name!r}")
        if code and code not in constituencies:
            row.fail(f"constituency_code {code} is not in {DAIL_AREAS}")
        elif code and row.text("constituency_name") not in ("", constituencies[code]):
            named = row.text("constituency_name")
            row.fail(f"{code} is {constituencies[code]!r} in {DAIL_AREAS}, not {named!r}")
        if row.ok:
            data.members.append(MemberRow(DAIL, code, where=row.where, **member))
    check_seats(data, DAIL, problems)


def _read_dail_areas(folder, data, problems):
    """The constituencies, with their seats and counties; returns their names by code."""
    fewest, most = DAIL_SEATS
    constituencies = {}
    repeated = once()
    columns = ["constituency", "oireachtas_code", "seats", "counties"]
    for row in read_rows(folder / DAIL_AREAS, columns, problems):
        code = row.matching("oireachtas_code", OIREACHTAS_CODE, OIREACHTAS_CODE_DESCRIPTION)
        name = row.text("constituency")
        seats = row.integer("seats", minimum=fewest)
        if seats and seats > most:
            row.fail(f"seats {seats} is more than the {most} a Dáil constituency can elect")
        counties = [county.strip() for county in row.text("counties").split("/")]
        if not all(counties):
            row.fail(f"counties {row.text('counties')!r} has an empty name between the slashes")
        repeated(row, code, f"constituency {code}")
        if row.ok:
            constituencies[code] = name
            joined = COUNTY_SEPARATOR.join(counties)
            data.areas.append(AreaRow(DAIL, "constituency", code, name, seats, counties=joined))
    return constituencies


def check_seats(data, parliament, problems):
    """No area gets more members than it has seats, or one member twice."""
    seats = {area.code: area for area in data.areas if area.parliament == parliament}
    counts = Counter()
    seen = defaultdict(set)
    for member in data.members:
        if member.parliament != parliament or member.area_code not in seats:
            continue
        area = seats[member.area_code]
        counts[area.code] += 1
        if counts[area.code] > area.seats:
            problem = f"{area.name} elects {area.seats}; this is member {counts[area.code]}"
            problems.add(member.where, problem)
        keys = {("name", member.name.casefold()), ("id", member.official_id or member.name)}
        if keys & seen[area.code]:
            problems.add(member.where, f"{member.name} is listed twice for {area.name}")
        seen[area.code] |= keys


def _read_shares(folder, name, kind, data, problems):
    parliament, granularity, column = kind
    known = {area.code for area in data.areas if area.parliament == parliament}
    pattern = PREFIX_PATTERNS[granularity]
    repeated = once()
    for row in read_rows(
        folder / name, [column, "constituency_code", "postcodes", "share"], problems
    ):
        prefix = row.matching(column, pattern, f"a postcode {granularity}")
        code = row.text("constituency_code")
        postcodes = row.integer("postcodes", minimum=1)
        share = _fraction(row, "share")
        if code and code not in known:
            row.fail(f"constituency_code {code} is not a known {parliament} constituency")
        repeated(row, (prefix, code), f"{prefix} with {code}")
        if row.ok:
            data.shares.append(ShareRow(parliament, granularity, prefix, code, postcodes, share))
