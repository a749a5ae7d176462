"""A campaign link's source code, kept through the whole letter journey to the letter itself."""

from urllib.parse import urlencode

import pytest
from django.core.cache import caches

from campaigns.letters.supporters import letter_anonymise
from campaigns.models import Campaign, Letter
from core.cache_version import content_version
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_share
from tests.support.html import content, select, select_one
from tests.support.letters import OWN_WORDS, POSTCODE, letter_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def mp():
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    return make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")


@pytest.fixture
def campaign(mp):
    return make_campaign(title="Stop the forced returns", slug="stop-forced-returns")


def submitted(html, form_selector, **typed):
    """The query a browser sends from the form: its hidden and checked fields, and ``typed``."""
    form = select_one(html, form_selector)
    fields = [
        (field["name"], field.get("value", ""))
        for field in form.select("input[name]")
        if field.get("type") in ("hidden", "text", None) or field.has_attr("checked")
    ]
    fields = [(name, value) for name, value in fields if name not in typed]
    return form["action"], [*fields, *typed.items()]


def write_letter(client, landing_url, **post):
    """Land on the campaign by ``landing_url``, then type the postcode, keep the member ticked
    and send the letter as a supporter would; the letters the form made."""
    landing = content(client.get(landing_url))
    action, query = submitted(landing, "form.postcode-form", postcode=POSTCODE)
    action, query = submitted(content(client.get(action, query)), "form.members-form")
    compose = f"{action}?{urlencode(query)}"
    key = select_one(content(client.get(compose)), "input[name=key]")["value"]
    response = client.post(compose, letter_data(key, **post))
    assert response.status_code == 302, content(response)
    return list(Letter.objects.filter(idempotency_key=key))


def test_a_source_code_on_the_campaign_link_is_kept_with_the_letter(client, campaign):
    (letter,) = write_letter(client, f"{campaign.get_absolute_url()}?source=Church-Leeds")

    assert letter.source == "church-leeds"


def test_utm_parameters_make_the_code_when_there_is_no_source(client, campaign):
    url = f"{campaign.get_absolute_url()}?utm_source=newsletter&utm_medium=email&utm_campaign=x"
    (letter,) = write_letter(client, url)

    assert letter.source == "newsletter-email"


def test_a_personal_looking_code_is_never_stored(client, campaign):
    (letter,) = write_letter(client, f"{campaign.get_absolute_url()}?source=jane@example.org")

    assert letter.source == ""
    assert "jane" not in content(client.get(f"{campaign.get_absolute_url()}?source=jane@x.org"))


def test_a_letter_written_without_a_code_has_none(client, campaign):
    (letter,) = write_letter(client, campaign.get_absolute_url())

    assert letter.source == ""


def test_letters_we_send_keep_the_code_and_it_outlives_anonymising(client, campaign):
    url = f"{campaign.get_absolute_url()}?source=partner-site"
    (letter,) = write_letter(client, url, delivery="send_for_me", answer_1=OWN_WORDS)
    assert letter.source == "partner-site"

    assert letter_anonymise(letter.pk, expect={Letter.State.PENDING})

    letter.refresh_from_db()
    assert (letter.state, letter.supporter_email, letter.source) == (
        Letter.State.ANONYMISED,
        "",
        "partner-site",
    )


def test_the_code_survives_the_cached_campaign_page(client, campaign, settings):
    settings.PAGE_CACHE_SECONDS = 60
    content_version()  # the version row exists, as on a site that has served a page
    url = f"{campaign.get_absolute_url()}?source=church-leeds"
    client.get(url)  # made and stored
    Campaign.objects.filter(pk=campaign.pk).update(title="Changed behind the cache's back")
    cached = content(client.get(url))
    assert "Stop the forced returns" in cached  # served from the cache

    assert select_one(cached, "form.postcode-form input[name=source]")["value"] == "church-leeds"
    (letter,) = write_letter(client, url)
    assert letter.source == "church-leeds"
    caches["pages"].clear()


def test_another_code_gets_its_own_copy_of_the_cached_page(client, campaign, settings):
    settings.PAGE_CACHE_SECONDS = 60
    content_version()
    client.get(f"{campaign.get_absolute_url()}?source=one")

    other = content(client.get(f"{campaign.get_absolute_url()}?source=two"))
    plain = content(client.get(campaign.get_absolute_url()))

    assert select_one(other, "form.postcode-form input[name=source]")["value"] == "two"
    assert not select(plain, "input[name=source]")
    caches["pages"].clear()


def test_choosing_a_constituency_keeps_the_code(client, campaign, mp):
    other = make_area(name="Holborn and St Pancras", code="E14001290")
    make_member(other, name="Sam Okafor")
    make_share("SW1A 0", other, share="0.4")  # the sector is split: the page asks which one
    write = f"/campaigns/{campaign.slug}/write/?postcode=SW1A%200AA&source=church"

    choices = select(content(client.get(write)), ".choice-list a")

    assert choices and all("source=church" in link["href"] for link in choices)
