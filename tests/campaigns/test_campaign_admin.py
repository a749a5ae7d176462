import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from campaigns.letters.exports import COLUMNS
from campaigns.models import Campaign, Letter, LetterTemplate
from campaigns.models.parliaments import HOLYROOD
from tests.support.admin import admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_motion
from tests.support.html import (
    content,
    element_text,
    form_fields,
    links,
    select,
    select_one,
    tags,
    text,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def campaign():
    return make_campaign(title="Stop forced returns", slug="stop-forced-returns")


@pytest.fixture
def member():
    area = make_area(name="Holborn and St Pancras", code="E14001290")
    return make_member(area, name="Keir Starmer", party="Labour")


# The campaign pages


def test_campaign_list_shows_progress_and_links_to_the_counts(superuser_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(letter_count=12)

    response = superuser_client.get(admin_url("campaign_changelist"))

    assert response.status_code == 200
    assert "12 of 100" in text(content(response))
    assert admin_url("campaign_constituencies", campaign.pk) in links(content(response))


def test_campaign_change_page_has_template_and_action_inlines(superuser_client, campaign):
    make_motion(campaign, title="Refugees motion")

    response = superuser_client.get(admin_url("campaign_change", campaign.pk))

    page = content(response)
    assert response.status_code == 200
    fields = form_fields(page, "campaign_form")
    assert fields["templates-TOTAL_FORMS"] == "1" and fields["actions-TOTAL_FORMS"] == "1"
    assert fields["actions-0-title"] == "Refugees motion"
    template = campaign.templates.get()
    assert admin_url("lettertemplate_preview", template.pk) in links(page)
    assert admin_url("campaign_constituencies", campaign.pk) in links(page)
    assert admin_url("campaign_export", campaign.pk) in links(page)


def test_the_add_page_offers_every_parliament_as_a_checkbox(superuser_client):
    page = content(superuser_client.get(admin_url("campaign_add")))

    boxes = [i for i in tags(page, "input") if i.get("name") == "target_parliaments"]
    assert len(boxes) == 5 and all(box["type"] == "checkbox" for box in boxes)


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("body", "Dear {foo},\n\nPlease act.", "“{foo}” is not one of the placeholders"),
        ("subject", "Refugees: {Representative_Name}", "“{Representative_Name}” is not"),
        ("body", "Dear {representative_name, please act.", "A lone “{”"),
    ],
)
def test_a_bad_placeholder_in_the_inline_is_named_and_not_saved(
    superuser_client, campaign, field, value, named
):
    url = admin_url("campaign_change", campaign.pk)
    data = form_fields(content(superuser_client.get(url)), "campaign_form")

    response = superuser_client.post(url, {**data, f"templates-0-{field}": value})

    assert response.status_code == 200  # the form again, not a redirect
    assert named in text(content(response))
    assert value not in LetterTemplate.objects.values_list(field, flat=True)


def test_a_bad_placeholder_on_the_template_page_is_named_and_not_saved(superuser_client, campaign):
    template = campaign.templates.get()
    url = admin_url("lettertemplate_change", template.pk)
    data = form_fields(content(superuser_client.get(url)), "lettertemplate_form")

    response = superuser_client.post(url, {**data, "body": "Dear {foo}"})

    assert response.status_code == 200
    assert "“{foo}” is not one of the placeholders we can fill in." in text(content(response))
    template.refresh_from_db()
    assert "{foo}" not in template.body


def test_a_good_template_saves_from_the_inline(superuser_client, campaign):
    url = admin_url("campaign_change", campaign.pk)
    data = form_fields(content(superuser_client.get(url)), "campaign_form")

    response = superuser_client.post(url, {**data, "templates-0-subject": "{{Urgent}} {date}"})

    assert response.status_code == 302
    assert campaign.templates.get().subject == "{{Urgent}} {date}"


def test_saving_a_campaign_keeps_letters_counted_since_the_form_was_opened(
    superuser_client, campaign, member
):
    url = admin_url("campaign_change", campaign.pk)
    data = form_fields(content(superuser_client.get(url)), "campaign_form")
    make_letter(campaign, member)  # a supporter writes while the editor is on the page
    make_letter(campaign, member)
    Campaign.objects.filter(pk=campaign.pk).update(letter_count=2)

    response = superuser_client.post(url, {**data, "title": "Stop forced returns now"})

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.letter_count) == ("Stop forced returns now", 2)


# The template preview


def test_preview_renders_the_chosen_member_and_the_sample_supporter(
    superuser_client, campaign, member
):
    make_member(make_area(name="Another Place"), name="Other Member")
    template = campaign.templates.get()

    url = admin_url("lettertemplate_preview", template.pk)

    page = content(superuser_client.get(url, {"member": member.pk}))

    assert "North Korean refugees: Keir Starmer" in text(page)
    body = text(page.replace("<br>", "\n"))
    assert "Dear Keir Starmer" in body and "As your constituent in Holborn and St Pancras" in body
    assert "Sam Sample 1 Sample Street London SW1A 1AA" in body
    assert "Dear Other Member" not in body


