"""The Northern Ireland Assembly's files: read where they are present, checked like the rest.

The Assembly's constituencies are the Westminster ones (Northern Ireland Act 1998, s. 33), but
a new order takes effect for the Assembly only at its next general election: the 2008 order's
18 (N06 codes) for the Assembly elected in 2022, the 2024 order's 18 (N05 codes) from the
election due by May 2027.
Which set is in force is data: ``ni_assembly_boundaries.csv`` names each set's file and the
day it takes effect, so the switch is a new file and row, not new code.

No members file is shipped: none could be checked row by row against the Assembly's own list
offline. Staff add one (``ni_assembly_members.csv``) when they have it.
"""

from datetime import date
from pathlib import Path

from campaigns.importing.sources import AreaRow, Dataset, MemberRow, check_seats, email
from campaigns.models.parliaments import NI_ASSEMBLY
from core.seeds.reading import Problems, Where
from core.seeds.rows import once, read_rows

BOUNDARIES = "ni_assembly_boundaries.csv"
MEMBERS = "ni_assembly_members.csv"
SEATS = 5  # each Assembly constituency elects five MLAs (Northern Ireland Act 1998, s. 33)
CONSTITUENCIES_FILE = r"ni_assembly_constituencies_[0-9]{4}\.csv"
AREA_CODE = (r"N0[56][0-9]{6}", "a Northern Ireland constituency code (N05... or N06...)")
TITLES = r"Mr|Mrs|Ms|Miss|Dr|Mx|Sir|Dame|Lord|Lady|Rev"


def read_ni_assembly(folder: Path, data: Dataset, *, today: date) -> None:
    """Add the Assembly's areas and members to ``data``; nothing if the folder has no
    boundaries file. Raises a SeedError naming every bad row."""
    if not (folder / BOUNDARIES).exists():
        return
    problems = Problems()
    in_force = _boundaries_in_force(folder, problems, today)
    if in_force:
        codes = _read_constituencies(folder / in_force, data, problems)
        if (folder / MEMBERS).exists():
            _read_members(folder / MEMBERS, codes, data, problems, in_force)
    problems.check()
    check_seats(data, NI_ASSEMBLY, problems)
    problems.check()


def _boundaries_in_force(folder, problems, today):
    """The constituencies file of the latest set whose day has come."""
    sets = []
    columns = ["constituencies_file", "boundaries", "in_force_from"]
    for row in read_rows(folder / BOUNDARIES, columns, problems):
        name = row.matching("constituencies_file", CONSTITUENCIES_FILE, "a constituencies file")
        start = row.day("in_force_from", required=True)
        row.text("boundaries")
        if name and not (folder / name).exists():
            row.fail(f"{name} is not in the folder")
        if row.ok:
            sets.append((start, name))
    started = sorted(item for item in sets if item[0] <= today)
    if sets and not started:
        problems.add(Where(folder / BOUNDARIES), f"no boundaries are in force on {today}")
    return started[-1][1] if started else None


def _read_constituencies(path, data, problems):
    codes = set()
    repeated = once()
    for row in read_rows(path, ["constituency_code", "constituency", "mlas"], problems):
        code = row.matching("constituency_code", *AREA_CODE)
        name = row.text("constituency")
        seats = row.integer("mlas", minimum=1)
        if seats and seats != SEATS:
            row.fail(f"mlas {seats}: every Assembly constituency elects {SEATS}")
        repeated(row, code, f"constituency {code}")
        if row.ok:
            codes.add(code)
            data.areas.append(AreaRow(NI_ASSEMBLY, "constituency", code, name, seats))
    return codes


def _read_members(path, codes, data, problems, in_force):
    columns = ["name", "title", "surname", "party", "constituency_code", "official_id"]
    columns += ["email", "elected"]
    for row in read_rows(path, columns, problems):
        name, surname = row.text("name"), row.text("surname")
        title = row.matching("title", TITLES, "a title such as Ms, Mr or Dr", required=False)
        code = row.matching("constituency_code", *AREA_CODE)
        member = {
            "name": name,
            "party": row.text("party"),
            "official_id": row.matching("official_id", r"[0-9]+", "a number", required=False),
            "email": email(row, "email"),
            "elected": row.day("elected"),  # a co-opted member's first day
            "addressed_as": f"{title} {surname} MLA" if title else "",
        }
        if surname and not name.endswith(surname):
            row.fail(f"surname {surname!r} is not the end of the name {name!r}")
        if code and code not in codes:
            row.fail(f"constituency_code {code} is not in {in_force}, the boundaries in force")
        if row.ok:
            data.members.append(MemberRow(NI_ASSEMBLY, code, where=row.where, **member))
