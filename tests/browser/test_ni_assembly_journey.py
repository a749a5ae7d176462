"""A supporter in Northern Ireland finds their MLAs from the list of Assembly constituencies
(no open table places BT postcodes in them), and writes to one.

The MLAs are invented (tests.support.ni_assembly): no checked list is shipped.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Letter, Representative
from campaigns.models.parliaments import NI_ASSEMBLY
from tests.support.browser import PHONE, no_violations
from tests.support.campaign_factories import make_campaign
from tests.support.ni_assembly import seeds_with_fictional_mlas
from tests.support.worker import run_due_tasks

OWN_WORDS = (
    "Our church on the Ormeau Road prays every week for Christians in prison for their faith, "
    "and a family in our congregation came here fleeing that persecution themselves."
)


@pytest.fixture
def mlas(transactional_db, tmp_path):
    """The shipped open data, with an invented members file where staff would add theirs."""
    call_command("import_representatives", source=seeds_with_fictional_mlas(tmp_path / "seeds"))


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_a_belfast_supporter_chooses_their_assembly_constituency_and_sees_five_mlas(
    phone, live_server, mlas
):
    phone.goto(f"{live_server.url}{reverse('campaigns:representatives')}")
    phone.get_by_role("textbox", name="Postcode").fill("bt7 1nn")
    phone.get_by_role("button", name="Find my representatives").click()
    no_violations(phone)
    phone.get_by_role("combobox", name="Your Assembly constituency, for your MLAs").select_option(
        label="Belfast South"
    )
    phone.get_by_role("button", name="Show my representatives").click()

    assembly = phone.locator("[aria-labelledby=parliament-northern-ireland-assembly]")
    names = assembly.locator(".member-name").all_inner_texts()
    assert len(names) == 5 and all(name.endswith(" MLA") for name in names)
    assert "Belfast South" in assembly.locator("h3").inner_text()
    assert "Parliament Buildings" in assembly.locator(".by-post").inner_text()
    # The MP is still to be chosen, from the Westminster list.
    assert phone.get_by_role("combobox", name="Your Westminster constituency, for your MP")
    no_violations(phone)
    assert phone.console_errors == [] and phone.script_errors == []


def choose_mla(page, live_server, campaign, name):
    page.goto(f"{live_server.url}{reverse('campaigns:write', args=[campaign.slug])}")
    page.get_by_role("textbox", name="Your postcode").fill("BT7 1NN")
    page.get_by_role("button", name="Find my representatives").click()
    page.get_by_role("combobox", name="Your Assembly constituency, for your MLAs").select_option(
        label="Belfast South"
    )
    page.get_by_role("button", name="Show my MLAs").click()
    no_violations(page)
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("checkbox", name=re.compile(name)).check()
    page.get_by_role("button", name="Write my letter").click()
    page.get_by_role("textbox", name="Why does this matter to you?").fill(OWN_WORDS)
    page.get_by_role("textbox", name="Your full name").fill("Siobhan Kelly")
    page.get_by_role("textbox", name="Your email address").fill("siobhan@example.org")
    page.get_by_role("textbox", name="Your postal address").fill("12 Ormeau Road\nBelfast")
    no_violations(page)


def test_an_assembly_campaign_makes_a_print_letter_and_an_email_to_the_test_recipient(
    phone, live_server, mlas, settings
):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    campaign = make_campaign(parliaments=(NI_ASSEMBLY,), title="Free the prisoners", slug="free")
    first, second = Representative.objects.filter(area__name="Belfast South")[:2]

    choose_mla(phone, live_server, campaign, first.name)
    phone.get_by_role("button", name="Print it and post it").click()
    no_violations(phone)
    phone.get_by_role("link", name="Print and post").click()
    sender, recipient = phone.locator("address").all_inner_texts()[:2]
    assert "Siobhan Kelly" in sender and "BT7 1NN" in sender
    assert f"{first.name} MLA" in recipient and "Parliament Buildings" in recipient
    assert "Stormont" in recipient and "BT4 3XX" in recipient
    assert Letter.objects.get().body.startswith(f"{first.salutation},")
    assert re.match(r"Dear (Ms|Mr|Mrs|Dr|Mx) Example\d+ MLA$", first.salutation)

    # Staff have checked an address for one MLA in the admin: that MLA can be sent a letter.
    Representative.objects.filter(pk=second.pk).update(email="mla@example.org")
    choose_mla(phone, live_server, campaign, second.name)
    phone.get_by_role("button", name="Send it for me").click()
    assert "check your email" in phone.locator("h1").inner_text().lower()
    (confirmation,) = mail.outbox
    link = re.search(r"(http://\S+/letters/confirm/\S+/)", confirmation.body).group(1)
    phone.goto(link)
    phone.get_by_role("button", name="Confirm and send").click()
    assert run_due_tasks() == ["sent"]

    (sent,) = [m for m in mail.outbox if m.to == ["test-inbox@example.org"]]
    assert f"{second.salutation}," in sent.body and OWN_WORDS in sent.body
    assert phone.console_errors == [] and phone.script_errors == []
