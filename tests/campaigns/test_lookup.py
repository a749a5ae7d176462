from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from campaigns.lookup.service import MAX_QUERIES, InvalidPostcode, lookup_postcode
from campaigns.models.parliaments import COMMONS, HOLYROOD, SENEDD
from tests.support.campaign_factories import (
    make_area,
    make_member,
    make_scottish_seat,
    make_share,
    make_welsh_seat,
)
from tests.support.queries import LOOKUP_MAX_QUERIES

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


def lookup(postcode, *chosen):
    return lookup_postcode(postcode=postcode, chosen=chosen, on=TODAY)


def by_slug(result):
    return {item.parliament.slug: item for item in result.parliaments}


def names(seat):
    return [member.name for member in seat.members]


@pytest.fixture
def westminster():
    area = make_area(code="E14001172", name="Cities of London and Westminster")
    make_member(area, name="Rachel Blake", party="Labour (Co-op)")
    make_share("SW1A 0", area)
    return area


def test_a_postcode_is_normalised_before_the_lookup(westminster):
    result = lookup("sw1a0aa")

    assert str(result.postcode) == "SW1A 0AA"
    assert names(by_slug(result)[COMMONS].constituency) == ["Rachel Blake"]


def test_a_malformed_postcode_is_refused():
    with pytest.raises(InvalidPostcode):
        lookup("hello")


def test_the_sector_decides_before_the_district(westminster):
    elsewhere = make_area(name="Elsewhere")
    make_share("SW1A", elsewhere)  # the district points somewhere else

    result = lookup("SW1A 0AA")

    assert by_slug(result)[COMMONS].constituency.area == westminster
    assert not by_slug(result)[COMMONS].by_district


def test_the_district_answers_when_no_table_knows_the_sector(westminster):
    make_share("SW1A", westminster)

    result = lookup("SW1A 2AA")  # sector SW1A 2 is in no table

    item = by_slug(result)[COMMONS]
    assert item.constituency.area == westminster
    assert item.by_district


def test_a_split_sector_offers_every_candidate_by_share_and_asks():
    north = make_area(name="North")
    south = make_area(name="South")
    make_share("AB1 2", south, share="0.3")
    make_share("AB1 2", north, share="0.7")

    item = by_slug(lookup("AB1 2CD"))[COMMONS]

    assert item.needs_choice
    assert [(c.area, c.share) for c in item.candidates] == [
        (north, Decimal("0.7")),
        (south, Decimal("0.3")),
    ]


def test_choosing_a_candidate_settles_a_split_sector():
    north = make_area(name="North")
    south = make_area(name="South")
    make_member(south, name="Southern MP")
    make_share("AB1 2", north, share="0.7")
    make_share("AB1 2", south, share="0.3")

    item = by_slug(lookup("AB1 2CD", south.code))[COMMONS]

    assert not item.needs_choice
    assert names(item.constituency) == ["Southern MP"]


def test_a_choice_that_is_not_a_candidate_is_ignored():
    make_share("AB1 2", make_area(), share="0.5")
    make_share("AB1 2", make_area(), share="0.5")
    stranger = make_area()

    assert by_slug(lookup("AB1 2CD", stranger.code))[COMMONS].needs_choice


def test_a_scottish_postcode_gets_the_mp_the_constituency_msp_and_seven_regional_msps():
    make_scottish_seat()

    result = by_slug(lookup("EH99 1SP"))

    assert names(result[COMMONS].constituency) == ["Chris Murray"]
    assert names(result[HOLYROOD].constituency) == ["Lorna Slater"]
    assert result[HOLYROOD].region.area.name == "Edinburgh and Lothians East"
    assert names(result[HOLYROOD].region) == [f"List member {n}" for n in range(1, 8)]


def test_a_split_scottish_sector_in_one_region_still_lists_the_regional_msps():
    _westminster, holyrood, region = make_scottish_seat()
    neighbour = make_area(HOLYROOD, code="S16000185", name="Edinburgh North Western", parent=region)
    holyrood.postcode_shares.update(share=Decimal("0.5"))
    make_share("EH99 1", neighbour, share="0.5")

    item = by_slug(lookup("EH99 1SP"))[HOLYROOD]

    assert item.needs_choice
    assert len(item.region.members) == 7


