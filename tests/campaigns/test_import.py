from datetime import date

import pytest
import time_machine
from django.core.management import CommandError

from campaigns.lookup.service import lookup_postcode
from campaigns.models import Area, PostcodeShare, Representative
from campaigns.models.parliaments import COMMONS, DAIL, HOLYROOD, NI_ASSEMBLY, SENEDD
from core.cache_version import content_version
from tests.support.imports import LATER, run_import
from tests.support.queries import REIMPORT_MAX_QUERIES
from tests.support.seed_files import copy_real_seeds, small_dataset, write_seed_files

pytestmark = pytest.mark.django_db


def table_state():
    """Everything the import writes, to compare before and after."""
    return (
        list(Area.objects.order_by("pk").values()),
        list(Representative.objects.order_by("pk").values()),
        list(PostcodeShare.objects.order_by("pk").values()),
    )


@pytest.fixture
def seeds(tmp_path):
    return write_seed_files(tmp_path / "seeds")


def test_the_files_become_areas_members_and_postcode_shares(seeds):
    output = run_import(seeds)

    assert Area.objects.filter(parliament__slug=COMMONS).count() == 3
    assert Area.objects.filter(parliament__slug=HOLYROOD, kind="region").get().seats == 7
    central = Area.objects.get(code="S16000182")
    assert central.parent.name == "Edinburgh and Lothians East"
    assert Area.objects.get(code="W09000053").seats == 6
    assert Representative.objects.current().count() == 3 + 4 + 6 + 6
    rachel = Representative.objects.get(name="Rachel Blake")
    assert (rachel.official_id, rachel.email) == ("5134", "rachel.blake.mp@parliament.uk")
    assert Representative.objects.get(name="Lorna Slater").in_office_from == date(2026, 5, 7)
    assert PostcodeShare.objects.count() == 8
    assert "representatives: 19 new, 0 updated, 0 unchanged" in output


def test_a_second_import_changes_nothing_and_only_reads(seeds, django_assert_max_num_queries):
    run_import(seeds)
    before = table_state()

    with django_assert_max_num_queries(REIMPORT_MAX_QUERIES):
        output = run_import(seeds, at=LATER)

    assert table_state() == before
    assert "areas: 0 new, 0 updated, 10 unchanged" in output
    assert "representatives: 0 new, 0 updated, 19 unchanged" in output
    assert "postcode shares: 0 new, 0 updated, 8 unchanged, 0 removed" in output


def test_a_dry_run_reports_what_it_would_do_and_saves_nothing(seeds):
    output = run_import(seeds, "--dry-run")

    assert "Dry run (nothing saved): representatives: 19 new" in output
    assert not Area.objects.exists()
    assert not Representative.objects.exists()
    assert not PostcodeShare.objects.exists()


def test_a_bad_row_names_the_file_line_and_problem_and_nothing_is_imported(tmp_path):
    dataset = small_dataset()
    dataset["uk_mps.csv"][1]["party"] = ""  # the second data row: line 3

    with pytest.raises(CommandError) as error:
        run_import(write_seed_files(tmp_path / "seeds", dataset))

    assert "uk_mps.csv, line 3: party is empty" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert not Area.objects.exists()
    assert not Representative.objects.exists()
    assert not PostcodeShare.objects.exists()