def test_preview_offers_only_members_in_office_in_the_templates_parliament(
    superuser_client, campaign, member
):
    gone = make_member(make_area(), name="Former Member", in_office_to=datetime(2024, 7, 4).date())
    holyrood = make_member(make_area(HOLYROOD), name="Holyrood Member")
    url = admin_url("lettertemplate_preview", campaign.templates.get().pk)

    page = content(superuser_client.get(url))

    options = [o.get("value") for o in tags(page, "option")]
    assert str(member.pk) in options
    assert str(gone.pk) not in options and str(holyrood.pk) not in options
    assert form_fields(page, "preview-form") == {"member": str(member.pk)}
    assert "Dear Keir Starmer" in text(page)  # the first member, before any choice
    refused = superuser_client.get(url, {"member": holyrood.pk})
    assert "Dear Holyrood Member" not in text(content(refused))


def test_preview_escapes_the_letter(superuser_client, campaign, member):
    template = campaign.templates.get()
    LetterTemplate.objects.filter(pk=template.pk).update(body="<script>alert(1)</script>")

    page = content(superuser_client.get(admin_url("lettertemplate_preview", template.pk)))

    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_preview_names_the_fault_of_a_template_saved_outside_the_admin(
    superuser_client, campaign, member
):
    template = campaign.templates.get()
    LetterTemplate.objects.filter(pk=template.pk).update(body="Dear {foo}")

    page = text(content(superuser_client.get(admin_url("lettertemplate_preview", template.pk))))

    assert "This template cannot be filled in: “{foo}” is not one of the placeholders" in page


def test_preview_says_when_no_member_is_in_office(superuser_client):
    template = make_campaign(parliaments=(HOLYROOD,)).templates.get()

    page = text(content(superuser_client.get(admin_url("lettertemplate_preview", template.pk))))

    assert "No member of Scottish Parliament is in office" in page


def test_preview_needs_permission_to_view_templates(django_user_model, campaign, member):
    url = admin_url("lettertemplate_preview", campaign.templates.get().pk)

    assert staff_with(django_user_model, "view_campaign").get(url).status_code == 403
    assert staff_with(django_user_model, "view_lettertemplate").get(url).status_code == 200


def test_template_page_links_to_its_preview(superuser_client, campaign):
    template = campaign.templates.get()

    page = content(superuser_client.get(admin_url("lettertemplate_change", template.pk)))

    assert admin_url("lettertemplate_preview", template.pk) in links(page)


# Letters


@pytest.fixture
def letters(campaign, member):
    other = make_campaign(title="Another campaign")
    leeds = make_member(make_area(name="Leeds Central", code="E14001330"), name="Alex Sobel")
    return [
        make_letter(campaign, member, supporter_name="Ruth Ellis", reference="AAAA-1111"),
        make_letter(campaign, leeds, supporter_postcode="LS2 7EW", reference="BBBB-2222"),
        make_letter(other, member, supporter_name="Amos Tutu", reference="CCCC-3333"),
    ]


def references(response):
    assert response.status_code == 200
    return {ref for ref in ("AAAA-1111", "BBBB-2222", "CCCC-3333") if ref in content(response)}


def test_letters_are_filtered_by_campaign(superuser_client, campaign, letters):
    url = admin_url("letter_changelist")

    shown = references(superuser_client.get(url, {"campaign__id__exact": campaign.pk}))

    assert shown == {"AAAA-1111", "BBBB-2222"}


@pytest.mark.parametrize(
    "query, shown",
    [
        ("Ruth Ellis", {"AAAA-1111"}),
        ("LS2 7EW", {"BBBB-2222"}),
        ("CCCC-3333", {"CCCC-3333"}),
        ("Leeds Central", {"BBBB-2222"}),
        ("Keir Starmer", {"AAAA-1111", "CCCC-3333"}),
    ],
)
def test_letters_are_searchable(superuser_client, letters, query, shown):
    assert references(superuser_client.get(admin_url("letter_changelist"), {"q": query})) == shown


def test_letters_cannot_be_added_or_changed(superuser_client, letters):
    letter = letters[0]
    url = admin_url("letter_change", letter.pk)

    page = content(superuser_client.get(url))
    superuser_client.post(url, {"supporter_name": "Someone Else"})

    assert superuser_client.get(admin_url("letter_add")).status_code == 403
    assert "Ruth Ellis" in text(page)
    assert not [i for i in tags(page, "input") if i.get("name") == "_save"]
    letter.refresh_from_db()
    assert letter.supporter_name == "Ruth Ellis"


