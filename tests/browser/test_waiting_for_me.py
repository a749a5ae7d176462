"""A Safeguarding reviewer opens "Waiting for me" from the admin's home page, reaches the story
an Editor submitted, reads its checks before publishing, and approves it."""

import pytest
from playwright.sync_api import expect

from core.publishing import Status
from core.workflow import item_edited, item_transition
from tests.support.browser import csp_errors, log_in, shoot
from tests.support.factories import make_spokesperson, make_story

TITLE = "A house church keeps meeting"


@pytest.fixture
def staff(group_member):
    """An Editor and a Safeguarding reviewer."""
    return group_member("writer", "Editors"), group_member("reviewer", "Safeguarding reviewers")


def test_a_reviewer_reaches_what_waits_for_them_from_the_admin_home(page, live_server, staff):
    writer, reviewer = staff
    hidden = make_spokesperson(name="Brother Y", name_changed=True, status=Status.PUBLISHED)
    story = make_story(title=TITLE, status=Status.DRAFT, spokespeople=[hidden])
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer, comment="Ready when you are.")
    log_in(page, live_server, reviewer)

    page.get_by_role("link", name="Waiting for me").click()
    row = page.get_by_role("row", name=TITLE)
    expect(row).to_contain_text("Safeguarding approval")
    expect(row).to_contain_text("writer")
    shoot(page, "waiting-for-me")
    row.get_by_role("link", name=TITLE).click()

    checks = page.get_by_role("region", name="Checks before publishing")
    expect(checks.get_by_role("row", name="No name withheld to protect someone")).to_contain_text(
        "Passed"
    )
    checks.scroll_into_view_if_needed()
    shoot(page, "checks-before-publishing")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".messagelist .success")).to_contain_text("now Published")
    page.goto(f"{live_server.url}/admin/waiting/")
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    assert csp_errors(page) == []
