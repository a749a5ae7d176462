"""An Editor changes a published story that quotes a spokesperson whose name was changed: the
public keeps reading the approved version until a Safeguarding reviewer approves the change."""

import pytest
from playwright.sync_api import expect

from core.publishing import Status
from core.workflow import item_edited, item_transition
from tests.support.browser import log_in
from tests.support.factories import make_spokesperson, make_story

TITLE = "A house church keeps meeting"
APPROVED = "They meet in a different home each week."
CHANGED = "They now meet in the fields at dawn."


@pytest.fixture
def staff(group_member):
    """An Editor and two Safeguarding reviewers."""
    return (
        group_member("writer", "Editors"),
        group_member("first-reviewer", "Safeguarding reviewers"),
        group_member("reviewer", "Safeguarding reviewers"),
    )


@pytest.fixture
def live_story(staff):
    """The story as the Editor wrote it and the first reviewer approved it: on the site."""
    writer, first_reviewer, _reviewer = staff
    speaker = make_spokesperson(name="Brother Y", name_changed=True, status=Status.PUBLISHED)
    story = make_story(
        title=TITLE,
        slug="a-house-church-keeps-meeting",
        standfirst=APPROVED,
        status=Status.DRAFT,
        pull_quotes=[("We will not stop meeting.", speaker)],
    )
    item_edited(story, by=writer)
    item_transition(story, step="submit", by=writer)
    item_transition(story, step="approve", by=first_reviewer)
    return story


def public_story_page(browser, live_server):
    """The story page as a member of the public first opens it: a browser of their own, so
    neither staff cookies nor a page cached earlier stand in for what the site serves now."""
    page = browser.new_page()
    page.goto(f"{live_server.url}/stories/a-house-church-keeps-meeting/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    return page


def test_the_live_version_stays_until_a_reviewer_approves_the_change(
    browser, page, live_server, staff, live_story
):
    writer, _first_reviewer, reviewer = staff
    log_in(page, live_server, writer)
    page.goto(f"{live_server.url}/admin/stories/story/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("textbox", name="Standfirst").fill(CHANGED)
    page.get_by_role("button", name="Save and continue editing").click()
    saved = "Saved as a change waiting for safeguarding approval"
    expect(page.locator(".messagelist .warning", has_text=saved)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("A change waits for safeguarding approval")
    expect(page.get_by_role("textbox", name="Standfirst")).to_have_value(CHANGED)

    public = public_story_page(browser, live_server)
    expect(public.get_by_text(APPROVED)).to_be_visible()
    expect(public.get_by_text(CHANGED)).to_have_count(0)
    expect(public.get_by_text("We will not stop meeting.")).to_be_visible()
    public.close()

    page.context.clear_cookies()  # the Editor logs out
    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/stories/story/?waiting=me")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Approve the waiting change").click()
    expect(page.locator(".messagelist .success")).to_contain_text("now Published")

    public = public_story_page(browser, live_server)
    expect(public.get_by_text(CHANGED)).to_be_visible()
    expect(public.get_by_text(APPROVED)).to_have_count(0)
    public.close()
