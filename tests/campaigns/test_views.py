"""The public page and the About page, on the real imported open data."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from campaigns.models import Representative
from tests.support.html import content, inner_html, links, select, select_one, tags, text
from tests.support.queries import LOOKUP_MAX_QUERIES

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Europe/London"))
PAGE = "/representatives/"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def page(client, imported, db):
    def get(postcode, *areas):
        response = client.get(PAGE, {"postcode": postcode, "area": list(areas)})
        assert response.status_code == 200
        return content(response)

    return get


def section(html, slug):
    """The markup of one parliament's section."""
    start = html.index(f'aria-labelledby="parliament-{slug}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_sw1a_0aa_lists_the_mp_for_cities_of_london_and_westminster(page):
    html = page("SW1A 0AA")

    commons = text(section(html, "house-of-commons"))
    assert "Cities of London and Westminster" in commons
    assert "Rachel Blake MP" in commons
    assert "Labour (Co-op)" in commons
    assert "mailto:rachel.blake.mp@parliament.uk" in links(html)
    assert "scottish-parliament" not in html


def test_a_lowercase_postcode_without_a_space_is_understood(page):
    assert "Rachel Blake MP" in text(page("sw1a0aa"))


def test_eh99_1sp_asks_which_constituency_in_each_split_parliament(page):
    html = page("EH99 1SP")

    holyrood = section(html, "scottish-parliament")
    assert "Which one is yours?" in text(holyrood)
    choices = [href for href in links(holyrood) if "area=" in href]
    assert choices == [
        f"{PAGE}?postcode=EH99+1SP&area=S16000182",
        f"{PAGE}?postcode=EH99+1SP&area=S16000185",
    ]
    assert "about 50% of addresses" in text(holyrood)
    # Both candidates lie in one region, so its seven members are listed already.
    assert len(tags(inner_html(holyrood, "ul", "members") or "", "li")) == 7
    assert "Which one is yours?" in text(section(html, "house-of-commons"))


def test_eh99_1sp_once_chosen_lists_the_mp_the_constituency_msp_and_seven_regional_msps(page):
    html = page("EH99 1SP", "S16000182", "S14000078")

    assert "Chris Murray MP" in text(section(html, "house-of-commons"))
    holyrood = section(html, "scottish-parliament")
    assert "Edinburgh Central" in text(holyrood)
    assert "Your constituency MSP." in text(holyrood)
    assert "Edinburgh and Lothians East region" in text(holyrood)
    assert text(holyrood).count(" MSP ") == 1 + 7
    assert "Choose again" in text(holyrood)


def test_cf99_1sn_lists_the_mp_and_six_members_of_the_senedd_as_equals(page):
    html = page("CF99 1SN")

    assert "Stephen Doughty MP" in text(section(html, "house-of-commons"))
    senedd = text(section(html, "senedd"))
    assert "Caerdydd Penarth" in senedd
    assert "Your 6 Members of the Senedd, all representing you equally" in senedd
    assert senedd.count(" MS ") == 6
    assert "Senedd Cymru – Welsh Parliament" in senedd  # no emails: the postal address


@pytest.mark.parametrize("typed", ["hello", "SW1A", "12345"])
def test_a_malformed_postcode_reshows_the_form_with_the_message_and_what_was_typed(page, typed):
    html = page(typed)

    field = select_one(html, "main input")
    assert field["value"] == typed
    assert field["aria-invalid"] == "true"
    assert "postcode-error" in field["aria-describedby"]
    assert "That is not a full UK postcode" in text(html)
    assert 'aria-labelledby="parliament-' not in html


def test_an_unknown_postcode_says_so_and_offers_every_constituency(page):
    html = page("ZZ99 9ZZ")

    assert "We could not find ZZ99 9ZZ" in text(html)
    assert select_one(html, "main input")["value"] == "ZZ99 9ZZ"
    assert len(tags(html, "option")) == 650
    assert [group["label"] for group in tags(html, "optgroup")] == [
        "England",
        "Northern Ireland",
        "Scotland",
        "Wales",
    ]


def test_a_northern_ireland_postcode_is_honest_and_offers_the_18_seats_of_each_list(page):
    html = page("BT4 3XX")

    assert "Our postcode data covers Great Britain only" in text(html)
    westminster = [o["value"] for o in select(html, "#area option") if o["value"]]
    assembly = [o.get_text() for o in select(html, "#assembly-area option") if o["value"]]
    assert len(westminster) == 18 and all(code.startswith("N05") for code in westminster)
    assert len(assembly) == 18 and "Belfast South" in assembly  # the 2008 order's seats
    assert select_one(html, "label[for=assembly-area]")
    # No MLA list is shipped: the page says so rather than show empty seats.
    assert "The Assembly's members are not yet loaded on this site" in text(html)


def test_a_northern_ireland_constituency_chosen_from_the_list_gives_the_mp(page):
    html = page("BT4 3XX", "N05000001")

    assert "Gavin Robinson MP" in text(section(html, "house-of-commons"))
    assert select_one(html, "#assembly-area")  # the MLAs are still to be chosen
    assert not select(html, "select#area")


def test_an_assembly_constituency_chosen_while_no_mlas_are_loaded_says_so(page):
    html = page("BT4 3XX", "N05000001", "N06000001")

    assembly = text(section(html, "northern-ireland-assembly"))
    assert "Belfast East" in assembly
    assert "the northern ireland assembly's members are not yet loaded" in assembly.casefold()
    assert "Your 5 Members" not in assembly
    assert "One seat here has no member" not in assembly
    assert "Gavin Robinson MP" in text(section(html, "house-of-commons"))
    assert not select(html, "select")  # both chosen: nothing left to ask


def test_a_seat_marked_out_of_office_offers_no_one_and_says_why(page):
    Representative.objects.filter(name="Rachel Blake").update(
        in_office_to=date(2026, 11, 1), end_reason="Parliament is dissolved for an election."
    )

    commons = text(section(page("SW1A 0AA"), "house-of-commons"))

    assert "Rachel Blake" not in commons
    assert "This seat has no member at the moment. Parliament is dissolved" in commons


@pytest.mark.parametrize(
    "query",
    [
        {"postcode": "SW1A 0AA"},
        {"postcode": "EH99 1SP"},
        {"postcode": "EH99 1SP", "area": ["S16000182", "S14000078"]},
        {"postcode": "CF99 1SN"},
        {"postcode": "ZZ99 9ZZ"},
        {"postcode": "BT4 3XX", "area": "N05000001"},
        {"postcode": "BT4 3XX", "area": ["N05000001", "N06000001"]},
        {"postcode": "BT4 3XX"},
    ],
)
def test_the_page_makes_at_most_three_queries(
    client, imported, db, query, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        response = client.get(PAGE, query)

    assert response.status_code == 200


def test_the_empty_page_has_one_heading_a_labelled_field_and_no_script(client, imported, db):
    html = content(client.get(PAGE))

    assert len(tags(html, "h1")) == 1
    label = select_one(html, "main label")
    assert label["for"] == "id_postcode"
    assert "Postcode" in text(html)
    assert select_one(html, "main input")["autocomplete"] == "postal-code"
    assert not tags(html, "script")
    assert "parliament-" not in html


def test_every_result_page_has_one_heading(page):
    for postcode in ("SW1A 0AA", "EH99 1SP", "CF99 1SN", "ZZ99 9ZZ", "BT4 3XX", "hello"):
        assert len(tags(page(postcode), "h1")) == 1, postcode


def test_every_page_links_to_the_lookup_and_to_about_our_data(client, db):
    html = content(client.get(reverse("campaigns:about_data")))

    assert PAGE in links(html)
    assert "/about/data/" in links(html)


def test_about_our_data_credits_every_source_and_licence(client, db):
    response = client.get("/about/data/")

    page_text = text(content(response))
    assert response.status_code == 200
    assert len(tags(content(response), "h1")) == 1
    for credit in [
        "Contains Parliamentary information licensed under the Open Parliament Licence v3.0",
        "Democracy Club",
        "Contains OS data © Crown copyright and database right 2023",
        "Contains Royal Mail data © Royal Mail copyright and database right 2023",
        "Source: Office for National Statistics licensed under the Open Government Licence v3.0",
        "MIT licence",
        "Data © Open Doors International, “World Watch List 2025”",
    ]:
        assert credit in page_text
