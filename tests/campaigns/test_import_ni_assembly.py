"""The NI Assembly in import_representatives: boundaries chosen by date, MLAs checked by row.

The members here are made up: no list of MLAs could be checked against the Assembly's own,
so none is shipped, and the import reads one only where staff add it.
"""

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError

from campaigns.models import Area, Representative
from campaigns.models.parliaments import NI_ASSEMBLY
from tests.support.imports import FIRST_IMPORT, run_import
from tests.support.seed_files import REAL_SEEDS, write_seed_files

pytestmark = pytest.mark.django_db

BELFAST = ZoneInfo("Europe/Belfast")
AFTER_THE_ELECTION = datetime(2027, 6, 1, 9, 0, tzinfo=BELFAST)
BOUNDARIES = [
    {
        "constituencies_file": "ni_assembly_constituencies_2008.csv",
        "boundaries": "Westminster 2008 order",
        "in_force_from": "2011-05-05",
    },
    {
        "constituencies_file": "ni_assembly_constituencies_2024.csv",
        "boundaries": "Westminster 2024 order",
        "in_force_from": "2027-05-06",  # the next Assembly election, as staff would set it
    },
]
AREAS_2008 = [("N06000001", "Belfast East"), ("N06000002", "Belfast North")]
AREAS_2024 = [("N05000001", "Belfast East"), ("N05000002", "Belfast North")]


def mla(number, code="N06000002", title="Ms", **overrides):
    row = {
        "name": f"Ann Example{number}",
        "title": title,
        "surname": f"Example{number}",
        "party": "Independent",
        "constituency_code": code,
        "official_id": str(9000 + number),
        "email": f"ann.example{number}@example.org",
        "elected": "2022-05-05",
    }
    return {**row, **overrides}


def write(folder, name, rows):
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def ni_files(folder, members=None, boundaries=BOUNDARIES):
    write_seed_files(folder)
    write(folder, "ni_assembly_boundaries.csv", boundaries)
    for name, areas in [("2008", AREAS_2008), ("2024", AREAS_2024)]:
        rows = [{"constituency_code": c, "constituency": n, "mlas": 5} for c, n in areas]
        write(folder, f"ni_assembly_constituencies_{name}.csv", rows)
    members = [mla(n) for n in range(1, 6)] if members is None else members
    if members:
        write(folder, "ni_assembly_members.csv", members)
    return folder


def mlas():
    return Representative.objects.filter(area__parliament__slug=NI_ASSEMBLY)


def test_the_boundaries_in_force_today_and_their_five_mlas_are_imported(tmp_path):
    run_import(ni_files(tmp_path / "seeds"))

    areas = Area.objects.filter(parliament__slug=NI_ASSEMBLY)
    assert sorted(areas.values_list("code", flat=True)) == ["N06000001", "N06000002"]
    assert mlas().current().count() == 5
    first = mlas().get(name="Ann Example1")
    assert first.salutation == "Dear Ms Example1 MLA"
    assert first.email == "ann.example1@example.org"


def test_from_the_next_election_the_new_boundaries_apply_and_old_terms_end(tmp_path):
    run_import(ni_files(tmp_path / "before"), at=FIRST_IMPORT)
    elected = [mla(n, code="N05000002", elected="2027-05-06") for n in range(6, 11)]

    run_import(ni_files(tmp_path / "after", members=elected), at=AFTER_THE_ELECTION)

    current = mlas().current(on=AFTER_THE_ELECTION.date())
    assert {m.area.code for m in current} == {"N05000002"}
    assert current.count() == 5
    assert mlas().filter(area__code="N06000002", in_office_to__isnull=False).count() == 5


def test_a_co_opted_member_replaces_one_who_left_and_the_old_term_is_kept(tmp_path):
    run_import(ni_files(tmp_path / "first"))
    members = [mla(n) for n in range(1, 5)] + [mla(6, elected="2026-09-01", title="Mr")]

    output = run_import(
        ni_files(tmp_path / "later", members=members),
        "-v",
        "2",
        at=AFTER_THE_ELECTION.replace(year=2026, month=10),
    )

    left = mlas().get(name="Ann Example5")
    assert left.in_office_to is not None
    assert mlas().get(name="Ann Example6").salutation == "Dear Mr Example6 MLA"
    assert "ended: Ann Example5 (Independent), Northern Ireland Assembly" in output


@pytest.mark.parametrize(
    "members, boundaries, message",
    [
        (
            [mla(n) for n in range(1, 7)],
            BOUNDARIES,
            "ni_assembly_members.csv, line 7: Belfast North elects 5; this is member 6",
        ),
        (
            [mla(1, code="N05000002")],
            BOUNDARIES,
            "ni_assembly_members.csv, line 2: constituency_code N05000002 is not in "
            "ni_assembly_constituencies_2008.csv, the boundaries in force",
        ),
        (
            [mla(1, title="Cllr")],
            BOUNDARIES,
            "ni_assembly_members.csv, line 2: title 'Cllr' is not a title",
        ),
        (
            [mla(1, surname="Other")],
            BOUNDARIES,
            "ni_assembly_members.csv, line 2: surname 'Other' is not the end of the name",
        ),
        (
            [mla(1, email="not an address")],
            BOUNDARIES,
            "ni_assembly_members.csv, line 2: email 'not an address' is not an email address",
        ),
        (
            [mla(1)],
            [{**BOUNDARIES[0], "in_force_from": "2030-01-01"}],
            "ni_assembly_boundaries.csv: no boundaries are in force on 2026-07-01",
        ),
        (
            [mla(1)],
            [{**BOUNDARIES[0], "constituencies_file": "ni_assembly_constituencies_1996.csv"}],
            "ni_assembly_boundaries.csv, line 2: ni_assembly_constituencies_1996.csv is not in",
        ),
    ],
    ids=["sixth-mla", "wrong-boundaries", "title", "surname", "email", "none-in-force", "no-file"],
)
def test_a_bad_ni_row_names_the_file_and_line_and_nothing_is_imported(
    tmp_path, members, boundaries, message
):
    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run_import(ni_files(tmp_path / "seeds", members=members, boundaries=boundaries))

    assert message in str(error.value)
    assert not Representative.objects.exists()


def test_without_a_members_file_the_constituencies_load_and_no_mla_is_touched(tmp_path):
    run_import(ni_files(tmp_path / "first"))

    run_import(
        ni_files(tmp_path / "later", members=[]), at=AFTER_THE_ELECTION.replace(year=2026, month=10)
    )

    assert mlas().filter(in_office_to__isnull=True).count() == 5


def test_no_unverified_mla_list_is_shipped():
    assert not (REAL_SEEDS / "ni_assembly_members.csv").exists()
