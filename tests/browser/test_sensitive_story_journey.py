"""A story that shows a spokesperson whose name was changed: its Editor cannot make it public;
a Safeguarding reviewer approves it, and then the public can read it."""

import pytest
from playwright.sync_api import expect

from core.publishing import Status
from tests.support.browser import log_in
from tests.support.factories import make_spokesperson

TITLE = "A house church keeps meeting"


@pytest.fixture
def staff(group_member):
    """An Editor and a Safeguarding reviewer."""
    return group_member("writer", "Editors"), group_member("reviewer", "Safeguarding reviewers")


def write_story_quoting(page, live_server, speaker):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("row", name="Stories").get_by_role("link", name="Add").click()
    page.get_by_role("textbox", name="Title").fill(TITLE)
    page.get_by_role("textbox", name="Standfirst").fill("They meet in a different home each week.")
    body = page.locator(".form-row", has=page.get_by_text("Body:", exact=True))
    body.get_by_role("textbox").click()
    page.keyboard.type("The church has met for ten years.")
    # The two-list chooser: a double click moves a name into "Chosen spokespeople".
    page.locator("#id_spokespeople_from").get_by_role("option", name=speaker).dblclick()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")


def test_an_editor_cannot_publish_a_story_showing_a_changed_name_until_a_reviewer_approves(
    page, live_server, staff
):
    writer, reviewer = staff
    make_spokesperson(name="Brother Y", name_changed=True, status=Status.PUBLISHED)
    log_in(page, live_server, writer)

    write_story_quoting(page, live_server, "Brother Y")
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist .success")).to_contain_text("now Safeguarding review")
    page.context.clear_cookies()  # the public, not a staff preview
    story_page = page.request.get(f"{live_server.url}/stories/a-house-church-keeps-meeting/")
    assert story_page.status == 404

    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/stories/story/?waiting=me")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist .success")).to_contain_text("now Published")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/stories/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
