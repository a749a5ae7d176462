"""A campaign's letter count: the recount and every increment agree on which letters count."""

import itertools

import pytest
from django.utils import timezone

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


def every_kind_of_letter():
    """(delivery, state, attempts, confirmed, hold) for each letter the constraints allow."""
    for delivery in Delivery:
        states = State if delivery == Delivery.SEND_FOR_ME else (State.OWN, State.ANONYMISED)
        for state in states:
            if delivery == Delivery.SEND_FOR_ME and state == State.OWN:
                continue
            for attempts, confirmed, hold in itertools.product((0, 1), (False, True), ("", "x")):
                yield delivery, state, attempts, confirmed, hold


def test_a_letter_in_memory_counts_exactly_when_the_recount_counts_it(campaign, member):
    # letters_create adds the letters it makes by Letter.counts, without reading them back;
    # the recount reads LetterQuerySet.counted: both must say the same of every letter.
    now = timezone.now()
    letters = [
        make_letter(
            campaign,
            member,
            delivery=delivery,
            state=state,
            attempts=attempts,
            confirmed_at=now if confirmed else None,
            hold_reason=hold,
            anonymised_at=now if state == State.ANONYMISED else None,
        )
        for delivery, state, attempts, confirmed, hold in every_kind_of_letter()
    ]
    assert len(letters) > 50
    counted = set(Letter.objects.counted().values_list("pk", flat=True))
    assert {letter.pk for letter in letters if letter.counts} == counted
    assert 0 < len(counted) < len(letters)