def test_a_welsh_postcode_gets_the_mp_and_six_equal_members_of_the_senedd_by_party_and_list():
    make_welsh_seat()

    result = by_slug(lookup("CF99 1SN"))

    assert names(result[COMMONS].constituency) == ["Stephen Doughty"]
    assert names(result[SENEDD].constituency) == [
        "Plaid Cymru 1",
        "Plaid Cymru 2",
        "Plaid Cymru 3",
        "Reform UK 1",
        "Welsh Labour 1",
        "Welsh Labour 2",
    ]
    assert result[SENEDD].parliament.multi_member_areas


def test_a_border_sector_partly_in_wales_asks_and_can_be_declined():
    chester = make_area(name="Chester South and Eddisbury")
    make_share("CH4 8", chester)
    senedd = make_area(SENEDD, code="W09000050", name="Fflint Wrecsam", seats=6)
    make_share("CH4 8", senedd, share="0.38")

    asked = by_slug(lookup("CH4 8AA"))[SENEDD]
    declined = by_slug(lookup("CH4 8AA", asked.outside_choice))

    assert asked.partly_outside and asked.needs_choice
    assert SENEDD not in declined and COMMONS in declined


def test_a_northern_ireland_postcode_offers_the_northern_ireland_constituencies():
    belfast = make_area(code="N05000001", name="Belfast East")
    make_area(code="E14001172", name="Cities of London and Westminster")

    result = lookup("BT4 3XX")

    assert not result.covered
    assert result.postcode.in_northern_ireland
    assert result.choices == [belfast]


def test_a_constituency_picked_from_the_list_gives_its_mp():
    belfast = make_area(code="N05000001", name="Belfast East")
    make_member(belfast, name="Gavin Robinson")

    result = lookup("BT4 3XX", "N05000001")

    assert names(by_slug(result)[COMMONS].constituency) == ["Gavin Robinson"]


def test_an_unknown_postcode_offers_every_westminster_constituency():
    areas = {make_area(code="N05000001"), make_area(code="E14001172"), make_area(code="S14000078")}
    make_area(HOLYROOD, code="S16000182")

    result = lookup("ZZ99 9ZZ")

    assert not result.covered
    assert set(result.choices) == areas


def test_a_member_marked_out_of_office_leaves_the_seat_empty_and_says_why(westminster):
    westminster.representatives.update(
        in_office_to=date(2026, 10, 1), end_reason="Resigned on 1 October 2026."
    )

    seat = by_slug(lookup("SW1A 0AA"))[COMMONS].constituency

    assert seat.members == []
    assert seat.vacancies == ["Resigned on 1 October 2026."]


def test_one_empty_senedd_seat_leaves_the_other_five():
    _westminster, senedd = make_welsh_seat()
    senedd.representatives.filter(name="Reform UK 1").update(
        in_office_to=date(2026, 9, 1), end_reason="Died in office."
    )

    seat = by_slug(lookup("CF99 1SN"))[SENEDD].constituency

    assert len(seat.members) == 5
    assert seat.vacancies == ["Died in office."]


@pytest.mark.parametrize(
    "postcode, chosen",
    [
        ("SW1A 0AA", ()),
        ("EH99 1SP", ()),
        ("CF99 1SN", ()),
        ("SW1A 2AA", ()),  # district fallback
        ("ZZ99 9ZZ", ()),
        ("BT4 3XX", ("N05000001",)),
    ],
)
def test_a_lookup_makes_at_most_three_queries_whatever_the_data(
    postcode, chosen, westminster, django_assert_max_num_queries
):
    make_share("SW1A", westminster)
    make_scottish_seat()
    make_welsh_seat()
    make_member(make_area(code="N05000001"))
    for _ in range(30):  # more areas and members must not mean more queries
        make_member(make_area())

    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        lookup(postcode, *chosen)
    assert MAX_QUERIES == LOOKUP_MAX_QUERIES


def test_an_unknown_backend_setting_is_a_configuration_error(settings):
    settings.POSTCODE_LOOKUP_BACKEND = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        lookup("SW1A 0AA")
