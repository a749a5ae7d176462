"""Members' support for an action, imported from a CSV of the parliament's data."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from campaigns.models import ActionSupport
from tests.support.admin import admin_url, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_motion
from tests.support.html import content, element_text, form_fields, select_one, text

pytestmark = pytest.mark.django_db

BY_ID = (
    "Member ID,Name,Party,Constituency,Date signed\n"
    "4001,Rachel Blake,Labour,Cities of London and Westminster,2026-03-10\n"
    "4002,Alistair Carmichael,Liberal Democrat,Orkney and Shetland,11/03/2026\n"
    "9999,Someone Else,Independent,Nowhere,2026-03-12T09:30:00\n"
)
BY_NAME = (
    "name,constituency,date,kind\nRachel Blake,cities of london and westminster,2026-04-01,spoke\n"
)


@pytest.fixture
def members():
    blake = make_member(
        make_area(name="Cities of London and Westminster", code="E14001172"),
        name="Rachel Blake",
        official_id="4001",
    )
    carmichael = make_member(
        make_area(name="Orkney and Shetland", code="S14000051"),
        name="Alistair Carmichael",
        official_id="4002",
    )
    return blake, carmichael


@pytest.fixture
def motion():
    return make_motion(make_campaign(), reference="EDM 42")


def load(motion, tmp_path, text, *args, name="signatures.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_action_supports", str(motion.pk), str(path), *args, stdout=out)
    return out.getvalue()


def supports(motion):
    return sorted(
        (s.representative.name, s.kind, s.date)
        for s in motion.supports.select_related("representative")
    )


def test_members_are_matched_by_parliament_id_with_their_dates(members, motion, tmp_path):
    output = load(motion, tmp_path, BY_ID)
    assert supports(motion) == [
        ("Alistair Carmichael", "signed", date(2026, 3, 11)),
        ("Rachel Blake", "signed", date(2026, 3, 10)),
    ]
    assert "2 new, 0 updated, 0 unchanged, 1 not matched to a member" in output
    assert "signatures.csv, line 4: member id 9999" in output


def test_loading_the_same_file_again_changes_nothing(members, motion, tmp_path):
    load(motion, tmp_path, BY_ID)
    before = list(ActionSupport.objects.values_list("pk", "kind", "date"))
    output = load(motion, tmp_path, BY_ID)
    assert "0 new, 0 updated, 2 unchanged" in output
    assert list(ActionSupport.objects.values_list("pk", "kind", "date")) == before


def test_name_and_constituency_match_and_a_kind_column_is_read(members, motion, tmp_path):
    load(motion, tmp_path, BY_ID)
    output = load(motion, tmp_path, BY_NAME)
    assert "0 new, 1 updated" in output
    assert ("Rachel Blake", "spoke", date(2026, 4, 1)) in supports(motion)


def test_the_kind_for_the_whole_file_comes_from_the_option(members, motion, tmp_path):
    load(motion, tmp_path, BY_ID, "--kind", "backed")
    assert {kind for _, kind, _ in supports(motion)} == {"backed"}


def test_a_bad_row_names_the_file_and_line_and_nothing_changes(members, motion, tmp_path):
    bad = BY_ID + "4003,A Member,Party,Somewhere,the 5th\nabc,B Member,Party,Here,2026-03-01\n"
    bad += "4001,Rachel Blake,Labour,Cities of London and Westminster,2026-03-10\n"
    with pytest.raises(CommandError) as error:
        load(motion, tmp_path, bad, name="edm.csv")
    message = str(error.value)
    assert message.startswith("Nothing was imported.")
    assert "edm.csv, line 5: date 'the 5th' is not a date (YYYY-MM-DD or DD/MM/YYYY)" in message
    assert "edm.csv, line 6: member id 'abc' is not a whole number" in message
    assert "edm.csv, line 7: the same member as line 2" in message
    assert not ActionSupport.objects.exists()


def test_a_file_without_the_columns_needed_is_refused(members, motion, tmp_path):
    with pytest.raises(CommandError, match=r"x\.csv, line 1: the header needs a date column"):
        load(motion, tmp_path, "name,party\nRachel Blake,Labour\n", name="x.csv")


def test_a_dry_run_reports_and_saves_nothing(members, motion, tmp_path):
    output = load(motion, tmp_path, BY_ID, "--dry-run")
    assert output.startswith("Dry run (nothing saved): EDM 42")
    assert "2 new" in output
    assert not ActionSupport.objects.exists()


def test_the_member_in_office_on_the_day_is_chosen(members, motion, tmp_path):
    blake, _ = members
    blake.in_office_from = date(2024, 7, 4)
    blake.save()
    earlier = make_member(
        blake.area,
        name="Rachel Blake",
        official_id="4001",
        in_office_from=date(2019, 12, 12),
        in_office_to=date(2024, 5, 30),
    )
    load(motion, tmp_path, "member_id,date\n4001,2023-01-05\n")
    assert list(motion.supports.values_list("representative", flat=True)) == [earlier.pk]


def test_existing_supporters_keep_working_for_the_thank_you_letter(members, motion):
    blake, _ = members
    action = make_motion(motion.campaign, supporters=[blake])
    support = action.supports.get()
    assert (support.kind, support.date) == ("signed", None)
    assert blake.pk in action.supporter_pks


# The same on the action's admin page, as a campaign manager uses it

ACTION_PERMISSIONS = ("view_parliamentaryaction", "change_parliamentaryaction", "view_campaign")


@pytest.fixture
def manager(django_user_model):
    return staff_with(django_user_model, *ACTION_PERMISSIONS, "view_representative")


def upload(client, motion, text, name="signatures.csv", **data):
    url = admin_url("parliamentaryaction_upload", motion.pk)
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(url, {"file": file, "kind": "signed", **data}, follow=True)


def test_staff_load_a_file_on_the_actions_page(manager, members, motion):
    change = content(manager.get(admin_url("parliamentaryaction_change", motion.pk)))
    upload_url = admin_url("parliamentaryaction_upload", motion.pk)
    assert select_one(change, f'.object-tools a[href="{upload_url}"]')
    response = upload(manager, motion, BY_ID, kind="backed")
    assert response.redirect_chain[-1][0] == admin_url("parliamentaryaction_change", motion.pk)
    page = text(content(response))
    assert "Loaded: 2 new, 0 updated, 0 unchanged, 1 not matched to a member." in page
    assert "Not matched: signatures.csv, line 4: member id 9999" in page
    assert {kind for _, kind, _ in supports(motion)} == {"backed"}


def test_a_bad_upload_lists_each_row_keeps_the_choice_and_saves_nothing(manager, members, motion):
    response = upload(manager, motion, BY_ID + "4003,X,P,C,yesterday\n", kind="spoke")
    html = content(response)
    assert response.status_code == 200
    problems = element_text(select_one(html, "#problems"))
    assert "Nothing was saved" in problems
    assert "signatures.csv, line 5: date 'yesterday' is not a date" in problems
    assert select_one(html, 'select[name="kind"] option[selected]')["value"] == "spoke"
    assert not ActionSupport.objects.exists()


def test_staff_record_a_members_support_by_hand(manager, members, motion):
    blake, _ = members
    url = admin_url("parliamentaryaction_change", motion.pk)
    data = {
        **form_fields(content(manager.get(url)), "parliamentaryaction_form"),
        "supports-0-representative": str(blake.pk),
        "supports-0-kind": "spoke",
        "supports-0-date": "2026-03-12",
    }
    response = manager.post(url, data)
    assert response.status_code == 302, content(response)
    assert supports(motion) == [("Rachel Blake", "spoke", date(2026, 3, 12))]


def test_the_campaigns_page_links_each_action_to_its_supporters(superuser_client, motion):
    html = content(superuser_client.get(admin_url("campaign_change", motion.campaign.pk)))
    link = admin_url("parliamentaryaction_change", motion.pk)
    assert element_text(select_one(html, f'a[href="{link}"]')) == (
        "Record who supported it, and when"
    )


def test_staff_who_may_only_view_actions_cannot_load_a_file(django_user_model, members, motion):
    client = staff_with(django_user_model, "view_parliamentaryaction")
    response = client.post(admin_url("parliamentaryaction_upload", motion.pk), {})
    assert response.status_code == 403
