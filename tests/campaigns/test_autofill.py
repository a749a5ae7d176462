"""WCAG 2.2 1.3.5: every field asking for the supporter's own details says what it is, so
browsers can fill it in (``autocomplete``)."""

import pytest

from tests.support.html import content, tags
from tests.support.letters import compose_url

pytestmark = pytest.mark.django_db

# A field's name in our forms, and the token it must carry.
PERSONAL = {
    "name": "name",
    "email": "email",
    "address": "street-address",
    "postcode": "postal-code",
    # The booklet order's address, line by line.
    "address_line1": "address-line1",
    "address_line2": "address-line2",
    "town": "address-level2",
    "county": "address-level1",
    "country": "country",
}


def personal_fields(html):
    fields = tags(html, "input") + tags(html, "textarea") + tags(html, "select")
    return [
        field
        for field in fields
        if field.get("name") in PERSONAL and field.get("type") not in ("hidden",)
    ]


def public_forms(campaign, mp):
    return {
        "campaign page": campaign.get_absolute_url(),
        "write step": f"{campaign.get_absolute_url()}write/",
        "write step with a postcode": f"{campaign.get_absolute_url()}write/?postcode=SW1A+0AA",
        "representatives": "/representatives/",
        "compose step": compose_url(campaign, [mp]),
        "booklet order": "/world-watch-list/booklet/",
    }


def test_every_personal_field_on_a_public_form_says_what_it_is(client, campaign, mp):
    seen = set()
    for page, url in public_forms(campaign, mp).items():
        response = client.get(url)
        assert response.status_code == 200, page
        for field in personal_fields(content(response)):
            seen.add(field["name"])
            assert field.get("autocomplete") == PERSONAL[field["name"]], (page, field)

    assert seen == set(PERSONAL)  # every kind of personal field was found and checked
