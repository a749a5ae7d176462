"""The reply flow end to end through the mail files the development settings write: a letter
sent for the supporter, two weeks on the question arrives as a file, its "Yes" link opens the
answer page, and the button records the answer and the reply the supporter agreed we keep."""

import email
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Letter
from tests.support.browser import PHONE, no_violations
from tests.support.worker import run_due_tasks

STORY = "/stories/china-returns-600-north-korean-refugees/"
OWN_WORDS = "We pray for North Korea's hidden believers at our house group every Thursday night."
CHURCH = (
    "Our church in Westminster has welcomed refugee families for years, and we ask you to "
    "speak for those being sent back across the border against their will."
)
REPLY_WORDS = "Thank you for your letter. I have written to the Foreign Secretary about this."


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def mail_files(settings, tmp_path, live_server):
    """Mail as `manage.py runserver` with the dev settings writes it: one file per connection."""
    directory = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(directory)
    settings.SITE_URL = live_server.url
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    return directory


def messages(directory):
    """Every message in the mail files, oldest file first."""
    found = []
    for path in sorted(directory.glob("*.log"), key=lambda path: path.stat().st_mtime_ns):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                found.append(email.message_from_bytes(raw.strip()))
    return found


def body(message):
    return message.get_payload(decode=True).decode()


def link_in(directory, subject, pattern):
    (message,) = [m for m in messages(directory) if m["Subject"] == subject]
    return re.search(pattern, body(message)).group(1)


def start_letter(page, live_server):
    """From the seed story to the letter for the MP of SW1A 0AA."""
    page.goto(f"{live_server.url}{STORY}")
    page.get_by_role("link", name="Ask your MP to speak up").click()
    page.get_by_role("textbox", name="Your postcode").fill("SW1A 0AA")
    page.get_by_role("button", name="Find my representatives").click()
    page.get_by_role("button", name="Write my letter").click()


def expect_error_summary(page, message):
    """The summary names the problem and has the focus as the page loads."""
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()
    no_violations(page)


def test_did_your_member_reply_answered_from_the_mail_file(
    phone, live_server, seeded_site, mail_files
):
    start_letter(phone, live_server)
    phone.get_by_role("textbox", name="Why does the fate of these refugees matter to you?").fill(
        OWN_WORDS
    )
    phone.get_by_role("textbox", name="Does your church pray for North Korea").fill(CHURCH)
    phone.get_by_role("textbox", name="Your full name").fill("Jane Doe")
    phone.get_by_role("textbox", name="Your email address").fill("jane@example.org")
    phone.get_by_role("textbox", name="Your postal address").fill("1 Parliament Street\nLondon")
    phone.get_by_role("button", name="Send it for me").click()
    expect(phone.locator("h1")).to_have_text(re.compile("check your email", re.IGNORECASE))
    confirm = link_in(
        mail_files,
        "Please confirm your letter to Rachel Blake MP",
        r"(http://\S+/letters/confirm/\S+/)",
    )
    phone.goto(confirm)
    phone.get_by_role("button", name="Confirm and send").click()
    expect(phone.locator("main")).to_contain_text("Confirmed: on its way.")
    assert run_due_tasks() == ["sent"]

    # Two weeks later, the daily job asks.
    letter = Letter.objects.get()
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now() - timedelta(days=15))
    call_command("send_reply_questions", verbosity=0)
    yes = link_in(mail_files, "Did Rachel Blake MP reply?", r"Yes, they replied: (http://\S+)")
    assert yes.startswith(live_server.url)

    phone.goto(yes)
    expect(phone.locator("h1")).to_have_text("Did Rachel Blake MP reply?")
    expect(phone.get_by_role("radio", name="Yes, they replied")).to_be_checked()
    keep = phone.get_by_role("checkbox", name=re.compile("keep this reply"))
    expect(keep).not_to_be_checked()
    no_violations(phone)
    letter.refresh_from_db()
    assert letter.reply == ""  # opening the link answered nothing

    reply = phone.get_by_role("textbox", name="Their reply (optional)")
    reply.fill(REPLY_WORDS)
    phone.get_by_role("button", name="Save my answer").click()
    expect_error_summary(phone, "Tick the box to let us keep the reply")
    expect(reply).to_have_value(REPLY_WORDS)
    phone.get_by_role("link", name=re.compile("Tick the box")).click()
    expect(keep).to_be_focused()
    keep.check()
    phone.get_by_role("button", name="Save my answer").click()

    expect(phone.get_by_role("status")).to_contain_text("Thank you: your answer is saved")
    no_violations(phone)
    letter.refresh_from_db()
    assert letter.reply == Letter.Reply.YES and letter.reply_text == REPLY_WORDS
    # Once the letter is anonymised, the link says the question has closed.
    call_command("erase_supporter_data", "jane@example.org", verbosity=0)
    phone.goto(yes)
    expect(phone.locator("h1")).to_have_text("This question has closed")
    no_violations(phone)
    # Run again, as cron does tomorrow: no second question.
    call_command("send_reply_questions", verbosity=0)
    assert [m["Subject"] for m in messages(mail_files)].count("Did Rachel Blake MP reply?") == 1
