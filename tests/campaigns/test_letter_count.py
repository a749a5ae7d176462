"""A campaign's letter count: the recount and every increment agree on which letters count."""

import pytest

from campaigns.delivery.sending import letter_queue_again, letter_send, letters_confirm
from campaigns.letters.services import letter_counts_refresh
from campaigns.models import Campaign, Letter
from tests.support.admin import admin_url, make_letter
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, form_fields

pytestmark = pytest.mark.django_db

State, Delivery = Letter.State, Letter.Delivery


@pytest.fixture
def campaign():
    return make_campaign(title="Stop forced returns", slug="stop-forced-returns")


@pytest.fixture
def member():
    return make_member(make_area(name="Holborn and St Pancras"), name="Keir Starmer")


def make_pending(campaign, member, **overrides):
    """A letter we are to send, waiting for its writer to confirm it."""
    fields = {"delivery": Delivery.SEND_FOR_ME, "state": State.PENDING}
    return make_letter(campaign, member, **{**fields, "confirmation_hash": "h", **overrides})


def count(campaign):
    return Campaign.objects.get(pk=campaign.pk).letter_count


def save_in_admin(client, campaign):
    url = admin_url("campaign_change", campaign.pk)
    data = form_fields(content(client.get(url)), "campaign_form")
    assert client.post(url, data).status_code == 302


def test_saving_a_campaign_then_confirming_a_letter_counts_it_once(
    superuser_client,  # noqa: F811
    campaign,
    member,
):
    for _ in range(22):
        make_letter(campaign, make_member(member.area))
    pending = [make_pending(campaign, make_member(member.area)) for _ in range(2)]
    letter_counts_refresh([campaign.pk])
    assert count(campaign) == 22

    save_in_admin(superuser_client, campaign)
    assert count(campaign) == 22  # unconfirmed letters do not count

    letters_confirm([pending[0]])
    assert count(campaign) == 23
    save_in_admin(superuser_client, campaign)
    assert count(campaign) == 23 == Letter.objects.counted().count()


def test_a_letter_held_on_confirmation_counts_once_staff_release_it(campaign, member):
    held = make_pending(campaign, member, hold_reason="Over the limit.")

    letters_confirm([held])
    letter_counts_refresh([campaign.pk])
    assert count(campaign) == 0

    letter_queue_again(held.pk)
    assert count(campaign) == 1
    letter_counts_refresh([campaign.pk])
    assert count(campaign) == 1


def test_the_recount_agrees_with_the_increments_through_sending(campaign, member):
    letters = [make_pending(campaign, make_member(member.area)) for _ in range(3)]
    letters_confirm(letters)
    letter_send(letters[0].pk)
    expected = count(campaign)

    letter_counts_refresh([campaign.pk])

    assert count(campaign) == expected == 3


def test_a_recount_leaves_out_letters_not_yet_confirmed(campaign, member):
    make_letter(campaign, member)
    make_pending(campaign, make_member(member.area))
    Campaign.objects.filter(pk=campaign.pk).update(letter_count=1)

    letter_counts_refresh([campaign.pk])

    assert count(campaign) == 1
