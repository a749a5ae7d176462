"""Dáil Éireann in import_representatives: 43 constituencies, 174 TDs, checked row by row."""

import csv

import pytest
from django.core.management import CommandError

from campaigns.models import Area, Representative
from campaigns.models.parliaments import DAIL
from tests.support.imports import LATER, run_import
from tests.support.seed_files import REAL_SEEDS, small_dataset, td, write_seed_files

pytestmark = pytest.mark.django_db


def dail_members():
    return Representative.objects.filter(area__parliament__slug=DAIL)


def test_tds_are_imported_with_their_constituency_counties_and_greeting(tmp_path):
    run_import(write_seed_files(tmp_path / "seeds"))

    louth = Area.objects.get(parliament__slug=DAIL, code="Louth")
    assert (louth.name, louth.seats, louth.county_list) == ("Louth", 5, ["Louth", "Meath"])
    mary_lou = dail_members().get(name="Mary Lou McDonald")
    assert mary_lou.area.name == "Dublin Central"
    assert mary_lou.salutation == "Dear Deputy McDonald"
    assert mary_lou.official_id == "Mary-Lou-McDonald.D.2024-11-29"
    assert mary_lou.member_page_url() == (
        "https://www.oireachtas.ie/en/members/member/Mary-Lou-McDonald.D.2024-11-29/"
    )
    assert dail_members().get(name="Daniel Ennis").in_office_from.isoformat() == "2026-05-25"


def test_the_shipped_file_holds_the_34th_dail_and_no_guessed_emails():
    with (REAL_SEEDS / "dail_members_2024.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    assert len(rows) == 174
    assert "email" not in rows[0]  # third-party, pattern-made addresses: not shipped


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["dail_members_2024.csv"][1].update(surname="Gannonn"),
            "dail_members_2024.csv, line 3: surname 'Gannonn' is not the end of the name",
        ),
        (
            lambda d: d["dail_members_2024.csv"][0].update(constituency_code="Dublin-Centre"),
            "dail_members_2024.csv, line 2: constituency_code Dublin-Centre is not in",
        ),
        (
            lambda d: d["dail_members_2024.csv"][4].update(constituency_name="Meath East"),
            "dail_members_2024.csv, line 6: Louth is 'Louth' in dail_constituencies_2023.csv",
        ),
        (
            lambda d: d["dail_members_2024.csv"].append(
                td("Fifth Member", "Member", "Independent", "Dublin-Central")
            ),
            "dail_members_2024.csv, line 8: Dublin Central elects 4; this is member 5",
        ),
        (
            lambda d: d["dail_members_2024.csv"][2].update(elected="29/11/2024"),
            "dail_members_2024.csv, line 4: elected '29/11/2024' is not a date",
        ),
        (
            lambda d: d["dail_constituencies_2023.csv"][1].update(seats="6"),
            "dail_constituencies_2023.csv, line 3: seats 6 is more than the 5",
        ),
        (
            lambda d: d["dail_constituencies_2023.csv"][2].update(oireachtas_code="Louth"),
            "dail_constituencies_2023.csv, line 4: constituency Louth is already given on line 3",
        ),
        (
            lambda d: d["dail_constituencies_2023.csv"][1].update(counties="Louth / "),
            "dail_constituencies_2023.csv, line 3: counties 'Louth /' has an empty name",
        ),
        (
            lambda d: d["dail_constituencies_2023.csv"][0].update(oireachtas_code="Dublin Central"),
            "oireachtas_code 'Dublin Central' is not an Oireachtas constituency code",
        ),
        (lambda d: d.pop("dail_members_2024.csv"), "dail_members_2024.csv: the file is missing"),
    ],
    ids=[
        "surname",
        "unknown-constituency",
        "wrong-constituency-name",
        "too-many-tds",
        "bad-date",
        "too-many-seats",
        "duplicate-constituency",
        "empty-county",
        "bad-code",
        "missing-file",
    ],
)
def test_a_bad_dail_row_names_the_file_and_line_and_nothing_is_imported(tmp_path, change, message):
    dataset = small_dataset()
    change(dataset)

    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run_import(write_seed_files(tmp_path / "seeds", dataset))

    assert message in str(error.value)
    assert not Representative.objects.exists()


def test_a_td_who_left_has_the_term_ended_and_kept_and_the_successor_added(tmp_path):
    run_import(write_seed_files(tmp_path / "first"))
    dataset = small_dataset()
    members = dataset["dail_members_2024.csv"]
    members[:] = [row for row in members if row["name"] != "Gary Gannon"]
    members.append(td("Seán Newcomer", "Newcomer", "Independent", "Dublin-Central", "2026-11-01"))

    output = run_import(write_seed_files(tmp_path / "later", dataset), "-v", "2", at=LATER)

    gannon = dail_members().get(name="Gary Gannon")
    assert gannon.in_office_to == LATER.date()
    assert "No longer a member" in gannon.end_reason
    assert dail_members().current(on=LATER.date()).filter(area__code="Dublin-Central").count() == 4
    assert "ended: Gary Gannon (Social Democrats), Dáil Éireann" in output


def test_an_address_and_greeting_staff_set_survive_the_next_import(tmp_path):
    seeds = write_seed_files(tmp_path / "seeds")
    run_import(seeds)
    dail_members().filter(name="Ged Nash").update(
        email="ged.nash@oireachtas.ie", addressed_as="Deputy Nash"
    )

    output = run_import(seeds, at=LATER)

    nash = dail_members().get(name="Ged Nash")
    assert nash.email == "ged.nash@oireachtas.ie"
    assert "representatives: 0 new, 0 updated, 19 unchanged" in output


def test_a_dry_run_of_the_dail_saves_nothing(tmp_path):
    output = run_import(write_seed_files(tmp_path / "seeds"), "--dry-run")

    assert "Dry run (nothing saved): areas: 10 new" in output
    assert not Area.objects.filter(parliament__slug=DAIL).exists()
