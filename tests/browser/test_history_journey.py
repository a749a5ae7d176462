"""An editor compares two versions of a story on its History page, then reverts to the older
one: in a real browser, under the site's Content-Security-Policy, by visible labels."""

import reversion
from playwright.sync_api import expect

from stories.models import Story
from tests.support.browser import csp_errors, log_in
from tests.support.factories import make_story


def story_edited_once():
    story = make_story(
        title="Church reopens", body="<p>The church in the village reopened on Sunday.</p>"
    )
    with reversion.create_revision():
        story.save()
    story.title = "Church reopens after two years"
    story.body = "<p>The church in the town reopened on Sunday.</p>"
    with reversion.create_revision():
        story.save()
    return story


def test_an_editor_compares_two_versions_and_reverts_to_the_older(page, live_server, editor):
    story = story_edited_once()
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/stories/story/{story.pk}/change/")

    page.get_by_role("link", name="History").click()
    page.get_by_role("button", name="Compare").click()

    changes = page.get_by_role("table").filter(has_text="What changed")
    expect(changes.get_by_role("row", name="Title")).to_contain_text("after two years")
    body = changes.get_by_role("row", name="Body")
    expect(body.locator("del")).to_have_text("village")
    expect(body.locator("ins")).to_have_text("town")
    assert csp_errors(page) == []

    page.get_by_role("link", name="Back to the history").click()
    versions = page.get_by_role("table").filter(has_text="Date/time")
    versions.get_by_role("row").nth(1).get_by_role("link").click()  # the older version
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Story.objects.get(pk=story.pk).title == "Church reopens"
    assert page.script_errors == []
