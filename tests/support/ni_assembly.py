"""Made-up MLAs for the Northern Ireland Assembly's tests.

No list of MLAs is shipped (none could be checked against the Assembly's own offline), so the
tests that need the Assembly's members write a fictional ``ni_assembly_members.csv`` beside the
shipped constituencies. Every name is plainly invented ("Example"), so none can be mistaken for
a real member.
"""

import csv
import shutil
from pathlib import Path

from tests.support.seed_files import REAL_SEEDS

MEMBER_COLUMNS = [
    "name", "title", "surname", "party", "constituency_code", "official_id", "email", "elected",
]  # fmt: skip
TITLES = ["Ms", "Mr", "Mrs", "Dr", "Mx"]
BELFAST_EAST = "N06000001"


def shipped_constituencies() -> list[dict[str, str]]:
    with (REAL_SEEDS / "ni_assembly_constituencies_2008.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fictional_mlas(*, emails: bool = False) -> list[dict[str, str]]:
    """Five invented members for each shipped constituency, one of each title."""
    rows = []
    for area, constituency in enumerate(shipped_constituencies(), start=1):
        for seat, title in enumerate(TITLES, start=1):
            surname = f"Example{area:02d}{seat}"
            rows.append(
                {
                    "name": f"Sam {surname}",
                    "title": title,
                    "surname": surname,
                    "party": f"Example Party {seat}",
                    "constituency_code": constituency["constituency_code"],
                    "official_id": str(90000 + 10 * area + seat),
                    "email": f"sam.{surname.lower()}@example.org" if emails else "",
                    "elected": "2022-05-05",
                }
            )
    return rows


def write_members(folder: Path, rows: list[dict[str, str]]) -> Path:
    with (folder / "ni_assembly_members.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MEMBER_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return folder


def seeds_with_fictional_mlas(folder: Path, **options) -> Path:
    """The shipped open data, as staff would have it once they add a checked members file."""
    shutil.copytree(REAL_SEEDS, folder)
    return write_members(folder, fictional_mlas(**options))
