"""An old slug redirects: an Editor renames a published story's address in the admin, and a
visitor following the old address lands on the story at its new one."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in, shoot
from tests.support.factories import make_story

TITLE = "A church reopens after three years"


@pytest.fixture
def editor(group_member):
    """An Editor (not a superuser): Editors manage redirects."""
    return group_member("writer", "Editors")


def test_an_old_slug_redirects(page, live_server, editor):
    make_story(title=TITLE, slug="church-reopens")
    log_in(page, live_server, editor)

    page.get_by_role("row", name="Stories").get_by_role("link", name="Stories").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("textbox", name="Slug").fill("church-reopens-after-three-years")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .info")).to_contain_text(
        "Its old address /stories/church-reopens/ now redirects here."
    )
    expect(page.locator(".field-old_addresses")).to_contain_text("/stories/church-reopens/")
    shoot(page, "story-renamed")

    page.context.clear_cookies()  # a visitor with an old link, not staff
    page.goto(f"{live_server.url}/stories/church-reopens/?from=newsletter")

    expect(page).to_have_url(
        re.compile(r"/stories/church-reopens-after-three-years/\?from=newsletter$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    shoot(page, "old-address-followed")