def test_a_bad_file_leaves_an_earlier_import_untouched(seeds, tmp_path):
    run_import(seeds)
    before = table_state()
    dataset = small_dataset()
    dataset["uk_mps.csv"][0]["mp_name"] = "Somebody Else"
    dataset["postcode_sector_westminster_2024.csv"][2]["share"] = "1.5"

    with pytest.raises(CommandError, match=r"postcode_sector_westminster_2024.csv, line 4: share"):
        run_import(write_seed_files(tmp_path / "bad", dataset), at=LATER)

    assert table_state() == before


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["msps.csv"].append(
                {**d["msps.csv"][0], "name": "Second Member", "constituency_code": "S16000182"}
            ),
            "msps.csv, line 6: Edinburgh Central elects 1; this is member 2",
        ),
        (
            lambda d: d["postcode_sector_senedd_2026.csv"][0].update(constituency_code="W09000001"),
            "postcode_sector_senedd_2026.csv, line 2: constituency_code W09000001 is not a known",
        ),
        (
            lambda d: d["uk_mps.csv"][0].update(constituency_code="X14001172"),
            "uk_mps.csv, line 2: constituency_code 'X14001172' is not a Westminster code",
        ),
        (
            lambda d: d["uk_mps.csv"][2].update(constituency_code="E14001172"),
            "uk_mps.csv, line 4: constituency E14001172 is already given on line 2",
        ),
        (
            lambda d: d["msps.csv"][2].update(list_position="first"),
            "msps.csv, line 4: list_position 'first' is not a whole number",
        ),
        (
            lambda d: d["senedd_members_2026.csv"][0].update(elected="7 May 2026"),
            "senedd_members_2026.csv, line 2: elected '7 May 2026' is not a date",
        ),
        (
            lambda d: d["postcode_district_westminster_2024.csv"][0].update(
                postcode_district="SW1A 0"
            ),
            "postcode_district_westminster_2024.csv, line 2: postcode_district 'SW1A 0' is not",
        ),
        (lambda d: d.pop("msps.csv"), "msps.csv: the file is missing"),
    ],
    ids=[
        "too-many-members",
        "unknown-area",
        "bad-code",
        "duplicate-seat",
        "bad-number",
        "bad-date",
        "bad-district",
        "missing-file",
    ],
)
def test_every_kind_of_bad_row_is_named(tmp_path, change, message):
    dataset = small_dataset()
    change(dataset)

    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run_import(write_seed_files(tmp_path / "seeds", dataset))

    assert message in str(error.value)
    assert not Representative.objects.exists()


def test_a_missing_column_is_named(tmp_path):
    folder = write_seed_files(tmp_path / "seeds")
    path = folder / "senedd_constituencies_2026.csv"
    path.write_text(path.read_text().replace("constituency_name", "name"))

    with pytest.raises(CommandError, match=r"senedd_constituencies_2026.csv, line 1: missing col"):
        run_import(folder)


def test_a_seat_that_changed_hands_ends_the_old_term_and_keeps_it(seeds, tmp_path):
    run_import(seeds)
    dataset = small_dataset()
    dataset["uk_mps.csv"][0].update(mp_name="Jane Newcomer", parliament_member_id="9999")

    output = run_import(write_seed_files(tmp_path / "new", dataset), "-v", "2", at=LATER)

    rachel = Representative.objects.get(name="Rachel Blake")
    assert rachel.in_office_to == LATER.date()
    assert "No longer a member" in rachel.end_reason
    assert list(Representative.objects.current().filter(area=rachel.area)) == [
        Representative.objects.get(name="Jane Newcomer")
    ]
    assert "terms ended (seat changed hands): 1" in output
    assert "ended: Rachel Blake (Labour), House of Commons" in output
    with time_machine.travel(LATER, tick=False):
        result = lookup_postcode(postcode="SW1A 0AA")
    assert [m.name for m in result.parliaments[0].constituency.members] == ["Jane Newcomer"]


def test_a_list_seat_that_changed_hands_is_recorded_on_the_region(seeds, tmp_path):
    run_import(seeds)
    dataset = small_dataset()
    dataset["msps.csv"][3].update(name="James Adams", elected="2026-06 (list vacancy)")

    run_import(write_seed_files(tmp_path / "new", dataset), at=LATER)

    region = Area.objects.get(code="S17000022")
    assert Representative.objects.get(name="Angela Ross").in_office_to == LATER.date()
    adams = Representative.objects.get(name="James Adams")
    assert adams.area == region
    assert adams.in_office_from is None  # the source knows the month, not the day


