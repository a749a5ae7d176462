"""A small copy of seeds/representatives/ for import tests: same files and columns, few rows."""

import csv
import shutil
from pathlib import Path

from django.conf import settings

REAL_SEEDS = Path(settings.BASE_DIR) / "seeds" / "representatives"

COLUMNS = {
    "uk_mps.csv": [
        "constituency_code", "constituency_name", "country", "region_name", "mp_name",
        "mp_full_title", "party", "parliament_member_id", "twfy_person_id", "email",
        "election_result_2024", "local_authority_names", "local_authority_codes",
    ],
    "msps.csv": [
        "name", "party", "seat_type", "constituency_code", "constituency_name", "region_code",
        "region_name", "list_position", "votes", "majority", "elected", "status_note", "source",
    ],
    "scottish_parliament_constituencies_2026.csv": [
        "constituency_code", "constituency_name", "region_code", "region_name",
    ],
    "senedd_members_2026.csv": [
        "name", "ballot_name", "party", "constituency_code", "constituency_name",
        "list_position", "democracy_club_person_id", "elected", "status_note", "source",
    ],
    "senedd_constituencies_2026.csv": [
        "constituency_code", "constituency_name", "westminster_2024_codes",
        "westminster_2024_names",
    ],
    "dail_constituencies_2023.csv": [
        "constituency", "oireachtas_code", "seats", "local_authorities", "counties",
        "partial_local_authorities", "source",
    ],
    "dail_members_2024.csv": [
        "name", "surname", "party", "constituency_code", "constituency_name", "official_id",
        "elected", "source",
    ],
}  # fmt: skip
SECTOR = ["postcode_sector", "constituency_code", "postcodes", "share"]
DISTRICT = ["postcode_district", "constituency_code", "postcodes", "share"]
for _name in ("postcode_sector_westminster_2024.csv", "postcode_sector_holyrood_2026.csv"):
    COLUMNS[_name] = SECTOR
COLUMNS["postcode_sector_senedd_2026.csv"] = SECTOR
COLUMNS["postcode_district_westminster_2024.csv"] = DISTRICT
COLUMNS["postcode_district_senedd_2026.csv"] = DISTRICT


def mp(code, constituency, name, member_id, party="Labour"):
    email = f"{name.lower().replace(' ', '.')}.mp@parliament.uk"
    return {
        "constituency_code": code,
        "constituency_name": constituency,
        "mp_name": name,
        "party": party,
        "parliament_member_id": member_id,
        "email": email,
    }


def msp(name, party, seat_type, code="", region="S17000022", position=""):
    return {
        "name": name,
        "party": party,
        "seat_type": seat_type,
        "constituency_code": code,
        "region_code": region,
        "list_position": position,
        "elected": "2026-05-07",
    }


def ms(name, party, position, person_id):
    return {
        "name": name,
        "party": party,
        "constituency_code": "W09000053",
        "list_position": position,
        "democracy_club_person_id": person_id,
        "elected": "2026-05-07",
    }


def td(name, surname, party, code, elected="2024-11-29"):
    return {
        "name": name,
        "surname": surname,
        "party": party,
        "constituency_code": code,
        "constituency_name": code.replace("-", " "),
        "official_id": f"{name.replace(' ', '-')}.D.{elected}",
        "elected": elected,
    }


def dail_constituency(name, code, seats, counties):
    return {"constituency": name, "oireachtas_code": code, "seats": seats, "counties": counties}


def share(prefix, code, value="1.0000", postcodes=10, column="postcode_sector"):
    return {column: prefix, "constituency_code": code, "postcodes": postcodes, "share": value}


def small_dataset():
    """Three Westminster seats, two Holyrood constituencies in one region, one Senedd seat,
    three Dáil constituencies (one full, one part-filled, one empty)."""
    senedd = [("Plaid Cymru", 2), ("Welsh Labour", 2), ("Reform UK", 1), ("Wales Green Party", 1)]
    return {
        "uk_mps.csv": [
            mp("E14001172", "Cities of London and Westminster", "Rachel Blake", "5134"),
            mp("S14000078", "Edinburgh East and Musselburgh", "Chris Murray", "5245"),
            mp("W07000091", "Cardiff South and Penarth", "Stephen Doughty", "4264"),
        ],
        "scottish_parliament_constituencies_2026.csv": [
            {
                "constituency_code": code,
                "constituency_name": name,
                "region_code": "S17000022",
                "region_name": "Edinburgh and Lothians East",
            }
            for code, name in [
                ("S16000182", "Edinburgh Central"),
                ("S16000185", "Edinburgh North Western"),
            ]
        ],
        "msps.csv": [
            msp("Lorna Slater", "Scottish Green Party", "constituency", "S16000182"),
            msp("Ben Macpherson", "Scottish National Party", "constituency", "S16000185"),
            msp("Miles Briggs", "Scottish Conservative", "region", position="1"),
            msp("Angela Ross", "Reform UK", "region", position="1"),
        ],
        "senedd_constituencies_2026.csv": [
            {"constituency_code": "W09000053", "constituency_name": "Caerdydd Penarth"}
        ],
        "senedd_members_2026.csv": [
            ms(
                f"{party} member {position}",
                party,
                str(position),
                str(33000 + 10 * index + position),
            )
            for index, (party, seats) in enumerate(senedd)
            for position in range(1, seats + 1)
        ],
        "dail_constituencies_2023.csv": [
            dail_constituency("Dublin Central", "Dublin-Central", 4, "Dublin"),
            dail_constituency("Louth", "Louth", 5, "Louth / Meath"),
            dail_constituency("Meath East", "Meath-East", 4, "Meath"),
        ],
        "dail_members_2024.csv": [
            td("Daniel Ennis", "Ennis", "Social Democrats", "Dublin-Central", "2026-05-25"),
            td("Gary Gannon", "Gannon", "Social Democrats", "Dublin-Central"),
            td("Marie Sherlock", "Sherlock", "Labour Party", "Dublin-Central"),
            td("Mary Lou McDonald", "McDonald", "Sinn Féin", "Dublin-Central"),
            td("Ged Nash", "Nash", "Labour Party", "Louth"),
            td("Ruairí Ó Murchú", "Ó Murchú", "Sinn Féin", "Louth"),
        ],
        "postcode_sector_westminster_2024.csv": [
            share("CF99 1", "W07000091"),
            share("EH99 1", "S14000078"),
            share("SW1A 0", "E14001172"),
        ],
        "postcode_district_westminster_2024.csv": [
            share("SW1A", "E14001172", column="postcode_district"),
        ],
        "postcode_sector_holyrood_2026.csv": [
            share("EH99 1", "S16000182", "0.5000", 1),
            share("EH99 1", "S16000185", "0.5000", 1),
        ],
        "postcode_sector_senedd_2026.csv": [share("CF99 1", "W09000053")],
        "postcode_district_senedd_2026.csv": [
            share("CF99", "W09000053", column="postcode_district")
        ],
    }


def write_seed_files(folder: Path, dataset=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (dataset or small_dataset()).items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS[name], restval="")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def copy_real_seeds(folder: Path) -> Path:
    shutil.copytree(REAL_SEEDS, folder)
    return folder


def copy_demo_content(folder: Path) -> Path:
    """A copy of the demo content and the World Watch List that a test may break."""
    seeds = Path(settings.BASE_DIR) / "seeds"
    shutil.copytree(seeds / "content", folder / "content")
    shutil.copy(seeds / "world_watch_list.csv", folder)
    return folder
