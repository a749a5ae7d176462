"""The story form in a real browser: the rich-text editor loads, and the slug follows the title.

The whole of writing and publishing a story is in test_editor_journey.py.
"""

from tests.support.browser import csp_errors, log_in


def test_the_admin_editor_loads_without_csp_errors(page, live_server, editor):
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/stories/story/add/", wait_until="networkidle")

    # First the policy, so a blocked script is reported as such rather than as a timeout.
    assert csp_errors(page) == []
    assert page.locator(".ProseMirror[contenteditable=true]").count() == 1
    assert page.script_errors == []


def test_the_slug_follows_the_title_as_the_editor_types(page, live_server, editor):
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/stories/story/add/")

    page.locator("#id_title").press_sequentially("Prayer in Iran")

    assert page.input_value("#id_slug") == "prayer-in-iran"
