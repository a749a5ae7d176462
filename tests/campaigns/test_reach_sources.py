"""Source codes: what a campaign link's ?source= or utm_ parameters become, and what is dropped."""

import pytest
from django.http import QueryDict

from campaigns.models import Letter
from campaigns.reach.sources import letters_by_source, normalise_source, source_from_query
from tests.support.admin import make_letter
from tests.support.campaign_factories import make_area, make_campaign, make_member


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("newsletter", "newsletter"),
        ("  Church-Leeds ", "church-leeds"),
        ("Spring Appeal 2026", "spring-appeal-2026"),
        ("partner_site", "partner_site"),
        ("a.b+c/d", "a-b-c-d"),
        ("--odd--", "odd"),
        ("Ünïcode!", "n-code"),
        ("x" * 60, "x" * 40),
        ("a" * 39 + "-b", "a" * 39),  # cut at 40, without a dangling dash
        ("", ""),
        ("!!!", ""),
        (None, ""),
    ],
)
def test_a_code_is_lowercase_letters_digits_dash_and_underscore(given, kept):
    assert normalise_source(given) == kept


@pytest.mark.parametrize(
    "personal",
    [
        "jane@example.org",
        "jane%40example.org",
        "07700 900123",  # a phone number, spaced
        "+44-20-7946-0000",
        "tel0770090012",
        "member-1234567",  # a long digit run: a membership or order number
        "sw1a 1aa",  # postcodes, however written
        "SW1A1AA",
        "church-ls6-2ab",
        "ls6_2ab-leeds",
        "e1-6an",
        "a3f9c2d1e8b7a6f5c4d3",  # a mailing tool's per-person id
    ],
)
def test_anything_that_looks_personal_is_dropped_whole(personal):
    assert normalise_source(personal) == ""


@pytest.mark.parametrize("fine", ["easter-2026", "week1-2nd", "m25-campaign", "church-123"])
def test_codes_with_a_few_digits_are_kept(fine):
    assert normalise_source(fine) == fine


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("source=church-leeds", "church-leeds"),
        ("source=church-leeds&utm_source=newsletter", "church-leeds"),  # ?source= wins
        ("utm_source=Newsletter", "newsletter"),
        ("utm_source=newsletter&utm_medium=email&utm_campaign=spring", "newsletter-email"),
        ("utm_medium=email", ""),  # a medium alone says too little
        ("utm_source=jane@example.org&utm_medium=email", ""),
        ("utm_source=facebook&utm_medium=07700900123", "facebook"),
        ("source=jane@example.org&utm_source=newsletter", ""),  # a dropped code is not replaced
        ("", ""),
    ],
)
def test_the_code_comes_from_source_or_the_utm_parameters(query, code):
    assert source_from_query(QueryDict(query)) == code


@pytest.mark.django_db
def test_letters_are_counted_by_source_for_their_campaign_only():
    campaign, other = make_campaign(slug="one"), make_campaign(slug="two")
    mp = make_member(make_area())
    for source in ["church", "church", "newsletter", ""]:
        make_letter(campaign, mp, source=source)
    make_letter(other, mp, source="church")
    unconfirmed = {"delivery": Letter.Delivery.SEND_FOR_ME, "state": Letter.State.PENDING}
    make_letter(campaign, mp, source="church", **unconfirmed)  # not in the count yet

    assert letters_by_source(campaign) == [("church", 2), ("", 1), ("newsletter", 1)]
