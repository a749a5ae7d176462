from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.models import Parliament, Representative
from campaigns.models.parliaments import COMMONS, DAIL, HOLYROOD, NI_ASSEMBLY, SENEDD
from tests.support.campaign_factories import make_area, make_member, make_region, make_share

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


def violates_constraint(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()
    return True


def test_the_five_parliaments_are_seeded_with_their_member_suffixes():
    suffixes = dict(Parliament.objects.values_list("slug", "member_suffix"))

    assert suffixes == {
        COMMONS: "MP",
        HOLYROOD: "MSP",
        SENEDD: "MS",
        NI_ASSEMBLY: "MLA",
        DAIL: "TD",
    }
    assert list(Parliament.objects.values_list("slug", flat=True))[:3] == [
        COMMONS,
        HOLYROOD,
        SENEDD,
    ]


def test_only_the_senedd_assembly_and_dail_elect_several_members_per_constituency():
    several = set(Parliament.objects.filter(multi_member_areas=True).values_list("slug", flat=True))

    assert several == {SENEDD, NI_ASSEMBLY, DAIL}


def test_northern_ireland_assembly_and_dail_have_no_members_yet():
    for slug in (NI_ASSEMBLY, DAIL):
        assert not Representative.objects.filter(area__parliament__slug=slug).exists()


def test_an_area_code_is_unique_within_a_parliament_only():
    make_area(code="E14001172")

    assert violates_constraint(lambda: make_area(code="E14001172"))
    make_area(HOLYROOD, code="E14001172")  # another parliament may reuse a code


def test_an_area_has_at_least_one_seat():
    assert violates_constraint(lambda: make_area(seats=0))


def test_only_a_constituency_lies_within_a_region():
    region = make_region()

    assert violates_constraint(lambda: make_region(parent=region))


def test_a_constituency_parent_must_be_a_region_of_the_same_parliament():
    other = make_area()
    constituency = make_area(HOLYROOD, parent=other)

    with pytest.raises(ValidationError, match="region of the same parliament"):
        constituency.clean()


def test_a_term_cannot_end_before_it_begins():
    area = make_area()

    assert violates_constraint(
        lambda: make_member(area, in_office_from=TODAY, in_office_to=date(2026, 1, 1))
    )


def test_a_seat_cannot_hold_two_open_terms_for_one_name_or_one_id():
    area = make_area()
    make_member(area, name="Rachel Blake", official_id="5134")

    assert violates_constraint(lambda: make_member(area, name="Rachel Blake"))
    assert violates_constraint(lambda: make_member(area, name="R. Blake", official_id="5134"))


def test_an_ended_term_leaves_room_for_the_same_member_again():
    area = make_area()
    make_member(area, name="Rachel Blake", in_office_to=date(2026, 3, 1))

    make_member(area, name="Rachel Blake")

    assert Representative.objects.filter(name="Rachel Blake").count() == 2


def test_current_lists_members_in_office_on_the_day():
    area = make_area()
    sitting = make_member(area, in_office_from=date(2024, 7, 4))
    unknown_start = make_member(area)
    make_member(area, in_office_to=TODAY)  # ended today: no longer in office
    make_member(area, in_office_from=date(2027, 1, 1))  # not yet begun
    ends_later = make_member(area, in_office_to=date(2027, 5, 1))

    current = set(Representative.objects.current(on=TODAY))

    assert current == {sitting, unknown_start, ends_later}
    assert Representative.objects.out_of_office(on=TODAY).count() == 2


def test_a_postcode_share_lies_between_zero_and_one():
    area = make_area()

    assert violates_constraint(lambda: make_share("SW1A 0", area, share="0"))
    assert violates_constraint(lambda: make_share("SW1A 1", area, share="1.5"))


def test_a_postcode_share_prefix_fits_its_granularity():
    area = make_area()
    share = make_share("SW1A 0", area)
    share.granularity = "district"

    assert violates_constraint(share.save)


def test_a_postcode_share_is_unique_per_prefix_and_area():
    area = make_area()
    make_share("SW1A 0", area)

    assert violates_constraint(lambda: make_share("SW1A 0", area))


def test_a_member_page_url_uses_the_parliament_template():
    member = make_member(make_area(), official_id="5134")

    assert member.member_page_url() == "https://members.parliament.uk/member/5134/contact"
    assert make_member(make_area(SENEDD), official_id="33693").member_page_url() == ""


def test_area_nation_comes_from_its_code():
    assert make_area(code="N05000001").nation == "Northern Ireland"
    assert make_area(HOLYROOD, code="S16000182").nation == "Scotland"
