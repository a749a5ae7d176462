"""A supporter on a phone goes from the seed story to a personal letter to their own MP."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from campaigns.models import Campaign, Letter
from tests.support.browser import PHONE, no_violations
from tests.support.worker import run_due_tasks

STORY = "/stories/china-returns-600-north-korean-refugees/"
CHURCH = (
    "Our congregation in Westminster has prayed for North Korea every Sunday for ten years, "
    "and we have welcomed refugee families from Syria, Afghanistan and Eritrea into our homes."
)
OWN_WORDS = "My church has sponsored a refugee family for three years, and I pray for them daily."


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def start_letter(page, live_server, postcode="SW1A 0AA"):
    page.goto(f"{live_server.url}{STORY}")
    page.get_by_role("link", name="Ask your MP to speak up").click()
    page.get_by_role("textbox", name="Your postcode").fill(postcode)
    page.get_by_role("button", name="Find my representatives").click()
    no_violations(page)
    page.get_by_role("button", name="Write my letter").click()


def test_from_the_story_to_a_personal_letter_by_email_and_by_post(phone, live_server, seeded_site):
    start_letter(phone, live_server)
    assert "Rachel Blake MP" in phone.locator("main").inner_text()
    note = phone.locator("#personal-note")
    before = note.inner_text()
    phone.get_by_role("textbox", name="Why does the fate of these refugees matter to you?").fill(
        OWN_WORDS
    )
    expect(note).not_to_have_text(before)  # after a pause in typing: expect() waits for it
    expect(note).to_contain_text("of this letter is in your own words")
    phone.get_by_role("textbox", name="Your full name").fill("Jane Doe")
    phone.get_by_role("textbox", name="Your email address").fill("jane@example.org")
    phone.get_by_role("textbox", name="Your postal address").fill("1 Parliament Street\nLondon")
    no_violations(phone)
    phone.get_by_role("button", name="Open it in my email app").click()

    assert "Your letter is ready" in phone.locator("h1").inner_text()
    no_violations(phone)
    mailto = phone.get_by_role("link", name="Open in my email app").get_attribute("href")
    parts = urlsplit(mailto)
    assert parts.path == "rachel.blake.mp@parliament.uk"
    assert OWN_WORDS in parse_qs(parts.query)["body"][0]

    phone.get_by_role("link", name="Print and post").click()
    addresses = phone.locator("address").all_inner_texts()
    assert "Jane Doe" in addresses[0] and "SW1A 0AA" in addresses[0]
    assert "Rachel Blake MP" in addresses[1] and "House of Commons" in addresses[1]
    no_violations(phone)
    phone.get_by_role("link", name="I have posted it").click()
    assert "1 letter written" in phone.locator("main").inner_text()
    no_violations(phone)
    assert Letter.objects.get().recipient_name == "Rachel Blake"
    assert Campaign.objects.get(letters__isnull=False).letter_count == 1
    assert phone.console_errors == [] and phone.script_errors == []


def expect_error_summary(page, message):
    """The summary at the top names the problem and has the focus, as the page loads."""
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()
    no_violations(page)


def test_bad_input_on_each_step_is_pointed_out_next_to_the_field_and_kept(
    phone, live_server, seeded_site
):
    phone.goto(f"{live_server.url}{STORY}")
    phone.get_by_role("link", name="Ask your MP to speak up").click()
    phone.get_by_role("textbox", name="Your postcode").fill("SW1A 0A")
    phone.get_by_role("button", name="Find my representatives").click()
    expect_error_summary(phone, "That is not a full UK postcode.")
    postcode = phone.get_by_role("textbox", name="Your postcode")
    expect(postcode).to_have_value("SW1A 0A")
    expect(postcode).to_have_attribute("aria-invalid", "true")
    expect(postcode).to_have_accessible_description(re.compile("not a full UK postcode"))

    postcode.fill("SW1A 0AA")
    phone.get_by_role("button", name="Find my representatives").click()
    phone.get_by_role("checkbox", name="Rachel Blake MP").uncheck()
    phone.get_by_role("button", name="Write my letter").click()
    expect_error_summary(phone, "Choose at least one member to write to.")
    members = phone.get_by_role("group", name="Your representative for SW1A 0AA")
    expect(members).to_have_accessible_description("Choose at least one member to write to.")
    expect(postcode).to_have_value("SW1A 0AA")

    phone.get_by_role("checkbox", name="Rachel Blake MP").check()
    phone.get_by_role("button", name="Write my letter").click()
    phone.get_by_role("textbox", name="Your full name").fill("Jane Doe")
    phone.get_by_role("textbox", name="Your email address").fill("jane-at-example")
    phone.get_by_role("button", name="Print it and post it").click()
    expect_error_summary(phone, "Enter a valid email address.")
    email = phone.get_by_role("textbox", name="Your email address")
    expect(email).to_have_value("jane-at-example")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Error: Enter a valid email address."))
    expect(phone.get_by_role("textbox", name="Your full name")).to_have_value("Jane Doe")
    assert not Letter.objects.exists()


def test_a_scottish_supporter_chooses_among_their_msps(phone, live_server, seeded_site):
    phone.goto(f"{live_server.url}/campaigns/")
    phone.get_by_role("link", name="Holyrood").first.click()
    phone.get_by_role("textbox", name="Your postcode").fill("EH99 1SP")
    phone.get_by_role("button", name="Find my representatives").click()
    if phone.get_by_role("link", name="Edinburgh Central").count():
        phone.get_by_role("link", name="Edinburgh Central").click()
    boxes = phone.get_by_role("checkbox")
    assert boxes.count() == 1 + 7
    no_violations(phone)


def test_send_it_for_me_confirmed_from_the_email(phone, live_server, seeded_site, settings):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    start_letter(phone, live_server)
    phone.get_by_role("textbox", name="Why does the fate of these refugees matter to you?").fill(
        OWN_WORDS
    )
    phone.get_by_role("textbox", name="Does your church pray for North Korea").fill(CHURCH)
    phone.get_by_role("textbox", name="Your full name").fill("Jane Doe")
    phone.get_by_role("textbox", name="Your email address").fill("jane@example.org")
    phone.get_by_role("textbox", name="Your postal address").fill("1 Parliament Street\nLondon")
    assert "test address" in phone.locator(".test-mode").first.inner_text()
    phone.get_by_role("button", name="Send it for me").click()
    assert "check your email" in phone.locator("h1").inner_text().lower()
    no_violations(phone)

    (confirmation,) = mail.outbox
    link = re.search(r"(http://\S+/letters/confirm/\S+/)", confirmation.body).group(1)
    phone.goto(link)
    no_violations(phone)
    phone.get_by_role("button", name="Confirm and send").click()
    assert run_due_tasks() == ["sent"]
    phone.reload()
    assert "Sent on" in phone.locator("main").inner_text()
    (sent,) = [m for m in mail.outbox if m.to == ["test-inbox@example.org"]]
    assert OWN_WORDS in sent.body
    assert Campaign.objects.get(letters__isnull=False).letter_count == 1
