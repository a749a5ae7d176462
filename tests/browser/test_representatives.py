"""A supporter on a phone finds their representatives from a postcode, choosing where split."""

import pytest
from django.core.management import call_command

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def representatives(transactional_db):
    call_command("import_representatives", verbosity=0)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def find(page, live_server, postcode):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Your representatives").click()
    page.get_by_role("textbox", name="Postcode").fill(postcode)
    page.get_by_role("button", name="Find my representatives").click()


def test_a_split_sector_asks_which_constituency_then_lists_the_msps(
    phone, live_server, representatives
):
    find(phone, live_server, "eh99 1sp")

    assert "Representatives for EH99 1SP" in phone.locator("main").inner_text()
    phone.get_by_role("link", name="Edinburgh Central").click()
    phone.get_by_role("link", name="Edinburgh East and Musselburgh").click()

    page_text = phone.locator("main").inner_text()
    assert "Edinburgh Central" in page_text
    assert phone.locator(".member").count() == 1 + 1 + 7  # MP, constituency MSP, regional MSPs
    assert "MSP" in page_text and "MP" in page_text


def test_a_bad_postcode_keeps_what_was_typed_and_says_why(phone, live_server, representatives):
    find(phone, live_server, "hello")

    field = phone.get_by_role("textbox", name="Postcode")
    assert field.input_value() == "hello"
    assert field.get_attribute("aria-invalid") == "true"
    assert phone.locator(".error-message").inner_text().strip() != ""
