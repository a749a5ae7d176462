"""A supporter reads the seed story on a phone, prays, and writes to their MP by keyboard alone."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from campaigns.models import Letter
from tests.support.browser import (
    PHONE,
    no_violations,
    press_to_leave,
    shoot,
    tab_to,
    typed_by_keyboard,
)

STORY = "/stories/china-returns-600-north-korean-refugees/"
OWN_WORDS = "My church has sponsored a refugee family for three years, and I pray for them daily."


def count(locator):
    """The first number in the element's text: a count of prayers or of letters."""
    return int(re.search(r"\d+", locator.inner_text()).group())


def read_and_pray(page, live_server):
    """Read the seed story, see the name-changed note, say "I prayed", follow the campaign."""
    page.goto(f"{live_server.url}{STORY}")
    assert "China sends around 600" in page.get_by_role("heading", level=1).inner_text()
    expect(page.locator(".name-note")).to_contain_text(
        "Timothy Cho: name changed for security reasons."
    )
    no_violations(page)
    shoot(page, "1-story")
    page.get_by_role("link", name="Pray through these points and say you prayed").click()
    prayers = count(page.locator(".prayed-form .count"))
    page.get_by_role("button", name="I prayed").click()
    expect(page.get_by_role("status")).to_have_text("Thank you for praying.")
    assert count(page.locator(".prayed-form .count")) == prayers + 1
    shoot(page, "2-prayed")
    page.get_by_role("link", name="China sends around 600").click()
    page.get_by_role("link", name="Ask your MP to speak up").click()
    no_violations(page)
    shoot(page, "3-campaign")


def write_by_keyboard(page):
    """From the campaign page to the letters page with Tab, Space, Enter and typing only."""
    typed_by_keyboard(page, page.get_by_role("textbox", name="Your postcode"), "SW1A 0AA")
    press_to_leave(page)

    member = page.get_by_role("checkbox", name="Rachel Blake MP")
    tab_to(page, member)
    expect(member).to_be_checked()  # a constituency member is chosen already
    page.keyboard.press("Space")
    expect(member).not_to_be_checked()
    page.keyboard.press("Space")
    expect(member).to_be_checked()
    shoot(page, "4-members")
    tab_to(page, page.get_by_role("button", name="Write my letter"))
    press_to_leave(page)

    note = page.locator("#personal-note")
    before = note.inner_text()
    why = page.get_by_role("textbox", name="Why does the fate of these refugees matter to you?")
    typed_by_keyboard(page, why, OWN_WORDS)
    expect(note).not_to_have_text(before)
    expect(note).to_contain_text("of this letter is in your own words")
    typed_by_keyboard(page, page.get_by_role("textbox", name="Your full name"), "Jane Doe")
    email = page.get_by_role("textbox", name="Your email address")
    typed_by_keyboard(page, email, "jane@example.org")
    address = page.get_by_role("textbox", name="Your postal address")
    typed_by_keyboard(page, address, "1 Parliament Street\nLondon")
    no_violations(page)
    shoot(page, "5-compose")
    tab_to(page, page.get_by_role("button", name="Open it in my email app"))
    press_to_leave(page)


def send_and_post_by_keyboard(page):
    """The mailto: link carries the letter; the print page has both addresses; then thanks."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your letter is ready")
    no_violations(page)
    shoot(page, "6-letter-ready")
    mailto = page.get_by_role("link", name="Open in my email app")
    tab_to(page, mailto)
    parts = urlsplit(mailto.get_attribute("href"))
    assert parts.scheme == "mailto" and parts.path == "rachel.blake.mp@parliament.uk"
    assert OWN_WORDS in parse_qs(parts.query)["body"][0]
    tab_to(page, page.get_by_role("link", name="Print and post"))
    press_to_leave(page)

    addresses = page.locator("address").all_inner_texts()
    assert "Jane Doe" in addresses[0] and "SW1A 0AA" in addresses[0]
    assert "Rachel Blake MP" in addresses[1] and "House of Commons" in addresses[1]
    no_violations(page)
    shoot(page, "7-print")
    tab_to(page, page.get_by_role("link", name="I have posted it"))
    press_to_leave(page)


def test_a_supporter_reads_prays_and_writes_to_their_mp_by_keyboard(page, live_server, seeded_site):
    page.set_viewport_size(PHONE)
    read_and_pray(page, live_server)
    letters = count(page.locator(".progress-count"))

    write_by_keyboard(page)
    send_and_post_by_keyboard(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for writing")
    assert count(page.locator(".progress-count")) == letters + 1
    no_violations(page)
    shoot(page, "8-thank-you")
    letter = Letter.objects.get()
    assert (letter.recipient_name, letter.delivery) == ("Rachel Blake", "email_app")
    assert page.console_errors == [] and page.script_errors == []
