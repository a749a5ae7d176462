"""core.seeds, the one toolkit of load_seeds (JSON and the World Watch List) and
import_representatives (the CSV open data): each bad value named by file and row."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, Representative
from core.seeds.reading import Problems, SeedError, Where, day, moment
from core.seeds.rows import Row, once, read_csv
from stories.models import Country, WatchListEntry
from tests.support.seed_files import copy_demo_content, write_seed_files


def read(tmp_path, text, columns=("a", "b")):
    path = tmp_path / "table.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    problems = Problems()
    return path, list(read_csv(path, columns, problems)), problems


def test_each_row_comes_with_its_file_and_line(tmp_path):
    path, rows, problems = read(tmp_path, 'a,b,c\n1,"two\nlines",x\n\n3,4,y\n')

    assert rows == [
        (Where(path, "line 3"), {"a": "1", "b": "two\nlines", "c": "x"}),
        (Where(path, "line 5"), {"a": "3", "b": "4", "c": "y"}),
    ]
    assert problems == []


def test_a_missing_column_is_named_on_the_header_line(tmp_path):
    path, rows, problems = read(tmp_path, "a,c\n1,2\n", columns=("a", "b", "d"))

    assert rows == []
    assert problems == [f"{path}, line 1: missing column(s): b, d"]


def test_a_line_with_too_many_or_too_few_fields_is_named_and_left_out(tmp_path):
    path, rows, problems = read(tmp_path, "a,b\n1\n1,2,3\n4,5\n")

    assert rows == [(Where(path, "line 4"), {"a": "4", "b": "5"})]
    assert problems == [
        f"{path}, line 2: fewer fields than the header has",
        f"{path}, line 3: more fields than the header has",
    ]


def test_a_missing_file_and_one_not_utf8_are_named(tmp_path):
    problems = Problems()
    assert list(read_csv(tmp_path / "gone.csv", ("a",), problems)) == []
    path, rows, more = read(tmp_path, b"a,b\n\xff,2\n")

    assert problems == [f"{tmp_path / 'gone.csv'}: the file is missing"]
    assert rows == []
    assert len(more) == 1 and more[0].startswith(f"{path}, line ")
    assert more[0].endswith(": the file is not UTF-8 text")


def test_problems_are_refused_all_at_once_the_first_25_listed():
    problems = Problems()
    problems.check()  # none: nothing to refuse
    for line in range(2, 32):
        problems.add(Where("t.csv", f"line {line}"), "party is empty")

    with pytest.raises(SeedError) as error:
        problems.check()

    lines = str(error.value).splitlines()
    assert lines[0] == "t.csv, line 2: party is empty"
    assert lines[24] == "t.csv, line 26: party is empty"
    assert lines[25:] == ["... and 5 more."]


def check_row(**data):
    problems = Problems()
    return Row(Where("t.csv", "line 7"), data, problems), problems


@pytest.mark.parametrize(
    "check, value, problem",
    [
        (lambda row: row.text("v"), "  ", "v is empty"),
        (lambda row: row.integer("v"), "high", "v 'high' is not a whole number"),
        (lambda row: row.integer("v", minimum=1), "0", "v '0' is not a whole number of at least 1"),
        (lambda row: row.day("v"), "7 May 2026", "v '7 May 2026' is not a date (YYYY-MM-DD)"),
        (lambda row: row.matching("v", "[A-Z]{2}", "two letters"), "GBR", "v 'GBR' is not two"),
    ],
    ids=["empty", "not-a-number", "below-the-minimum", "not-a-date", "no-match"],
)
def test_a_bad_value_is_recorded_against_its_row(check, value, problem):
    row, problems = check_row(v=value)

    check(row)

    assert not row.ok
    assert len(problems) == 1 and problems[0].startswith(f"t.csv, line 7: {problem}")


def test_good_values_are_read():
    row, problems = check_row(n=" 12 ", d="2026-05-07", t=" Text ", blank="")

    values = (row.integer("n"), row.day("d"), row.text("t"), row.integer("blank", required=False))

    assert values == (12, date(2026, 5, 7), "Text", None)
    assert row.ok and problems == []


def test_a_key_given_again_names_the_line_that_gave_it_first():
    problems, repeated = Problems(), once()
    for line in (2, 3, 4):
        repeated(Row(Where("t.csv", f"line {line}"), {}, problems), "E14", "constituency E14")

    assert problems == [
        "t.csv, line 3: constituency E14 is already given on line 2",
        "t.csv, line 4: constituency E14 is already given on line 2",
    ]


def test_dates_and_times_read_the_same_in_a_json_entry():
    where = Where("campaigns.json", "campaign 'x'")

    assert moment(where, "closes_at", "2026-12-31T23:59:00+00:00").utcoffset() is not None
    with pytest.raises(SeedError, match=r"campaign 'x': date 'autumn' is not a date \(YYYY"):
        day(where, "date", "autumn")
    with pytest.raises(SeedError) as error:
        moment(where, "closes_at", "2026-12-31T23:59:00")
    assert str(error.value) == (
        "campaigns.json, campaign 'x': closes_at must be a time with a UTC offset, such as "
        "2023-10-20T09:00:00+01:00, not '2026-12-31T23:59:00'"
    )


@pytest.fixture
def seeds(tmp_path):
    return copy_demo_content(tmp_path / "seeds")


@pytest.mark.django_db
def test_load_seeds_names_every_bad_line_of_the_world_watch_list(seeds):
    path = seeds / "world_watch_list.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",extreme,", ",Severe,", 1)
    lines[4] += ",extra"
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError) as error:
        call_command("load_seeds", "--path", str(seeds), stdout=StringIO())

    assert str(error.value).splitlines() == [
        f"Nothing was loaded. {path}, line 3: level 'Severe' is not one of: extreme, very high, "
        "high",
        f"{path}, line 5: more fields than the header has",
    ]
    assert not Country.objects.exists() and not WatchListEntry.objects.exists()


@pytest.mark.django_db
def test_load_seeds_names_a_closing_time_without_an_offset(seeds):
    path = seeds / "content" / "campaigns.json"
    campaigns = json.loads(path.read_text())
    campaigns[0]["closes_at"] = "2026-12-31T23:59:00"
    path.write_text(json.dumps(campaigns))

    with pytest.raises(CommandError, match="closes_at must be a time with a UTC offset") as error:
        call_command("load_seeds", "--path", str(seeds), stdout=StringIO())

    assert f"campaign '{campaigns[0]['slug']}'" in str(error.value)
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_import_representatives_refuses_a_short_row(tmp_path):
    folder = write_seed_files(tmp_path / "seeds")
    with (folder / "uk_mps.csv").open("a") as handle:
        handle.write("E14001173,Somewhere\n")

    with pytest.raises(CommandError) as error:
        call_command("import_representatives", source=folder, stdout=StringIO())

    assert str(error.value).splitlines() == [
        "Nothing was imported. Fix these rows first:",
        f"{folder / 'uk_mps.csv'}, line 5: fewer fields than the header has",
    ]
    assert not Representative.objects.exists()
