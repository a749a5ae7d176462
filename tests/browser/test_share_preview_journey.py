"""An Editor previews an unsaved edit, then shares a draft with a pastor who has no account:
the link works logged out, and stops working after revoke and after expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.publishing import Status
from tests.support.browser import log_in, no_violations
from tests.support.factories import make_story

TITLE = "A village church rebuilds"


@pytest.fixture
def writer(group_member):
    """An Editor with a first name, which the shared preview shows."""
    return group_member("writer", "Editors", first_name="Ruth")


@pytest.fixture
def draft(transactional_db):
    return make_story(title=TITLE, status=Status.DRAFT, slug="a-village-church-rebuilds")


def open_in_admin(page, live_server, story):
    page.goto(f"{live_server.url}{reverse('admin:stories_story_change', args=[story.pk])}")


def share_a_preview(page):
    """Press "Share a preview" and copy the link shown once."""
    page.get_by_role("button", name="Share a preview").click()
    return page.get_by_role("textbox", name="Share-preview link").input_value()


def test_the_preview_button_shows_the_unsaved_edit_in_a_new_tab(page, live_server, writer, draft):
    log_in(page, live_server, writer)
    open_in_admin(page, live_server, draft)
    page.get_by_role("textbox", name="Title").fill("A village church rebuilds its roof")

    with page.expect_popup() as opened:
        page.get_by_role("button", name="Preview", exact=True).click()
    preview = opened.value

    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "A village church rebuilds its roof"
    )
    expect(preview.get_by_role("status")).to_contain_text("unsaved changes")
    no_violations(preview)
    draft.refresh_from_db()
    assert draft.title == TITLE


def test_a_share_preview_link_works_logged_out_and_stops_after_revoke_and_expiry(
    browser, page, live_server, writer, draft
):
    log_in(page, live_server, writer)
    open_in_admin(page, live_server, draft)
    link = share_a_preview(page)

    pastor = browser.new_page()  # no account, no cookies
    pastor.goto(link)
    expect(pastor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(pastor.get_by_role("status")).to_contain_text("Preview shared by Ruth")
    no_violations(pastor)

    page.get_by_role("link", name=f"Back to {TITLE}").click()
    expect(page.get_by_role("table", name="Share-preview links")).to_contain_text("Active")
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messagelist .success")).to_contain_text("no longer works")

    response = pastor.goto(link)
    assert response.status == 410
    expect(pastor.get_by_role("heading", level=1)).to_have_text("This preview is not available")
    expect(pastor.get_by_text("withdrawn")).to_be_visible()
    no_violations(pastor)

    open_in_admin(page, live_server, draft)
    second = share_a_preview(page)
    assert pastor.goto(second).status == 200
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        response = pastor.goto(second)
    assert response.status == 410
    expect(pastor.get_by_text("This preview link has expired.")).to_be_visible()
    pastor.close()
