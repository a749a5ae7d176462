"""Many supporters at once: every letter kept, none twice, the count exact (PostgreSQL)."""

import pytest
from django.db import connection
from django.test import Client

from campaigns.models import Campaign, Letter
from tests.support.letters import compose_url, form_key, letter_data
from tests.support.together import post_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"
    ),
]


def test_twenty_supporters_at_once_make_twenty_letters_and_a_count_of_twenty(campaign_and_mp):
    campaign, mp = campaign_and_mp
    url = compose_url(campaign, [mp])
    forms = [letter_data(form_key(Client(), url), name=f"Supporter {n}") for n in range(20)]
    responses = post_together([(url, data) for data in forms])
    assert [response.status_code for response in responses] == [302] * 20
    assert Letter.objects.count() == 20
    assert Letter.objects.values("reference").distinct().count() == 20
    assert Campaign.objects.get().letter_count == 20


def test_one_form_posted_ten_times_at_once_makes_one_letter(campaign_and_mp):
    campaign, mp = campaign_and_mp
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(Client(), url))
    responses = post_together([(url, data)] * 10)
    assert {response.status_code for response in responses} == {302}
    assert len({response["Location"] for response in responses}) == 1
    assert Letter.objects.count() == 1
    assert Campaign.objects.get().letter_count == 1
