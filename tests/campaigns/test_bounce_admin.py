"""Staff and bounced addresses: the flag in the members' list (filterable, shown to campaign
managers), cleared by a new address or by hand; a letter's reports from the mail service."""

import pytest
from django.utils import timezone

from campaigns.models import DeliveryEvent, Letter, Representative
from tests.support.admin import act, admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    bounced = make_member(
        make_area(name="Holborn and St Pancras"),
        name="Bounced Member",
        email="gone@example.org",
        email_bounced_at=timezone.now(),
    )
    fine = make_member(make_area(name="Islington North"), name="Fine Member")
    return bounced, fine


def test_campaign_managers_see_and_filter_bounced_addresses(django_user_model, members):
    manager = staff_with(django_user_model, "view_representative", "change_campaign")
    url = admin_url("representative_changelist")
    listing = content(manager.get(url))
    assert "Address bounced" in text(listing)
    flagged = text(content(manager.get(url, {"bounced": "yes"})))
    assert "Bounced Member" in flagged and "Fine Member" not in flagged
    others = text(content(manager.get(url, {"bounced": "no"})))
    assert "Fine Member" in others and "Bounced Member" not in others


def test_a_new_address_clears_the_flag(admin_client, members):
    bounced, _ = members
    url = admin_url("representative_change", bounced.pk)
    data = {
        "name": bounced.name,
        "party": bounced.party,
        "area": bounced.area_id,
        "email": "new.office@example.org",
        "official_id": bounced.official_id,
    }
    assert admin_client.post(url, data).status_code == 302
    bounced.refresh_from_db()
    assert bounced.email == "new.office@example.org" and bounced.email_bounced_at is None


def test_saving_the_same_address_keeps_the_flag(admin_client, members):
    bounced, _ = members
    url = admin_url("representative_change", bounced.pk)
    data = {"name": "Bounced Member MP", "party": bounced.party, "area": bounced.area_id}
    data |= {"email": bounced.email, "official_id": ""}
    assert admin_client.post(url, data).status_code == 302
    assert Representative.objects.get(pk=bounced.pk).email_bounced_at is not None


def test_staff_clear_a_flag_by_hand_and_viewers_cannot(admin_client, django_user_model, members):
    bounced, _ = members
    viewer = staff_with(django_user_model, "view_representative")
    act(viewer, "bounce_flags_clear", [bounced], model="representative")
    assert Representative.objects.get(pk=bounced.pk).email_bounced_at is not None
    page = act(admin_client, "bounce_flags_clear", [bounced], model="representative")
    assert "Cleared the flag on 1 member(s)." in text(content(page))
    assert Representative.objects.get(pk=bounced.pk).email_bounced_at is None


def test_a_letters_page_lists_what_the_mail_service_reported(admin_client, members):
    bounced, _ = members
    letter = make_letter(
        make_campaign(), bounced, delivery=Letter.Delivery.SEND_FOR_ME, state=Letter.State.FAILED
    )
    DeliveryEvent.objects.create(
        letter=letter,
        kind=DeliveryEvent.Kind.BOUNCED,
        service="Mailgun",
        event_key="abc",
        recipient="gone@example.org",
        description="550 5.1.1 No such mailbox",
    )
    page = text(content(admin_client.get(admin_url("letter_change", letter.pk))))
    assert "Bounced: the office's mail server refused it (Mailgun, gone@example.org)" in page
    assert "550 5.1.1 No such mailbox" in page
    events = text(content(admin_client.get(admin_url("deliveryevent_changelist"))))
    assert letter.reference in events
