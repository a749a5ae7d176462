"""A letter POST's cost, and the campaigns each process keeps for letters between changes."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from campaigns.letters import open_campaigns
from campaigns.models import Campaign, Letter, LetterTemplate
from core.cache_version import content_version_bump
from core.publishing import Status
from tests.support.campaign_factories import (
    make_area,
    make_campaign,
    make_member,
    make_motion,
    make_share,
)
from tests.support.letters import compose_url, form_key, letter_data
from tests.support.queries import LETTER_POST_KEPT_QUERIES, LETTER_POST_QUERIES

pytestmark = pytest.mark.django_db

MOST_MEMBERS = 8  # one form writes to at most a Holyrood constituency MSP and 7 regional ones


@pytest.fixture
def kept(settings):
    """Campaigns kept as in production (the test settings load them for every request)."""
    settings.LETTER_CAMPAIGNS_KEPT = True
    open_campaigns._kept.clear()
    open_campaigns._failed_at = None
    yield
    open_campaigns._kept.clear()
    open_campaigns._failed_at = None


def build(n):
    """A campaign with n motions backed by a seat's n members, n other campaigns; the members."""
    area = make_area(name="Fife", seats=n)
    make_share("KY1 1", area)
    members = [make_member(area, email=f"m{i}@example.org") for i in range(n)]
    campaign = make_campaign(slug="stop-forced-returns")
    for i in range(n):
        make_motion(campaign, supporters=members[: i + 1], title=f"Motion {i}")
        make_campaign(title=f"Other {i}")
    return campaign, members


def fetch_form(campaign, members, **overrides):
    """A supporter's form, fetched by a client of their own: a function that posts it."""
    client, url = Client(), compose_url(campaign, members, postcode="KY1 1AA")
    data = letter_data(form_key(client, url), delivery="post", **overrides)
    data["subject_1"], data["body_1"] = "Please act", "Dear member,\n\n{personal_paragraph}"
    return lambda: client.post(url, data)


def post_letter(campaign, members, **overrides):
    return fetch_form(campaign, members, **overrides)()


@pytest.mark.parametrize("n", [1, MOST_MEMBERS])
def test_a_letter_post_makes_a_fixed_number_of_queries(n, django_assert_num_queries):
    campaign, members = build(n)
    url = compose_url(campaign, members, postcode="KY1 1AA")
    client = Client()
    data = letter_data(form_key(client, url), delivery="post")
    data["subject_1"], data["body_1"] = "Please act", "Dear member,\n\n{personal_paragraph}"
    with django_assert_num_queries(LETTER_POST_QUERIES, info=f"n={n}"):
        assert client.post(url, data).status_code == 302
    assert Letter.objects.count() == n
    assert Campaign.objects.get(pk=campaign.pk).letter_count == n


@pytest.mark.parametrize("n", [1, MOST_MEMBERS])
def test_with_the_campaign_kept_a_letter_post_skips_its_four_queries(
    kept, n, django_assert_num_queries
):
    campaign, members = build(n)
    url = compose_url(campaign, members, postcode="KY1 1AA")
    client = Client()
    data = letter_data(form_key(client, url), delivery="post")  # the GET keeps the campaign
    data["subject_1"], data["body_1"] = "Please act", "Dear member,\n\n{personal_paragraph}"
    with django_assert_num_queries(LETTER_POST_KEPT_QUERIES, info=f"n={n}"):
        assert client.post(url, data).status_code == 302
    assert Letter.objects.count() == n
    assert Campaign.objects.get(pk=campaign.pk).letter_count == n


def test_a_change_staff_make_reaches_the_next_letter(kept):
    campaign, members = build(1)
    make_motion(campaign, title="Save the refugees", reference="EDM 99", supporters=members)
    assert post_letter(campaign, members).status_code == 302
    assert Letter.objects.get().variant == LetterTemplate.Variant.ASK
    # A thank-you letter for the motion's supporters, saved as the admin does: the version moves.
    LetterTemplate.objects.create(
        campaign=campaign,
        parliament=members[0].area.parliament,
        variant=LetterTemplate.Variant.THANK_YOU,
        subject="Thank you",
        body="Dear {representative_name},\n\nThank you.\n\n{personal_paragraph}",
    )
    content_version_bump()
    assert post_letter(campaign, members, name="Sam Lee").status_code == 302
    assert Letter.objects.get(supporter_name="Sam Lee").variant == LetterTemplate.Variant.THANK_YOU


def test_a_campaign_taken_down_takes_no_more_letters(kept):
    campaign, members = build(1)
    assert post_letter(campaign, members).status_code == 302
    post_again_later = fetch_form(campaign, members, name="Sam Lee")
    Campaign.objects.filter(pk=campaign.pk).update(status=Status.DRAFT)
    content_version_bump()  # as every take-down does (core.workflow, core.admin_actions)
    assert post_again_later().status_code == 404
    assert Letter.objects.count() == 1


def test_a_campaign_that_closes_takes_no_letter_after_its_time_even_while_kept(kept):
    campaign, members = build(1)
    closes = timezone.now() + timedelta(hours=1)
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=closes)
    content_version_bump()
    assert post_letter(campaign, members).status_code == 302
    post_again_later = fetch_form(campaign, members, name="Sam Lee")
    with time_machine.travel(closes + timedelta(seconds=1)):
        assert post_again_later().status_code == 404
    assert Letter.objects.count() == 1
