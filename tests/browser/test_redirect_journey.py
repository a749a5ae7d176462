"""An old slug redirects: an Editor renames a published story's address in the admin, and a
visitor following the old address lands on the story at its new one."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.support.browser import PASSWORD, log_in, shoot
from tests.support.factories import make_story

TITLE = "A church reopens after three years"
GROUP_MIGRATIONS = [
    ("0002_staff_groups", "create_groups"),
    ("0006_workflow_permissions", "grant"),
    ("0007_redirect_permissions", "grant"),
]


@pytest.fixture
def editor(transactional_db, django_user_model):
    """An Editor, in the group as migrated (made again by the migrations' own functions: an
    earlier transactional test may have emptied the tables)."""
    for name, function in GROUP_MIGRATIONS:
        getattr(importlib.import_module(f"advocacy.migrations.{name}"), function)(apps, None)
    user = django_user_model.objects.create_user(
        username="writer", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


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
