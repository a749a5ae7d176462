"""An editor publishes a story through the admin in a real browser, then reads it."""

import pytest

from stories.models import Story
from tests.factories import image_bytes


@pytest.fixture
def editor(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="a-long-test-password"
    )


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def csp_errors(page):
    return [text for text in page.console_errors if "Content Security Policy" in text]


def test_an_editor_publishes_a_story_the_public_can_read(page, live_server, editor, tmp_path):
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/stories/story/add/")

    page.fill("#id_title", "Pastor freed after six months")
    page.fill("#id_standfirst", "After six months in prison, Pastor Samuel is home.")
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    page.keyboard.type("His church met every night to pray for him.")
    page.set_input_files(
        "#id_hero_image",
        files=[{"name": "samuel.png", "mimeType": "image/png", "buffer": image_bytes((64, 48))}],
    )
    page.fill("#id_hero_alt", "Pastor Samuel with his family")
    page.fill("#id_hero_caption", "Home at last")
    page.click("#pull_quotes-group .add-row a")
    page.fill("#id_pull_quotes-0-text", "I never stopped praying.")
    page.fill("#id_pull_quotes-0-attribution", "Pastor Samuel")
    page.select_option("#id_status", "published")
    assert page.input_value("#id_slug") == "pastor-freed-after-six-months"
    admin_csp_errors = csp_errors(page)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    story = Story.objects.get()
    assert story.slug == "pastor-freed-after-six-months"
    assert "His church met every night to pray for him." in story.body
    assert admin_csp_errors == []

    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

    assert page.locator("h1").inner_text() == "Pastor freed after six months"
    assert "His church met every night" in page.locator(".story-body").inner_text()
    hero = page.locator("figure.hero img")
    assert hero.get_attribute("alt") == "Pastor Samuel with his family"
    assert hero.evaluate("img => img.complete && img.naturalWidth") == 64
    assert "Home at last" in page.locator("figure.hero figcaption").inner_text()
    assert "I never stopped praying." in page.locator(".pull-quote").inner_text()
    assert csp_errors(page) == [] and page.script_errors == []
    assert (tmp_path / "story.png").stat().st_size > 0


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
