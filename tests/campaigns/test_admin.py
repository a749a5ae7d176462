from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from campaigns.lookup.service import lookup_postcode
from campaigns.models import Area, Parliament, Representative
from campaigns.models.parliaments import SENEDD
from tests.support.campaign_factories import make_area, make_member, make_share, make_welsh_seat
from tests.support.html import content, links, tags, text

pytestmark = pytest.mark.django_db

MODELS = [Parliament, Area, Representative]


@pytest.fixture
def members():
    westminster = make_area(code="E14001172", name="Cities of London and Westminster")
    rachel = make_member(westminster, name="Rachel Blake", party="Labour (Co-op)")
    make_share("SW1A 0", westminster)
    make_welsh_seat()
    gone = make_member(make_area(name="Old Seat"), name="Former Member", party="Labour")
    gone.in_office_to = date(2025, 1, 1)
    gone.save()
    return rachel


def changelist(model):
    return reverse(f"admin:campaigns_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_and_add_pages_answer(admin_client, members, model):
    listing = admin_client.get(changelist(model))
    adding = admin_client.get(reverse(f"admin:campaigns_{model._meta.model_name}_add"))

    assert listing.status_code == 200
    assert adding.status_code == 200
    first = model.objects.first()
    change = reverse(f"admin:campaigns_{model._meta.model_name}_change", args=[first.pk])
    assert admin_client.get(change).status_code == 200


def test_representatives_are_searchable_by_name_and_constituency(admin_client, members):
    by_name = text(content(admin_client.get(changelist(Representative), {"q": "Blake"})))
    by_area = text(content(admin_client.get(changelist(Representative), {"q": "Caerdydd"})))

    assert "Rachel Blake" in by_name and "Stephen Doughty" not in by_name
    assert by_area.count("Caerdydd Penarth") >= 6 and "Rachel Blake" not in by_area


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ({"in_office": "no"}, "Former Member", "Rachel Blake"),
        ({"in_office": "yes"}, "Rachel Blake", "Former Member"),
        ({"party": "Labour (Co-op)"}, "Rachel Blake", "Plaid Cymru 1"),
        ({"area__kind": "constituency", "q": "Plaid"}, "Plaid Cymru 1", "Rachel Blake"),
    ],
)
def test_representatives_filter_by_in_office_and_party(admin_client, members, query, shown, hidden):
    page = text(content(admin_client.get(changelist(Representative), query)))

    assert shown in page
    assert hidden not in page


def test_representatives_filter_by_parliament(admin_client, members):
    senedd = Parliament.objects.get(slug=SENEDD)

    page = text(
        content(
            admin_client.get(changelist(Representative), {"area__parliament__id__exact": senedd.pk})
        )
    )

    assert "Plaid Cymru 1" in page and "Rachel Blake" not in page


def test_areas_filter_by_parliament_party_and_empty_seats(admin_client, members):
    senedd = Parliament.objects.get(slug=SENEDD)

    by_parliament = text(
        content(admin_client.get(changelist(Area), {"parliament__id__exact": senedd.pk}))
    )
    vacant = text(content(admin_client.get(changelist(Area), {"seats": "vacant"})))
    by_party = text(content(admin_client.get(changelist(Area), {"party": "Plaid Cymru"})))

    assert "Caerdydd Penarth" in by_parliament and "Cities of London" not in by_parliament
    assert "Old Seat" in vacant and "Cities of London" not in vacant
    assert "Caerdydd Penarth" in by_party and "Cities of London" not in by_party


def test_the_out_of_office_action_asks_for_a_date_and_reason_first(admin_client, members):
    response = admin_client.post(
        changelist(Representative), {"action": "end_terms", ACTION_CHECKBOX_NAME: [members.pk]}
    )

    assert response.status_code == 200
    assert "Rachel Blake" in text(content(response))
    assert {field.get("name") for field in tags(content(response), "input")} >= {
        "in_office_to",
        "end_reason",
        "apply",
    }
    members.refresh_from_db()
    assert members.in_office_to is None


def test_marking_a_member_out_of_office_empties_the_seat_on_the_lookup(admin_client, members):
    response = admin_client.post(
        changelist(Representative),
        {
            "action": "end_terms",
            ACTION_CHECKBOX_NAME: [members.pk],
            "apply": "Mark out of office",
            "in_office_to": "2026-11-01",
            "end_reason": "Parliament is dissolved for the election.",
        },
        follow=True,
    )

    members.refresh_from_db()
    assert members.in_office_to == date(2026, 11, 1)
    assert "1 member(s) marked out of office" in text(content(response))
    seat = lookup_postcode(postcode="SW1A 0AA", on=date(2026, 11, 28)).parliaments[0].constituency
    assert seat.members == []
    assert seat.vacancies == ["Parliament is dissolved for the election."]


def test_the_action_leaves_members_whose_term_began_later(admin_client, members):
    members.in_office_from = date(2026, 12, 1)
    members.save()

    admin_client.post(
        changelist(Representative),
        {
            "action": "end_terms",
            ACTION_CHECKBOX_NAME: [members.pk],
            "apply": "Mark out of office",
            "in_office_to": "2026-11-01",
            "end_reason": "Dissolved.",
        },
    )

    members.refresh_from_db()
    assert members.in_office_to is None


def test_area_rows_show_members_in_office_against_seats(admin_client, members):
    page = text(content(admin_client.get(changelist(Area), {"q": "Caerdydd"})))

    assert "6 of 6" in page
    assert reverse(
        "admin:campaigns_area_change", args=[Area.objects.get(name="Caerdydd Penarth").pk]
    ) in links(content(admin_client.get(changelist(Area))))
