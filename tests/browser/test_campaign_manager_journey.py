"""A campaign manager previews a letter template for a member and exports the letters."""

import csv

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from campaigns.letters.exports import COLUMNS
from tests.support.browser import DESKTOP, PASSWORD, csp_errors, log_in, shoot

CAMPAIGN = "Ask your MP to speak up for North Korean refugees held in China"
MEMBER = "Rachel Blake (Cities of London and Westminster)"
SUPPORTERS = ["Jane Doe", "John Roe"]
MANAGING = ["view_campaign", "change_campaign", "view_lettertemplate", "view_letter"]


@pytest.fixture
def manager(seeded_site, django_user_model):
    """Staff in a "Campaign managers" group: campaigns, templates, letters, and the export."""
    # The migration's group is there only until the first transactional test's flush.
    group, _created = Group.objects.get_or_create(name="Campaign managers")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="campaigns", codename__in=[*MANAGING, "export_letters"]
        )
    )
    user = django_user_model.objects.create_user(
        username="manager", password=PASSWORD, is_staff=True
    )
    user.groups.add(group)
    return user


def write_letter(page, live_server, name):
    """A supporter in SW1A 0AA writes a letter to print, the way the public does."""
    page.goto(f"{live_server.url}/campaigns/")
    page.get_by_role("link", name=CAMPAIGN).click()
    page.get_by_role("textbox", name="Your postcode").fill("SW1A 0AA")
    page.get_by_role("button", name="Find my representatives").click()
    page.get_by_role("button", name="Write my letter").click()
    page.get_by_role("textbox", name="Your full name").fill(name)
    page.get_by_role("textbox", name="Your email address").fill("supporter@example.org")
    page.get_by_role("textbox", name="Your postal address").fill("1 Parliament Street\nLondon")
    page.get_by_role("button", name="Print it and post it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is ready")


def open_list(page, live_server, name):
    """The admin's home page, then the list of one kind of thing."""
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("rowheader", name=name, exact=True).get_by_role("link").click()


def preview_template(page, live_server):
    open_list(page, live_server, "Letter templates")
    template = page.get_by_role("row").filter(has_text="House of Commons")
    template.get_by_role("link", name=CAMPAIGN).click()
    page.get_by_role("link", name="Preview for a member").click()
    page.get_by_label("Member").select_option(label=MEMBER)
    page.get_by_role("button", name="Show the letter").click()
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", level=2)).to_have_text(
        "To Rachel Blake, from a sample supporter"
    )
    letter = page.locator("#preview-body")
    expect(letter).to_contain_text("Dear Rachel Blake")
    expect(letter).to_contain_text("a constituent in Cities of London and Westminster")
    shoot(page, "1-template-preview")


def rows_of(download):
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def export_letters(page, live_server):
    """From the campaign's page, then as an action on the campaigns list: the same CSV."""
    open_list(page, live_server, "Campaigns")
    page.get_by_role("link", name=CAMPAIGN).click()
    shoot(page, "2-campaign")
    with page.expect_download() as from_page:
        page.get_by_role("link", name="Export letters as CSV").click()

    open_list(page, live_server, "Campaigns")
    page.get_by_role("checkbox", name=f"Select this object for an action - {CAMPAIGN}").check()
    page.get_by_role("combobox", name="Action").select_option(label="Export letters as CSV")
    with page.expect_download() as from_action:
        page.get_by_role("button", name="Go").click()
    return from_page.value, from_action.value


def test_a_campaign_manager_previews_a_template_and_exports_the_letters(page, live_server, manager):
    page.set_viewport_size(DESKTOP)
    for name in SUPPORTERS:
        write_letter(page, live_server, name)
    log_in(page, live_server, manager)

    preview_template(page, live_server)
    from_page, from_action = export_letters(page, live_server)

    assert from_page.suggested_filename.startswith(
        "speak-up-for-north-korean-refugees-held-in-china-letters-"
    )
    header, *letters = rows_of(from_page)
    assert header == COLUMNS
    names = [dict(zip(header, row, strict=True))["supporter_name"] for row in letters]
    assert names == SUPPORTERS
    assert rows_of(from_action) == [header, *letters]
    assert csp_errors(page) == [] and page.script_errors == []