def test_only_a_superuser_deletes_a_letter_and_the_count_follows(
    superuser_client, django_user_model, campaign, letters
):
    Campaign.objects.filter(pk=campaign.pk).update(letter_count=2)
    url = admin_url("letter_delete", letters[0].pk)
    editor = staff_with(django_user_model, "view_letter", "delete_letter")

    assert editor.post(url, {"post": "yes"}).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.letter_count == 1


# Letters by constituency


def count_table(response):
    """The rows of the counts table as tuples of cell text, and the total under it."""
    assert response.status_code == 200
    page = content(response)
    rows = select_one(page, "tbody").select("tr")
    (total,) = [element_text(cell) for cell in select(page, "tfoot td")]
    return [tuple(element_text(cell) for cell in row.select("td")) for row in rows], total


def test_letters_are_counted_by_constituency_most_first(superuser_client, campaign, letters):
    holyrood = make_member(make_area(HOLYROOD, name="Edinburgh Central", code="S16000182"))
    make_letter(campaign, letters[1].representative)
    make_letter(campaign, holyrood)

    response = superuser_client.get(admin_url("campaign_constituencies", campaign.pk))

    assert count_table(response) == (
        [
            ("House of Commons", "Leeds Central", "E14001330", "2"),
            ("House of Commons", "Holborn and St Pancras", "E14001290", "1"),
            ("Scottish Parliament", "Edinburgh Central", "S16000182", "1"),
        ],
        "4",
    )


def test_the_counts_need_permission_to_view_campaigns(django_user_model, campaign):
    url = admin_url("campaign_constituencies", campaign.pk)

    assert staff_with(django_user_model, "view_letter").get(url).status_code == 403
    assert staff_with(django_user_model, "view_campaign").get(url).status_code == 200


# The CSV export


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = b"".join(response.streaming_content).decode("utf-8")
    assert data.startswith("\ufeff")
    return list(csv.reader(io.StringIO(data.removeprefix("\ufeff"))))


def test_export_needs_the_export_permission(django_user_model, campaign, letters):
    viewer = staff_with(django_user_model, "view_campaign", "view_letter")

    export = viewer.get(admin_url("campaign_export", campaign.pk))
    listing = content(viewer.get(admin_url("campaign_changelist")))
    change = content(viewer.get(admin_url("campaign_change", campaign.pk)))

    assert export.status_code == 403
    assert "export_letters" not in [o.get("value") for o in tags(listing, "option")]
    assert admin_url("campaign_export", campaign.pk) not in links(change)


def test_export_has_a_header_and_one_row_per_letter_of_the_campaign(
    django_user_model, campaign, letters
):
    exporter = staff_with(django_user_model, "view_campaign", "export_letters")

    with time_machine.travel(NOW, tick=False):
        response = exporter.get(admin_url("campaign_export", campaign.pk))

    header, *rows = csv_rows(response)
    assert header == COLUMNS
    assert sorted(row[0] for row in rows) == ["AAAA-1111", "BBBB-2222"]
    assert response["Content-Disposition"] == (
        'attachment; filename="stop-forced-returns-letters-2026-03-02.csv"'
    )
    assert "no-store" in response["Cache-Control"]


def test_export_writes_the_letter_as_stored(superuser_client, campaign, member):
    consented = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("UTC"))
    make_letter(
        campaign,
        member,
        supporter_name="Zoë Brontë",
        body="Dear member,\n\nLine two, with a comma.",
        marketing_consent=True,
        consent_wording="Keep me informed.",
        consented_at=consented,
        delivery=Letter.Delivery.POST,
    )

    _, row = csv_rows(superuser_client.get(admin_url("campaign_export", campaign.pk)))

    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["supporter_name"] == "Zoë Brontë"
    assert cells["body"] == "Dear member,\n\nLine two, with a comma."
    assert cells["campaign"] == "Stop forced returns"
    assert cells["parliament"] == "House of Commons"
    assert cells["marketing_consent"] == "yes"
    assert cells["consented_at"] == "2026-01-05T09:00:00+00:00"
    assert cells["delivery"] == "Print and post"


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_export_neutralises_cells_a_spreadsheet_would_run(
    superuser_client, campaign, member, typed
):
    make_letter(campaign, member, supporter_name=typed, supporter_address=typed)

    _, row = csv_rows(superuser_client.get(admin_url("campaign_export", campaign.pk)))

    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["supporter_name"] == cells["supporter_address"] == f"'{typed}"
    assert cells["supporter_email"] == cells["supporter_email"].lstrip("'")


def test_export_action_gives_the_selected_campaigns_letters(superuser_client, campaign, letters):
    response = superuser_client.post(
        admin_url("campaign_changelist"),
        {"action": "export_letters", "_selected_action": [campaign.pk]},
    )

    _, *rows = csv_rows(response)
    assert sorted(row[0] for row in rows) == ["AAAA-1111", "BBBB-2222"]
