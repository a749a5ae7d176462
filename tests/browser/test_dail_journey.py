"""A supporter in Ireland finds their TDs without an Eircode table, and writes to them."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Letter, Representative
from campaigns.models.parliaments import DAIL
from tests.support.browser import PHONE, no_violations
from tests.support.campaign_factories import make_campaign
from tests.support.worker import run_due_tasks

OWN_WORDS = (
    "Our parish in Phibsborough prays every week for Christians in prison for their faith, "
    "and two families in our congregation came here fleeing that persecution themselves."
)


@pytest.fixture
def tds(transactional_db):
    """The real open data: the 174 TDs of the 34th Dáil among the rest."""
    call_command("import_representatives", verbosity=0)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_a_dublin_supporter_finds_their_tds_by_county_then_constituency(phone, live_server, tds):
    phone.goto(f"{live_server.url}{reverse('campaigns:representatives')}")
    phone.get_by_role("link", name="Live in Ireland? Find your TDs.").click()
    no_violations(phone)
    phone.get_by_role("combobox", name="Your county").select_option("Dublin")
    phone.get_by_role("button", name="Show the constituencies").click()
    no_violations(phone)
    phone.get_by_role("link", name="Dublin Central").click()

    names = phone.locator(".member-name").all_inner_texts()
    assert "Mary Lou McDonald TD" in names and len(names) == 4
    assert "Leinster House" in phone.locator(".by-post").inner_text()
    no_violations(phone)
    assert phone.console_errors == [] and phone.script_errors == []


def choose_td(page, live_server, campaign, name):
    page.goto(f"{live_server.url}{reverse('campaigns:write', args=[campaign.slug])}")
    page.get_by_role("combobox", name="Your Dáil constituency").select_option(
        label="Dublin Central"
    )
    page.get_by_role("button", name="Find my TDs").click()
    no_violations(page)
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("checkbox", name=re.compile(name)).check()
    page.get_by_role("button", name="Write my letter").click()
    page.get_by_role("textbox", name="Why does this matter to you?").fill(OWN_WORDS)
    page.get_by_role("textbox", name="Your full name").fill("Aoife Byrne")
    page.get_by_role("textbox", name="Your email address").fill("aoife@example.org")
    page.get_by_role("textbox", name="Your postal address").fill("4 Eccles Street\nDublin 7")
    page.get_by_role("textbox", name="Eircode (optional)").fill("d07 x2y3")
    no_violations(page)


def test_a_dail_campaign_makes_a_print_letter_and_an_email_to_the_test_recipient(
    phone, live_server, tds, settings
):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    campaign = make_campaign(parliaments=(DAIL,), title="Free the prisoners", slug="free-them")

    choose_td(phone, live_server, campaign, "Mary Lou McDonald")
    assert phone.get_by_role("combobox", name="County").input_value() == "Dublin"
    phone.get_by_role("button", name="Print it and post it").click()
    no_violations(phone)
    phone.get_by_role("link", name="Print and post").click()
    sender, recipient = phone.locator("address").all_inner_texts()[:2]
    assert "Aoife Byrne" in sender and "D07 X2Y3" in sender
    assert "Mary Lou McDonald TD" in recipient and "Leinster House" in recipient
    assert "D02 XR20" in recipient
    assert Letter.objects.get().body.startswith("Dear Deputy McDonald,")

    # Staff have checked an address for one TD in the admin: that TD can be sent a letter.
    Representative.objects.filter(name="Gary Gannon").update(email="gary.gannon@example.org")
    choose_td(phone, live_server, campaign, "Gary Gannon")
    phone.get_by_role("button", name="Send it for me").click()
    assert "check your email" in phone.locator("h1").inner_text().lower()
    (confirmation,) = mail.outbox
    link = re.search(r"(http://\S+/letters/confirm/\S+/)", confirmation.body).group(1)
    phone.goto(link)
    phone.get_by_role("button", name="Confirm and send").click()
    assert run_due_tasks() == ["sent"]

    (sent,) = [m for m in mail.outbox if m.to == ["test-inbox@example.org"]]
    assert "Dear Deputy Gannon," in sent.body and OWN_WORDS in sent.body
    assert phone.console_errors == [] and phone.script_errors == []