def test_a_member_whose_party_changed_is_updated_in_place(seeds, tmp_path):
    run_import(seeds)
    dataset = small_dataset()
    dataset["uk_mps.csv"][0].update(party="Independent", mp_name="Rachel Blake MP")

    output = run_import(write_seed_files(tmp_path / "new", dataset), at=LATER)

    member = Representative.objects.get(official_id="5134")
    assert (member.name, member.party, member.in_office_to) == (
        "Rachel Blake MP",
        "Independent",
        None,
    )
    assert "representatives: 0 new, 1 updated, 18 unchanged" in output


def test_a_member_staff_marked_out_of_office_stays_out_until_elected_again(seeds, tmp_path):
    run_import(seeds)
    Representative.objects.filter(area__parliament__slug=SENEDD).update(
        in_office_to=date(2026, 10, 1), end_reason="Dissolved."
    )

    output = run_import(seeds, at=LATER)

    assert not Representative.objects.current().filter(area__parliament__slug=SENEDD).exists()
    assert "left out of office by staff: 6" in output
    dataset = small_dataset()
    for row in dataset["senedd_members_2026.csv"]:
        row["elected"] = "2026-11-20"
    run_import(write_seed_files(tmp_path / "elected", dataset), at=LATER)
    current = Representative.objects.current(on=LATER.date()).filter(area__parliament__slug=SENEDD)
    assert current.count() == 6
    assert Representative.objects.filter(area__parliament__slug=SENEDD).count() == 12


def test_a_blank_email_in_the_file_keeps_an_address_staff_added(seeds):
    run_import(seeds)
    Representative.objects.filter(name="Lorna Slater").update(email="lorna@example.org")

    run_import(seeds, at=LATER)

    assert Representative.objects.get(name="Lorna Slater").email == "lorna@example.org"


def test_postcode_rows_that_changed_or_went_are_updated_and_removed(seeds, tmp_path):
    run_import(seeds)
    dataset = small_dataset()
    dataset["postcode_sector_holyrood_2026.csv"] = [share_row("EH99 1", "S16000182")]

    output = run_import(write_seed_files(tmp_path / "new", dataset), at=LATER)

    rows = PostcodeShare.objects.filter(prefix="EH99 1", area__parliament__slug=HOLYROOD)
    assert [(row.area.code, str(row.share)) for row in rows] == [("S16000182", "1.0000")]
    assert "postcode shares: 0 new, 1 updated, 6 unchanged, 1 removed" in output


def share_row(prefix, code):
    return {"postcode_sector": prefix, "constituency_code": code, "postcodes": 2, "share": "1"}


def test_the_real_open_data_imports_in_full_and_a_rerun_only_reads(
    tmp_path, django_assert_max_num_queries
):
    seeds = copy_real_seeds(tmp_path / "real")

    output = run_import(seeds)
    with django_assert_max_num_queries(REIMPORT_MAX_QUERIES):
        rerun = run_import(seeds, at=LATER)

    current = Representative.objects.current(on=LATER.date())
    assert current.filter(area__parliament__slug=COMMONS).count() == 650
    assert current.filter(area__parliament__slug=HOLYROOD).count() == 129
    assert current.filter(area__parliament__slug=SENEDD).count() == 96
    assert current.filter(area__parliament__slug=DAIL).count() == 174
    assert Area.objects.filter(parliament__slug=DAIL).count() == 43
    assert Area.objects.filter(parliament__slug=NI_ASSEMBLY).count() == 18  # no MLAs shipped
    assert PostcodeShare.objects.count() == 16006 + 6111 + 1557 + 725 + 292
    assert "postcode shares: 24691 new" in output
    assert "representatives: 0 new, 0 updated, 1049 unchanged" in rerun
    assert "postcode shares: 0 new, 0 updated, 24691 unchanged, 0 removed" in rerun


def test_an_import_changes_the_content_version_only_when_something_changed(seeds):
    before = content_version()
    run_import(seeds, "--dry-run")
    assert content_version() == before

    run_import(seeds)
    imported = content_version()
    assert imported != before  # campaign pages name members: none cached before is served

    run_import(seeds, at=LATER)  # the same files again
    assert content_version() == imported
