"""An editor writes a prayer request and a story in the admin and submits them; a second
editor publishes them (four eyes), and the public reads them."""

from playwright.sync_api import expect

from stories.models import PrayerRequest, Story
from tests.support.browser import DESKTOP, PASSWORD, csp_errors, log_in, no_violations, shoot
from tests.support.factories import image_bytes

TITLE = "Pastor freed after six months"
POINTS = ["Pray for Pastor Samuel as he recovers.", "Pray for the church that prayed for him."]


def add(page, live_server, section):
    """From the admin's home page to the form that adds one to ``section``."""
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("row", name=section).get_by_role("link", name="Add").click()


def write_prayer_request(page, live_server):
    add(page, live_server, "Prayer requests")
    page.get_by_role("textbox", name="Title").fill("Pray for Pastor Samuel")
    points = page.locator("#points-group")
    for row, point in enumerate(POINTS):
        if row:
            points.get_by_role("button", name="Add another Prayer point").click()
        points.get_by_role("row").nth(row + 1).get_by_role("textbox").fill(point)
    save_and_submit(page)


def save_and_submit(page):
    """Save, staying on the form, then press the workflow's button."""
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist .success")).to_contain_text("now In review")


def publish(page, live_server, section, title):
    """As the second editor: from the admin's home page to the item, then "Publish"."""
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("row", name=section).get_by_role("link", name=section).click()
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("now Published")


def write_body(page):
    """Two paragraphs in the rich-text editor, the second partly in bold from its toolbar."""
    # The editor's own textbox has no name of its own (its label is for a hidden textarea):
    # it is found as the textbox in the row labelled "Body".
    body = page.locator(".form-row", has=page.get_by_text("Body:", exact=True))
    body.get_by_role("textbox").click()
    page.keyboard.type("His church met every night to pray for him.")
    page.keyboard.press("Enter")
    page.keyboard.type("He is home, and ")
    body.get_by_role("button", name="bold").click()
    page.keyboard.type("he is well")
    body.get_by_role("button", name="bold").click()
    page.keyboard.type(".")


def choose_prayer_request(page, title):
    """The autocomplete: open it, type part of the title, pick the match."""
    page.locator(".form-row", has=page.get_by_text("Prayer request:", exact=True)).get_by_role(
        "combobox"
    ).click()
    page.keyboard.type("Samuel")  # into the search box that opens with the focus in it
    page.get_by_role("option", name=title).click()


def write_story(page, live_server):
    add(page, live_server, "Stories")
    page.get_by_role("textbox", name="Title").fill(TITLE)
    page.get_by_role("textbox", name="Standfirst").fill(
        "After six months in prison, Pastor Samuel is home."
    )
    # Filled in from the title once the editor moves on from it.
    expect(page.get_by_role("textbox", name="Slug")).to_have_value("pastor-freed-after-six-months")
    write_body(page)
    picture = {"name": "samuel.png", "mimeType": "image/png", "buffer": image_bytes((64, 48))}
    page.get_by_label("Hero image").set_input_files(files=[picture])
    page.get_by_role("textbox", name="Image description").fill("Pastor Samuel with his family")
    page.get_by_role("textbox", name="Image caption").fill("Home at last")
    choose_prayer_request(page, "Pray for Pastor Samuel")
    quotes = page.locator("#pull_quotes-group")
    quotes.get_by_role("button", name="Add another Pull quote").click()
    quotes.get_by_role("textbox", name="Text").fill("I never stopped praying.")
    quotes.get_by_role("textbox", name="Attribution").fill("Pastor Samuel")
    shoot(page, "1-story-form")
    save_and_submit(page)


def read_story(page, live_server):
    """As the public finds it: the stories list, then the story itself."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    story = page.locator(".story-body")
    expect(story).to_contain_text("His church met every night to pray for him.")
    expect(story.locator("strong")).to_have_text("he is well")
    expect(page.locator(".pull-quote")).to_contain_text("I never stopped praying.")
    expect(page.locator(".pull-quote figcaption")).to_have_text("Pastor Samuel")
    expect(page.locator(".pray-box").get_by_role("listitem")).to_have_text(POINTS)
    hero = page.get_by_role("img", name="Pastor Samuel with his family")
    # decode() waits for the picture to arrive (and fails if it cannot be shown): right after
    # the page's text appears it may still be loading.
    assert hero.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
    expect(page.locator("figure.hero figcaption")).to_have_text("Home at last")
    no_violations(page)
    shoot(page, "2-published-story")


def test_an_editor_writes_a_story_another_publishes_and_the_public_reads_it(
    page, live_server, editor, django_user_model
):
    publisher = django_user_model.objects.create_superuser(
        username="publisher", email="publisher@example.org", password=PASSWORD
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, editor)

    write_prayer_request(page, live_server)
    write_story(page, live_server)
    page.context.clear_cookies()
    log_in(page, live_server, publisher)
    publish(page, live_server, "Prayer requests", "Pray for Pastor Samuel")
    publish(page, live_server, "Stories", TITLE)
    admin_csp_errors = csp_errors(page)
    read_story(page, live_server)

    story = Story.objects.get()
    assert story.prayer_request == PrayerRequest.objects.get(slug="pray-for-pastor-samuel")
    assert admin_csp_errors == []
    assert csp_errors(page) == [] and page.script_errors == []
