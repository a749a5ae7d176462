"""Many supporters at once: every letter kept, none twice, the count exact (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from campaigns.models import Campaign, Letter, Parliament
from campaigns.parliaments import ensure_parliaments

from .factories import make_area, make_campaign, make_member, make_share
from .test_letter_flow import compose_url, form_key, letter_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL"
    ),
]


@pytest.fixture
def campaign_and_mp():
    ensure_parliaments(Parliament)  # a transactional test empties the tables the migration filled
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    mp = make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    return make_campaign(), mp


def post_together(url, forms):
    """POST each form from its own thread and connection, all released at the same moment."""
    start = threading.Barrier(len(forms))

    def post(data):
        try:
            client = Client()
            start.wait()
            return client.post(url, data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(post, forms))


def test_twenty_supporters_at_once_make_twenty_letters_and_a_count_of_twenty(campaign_and_mp):
    campaign, mp = campaign_and_mp
    url = compose_url(campaign, [mp])
    forms = [letter_data(form_key(Client(), url), name=f"Supporter {n}") for n in range(20)]
    responses = post_together(url, forms)
    assert [response.status_code for response in responses] == [302] * 20
    assert Letter.objects.count() == 20
    assert Letter.objects.values("reference").distinct().count() == 20
    assert Campaign.objects.get().letter_count == 20


def test_one_form_posted_ten_times_at_once_makes_one_letter(campaign_and_mp):
    campaign, mp = campaign_and_mp
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(Client(), url))
    responses = post_together(url, [data] * 10)
    assert {response.status_code for response in responses} == {302}
    assert len({response["Location"] for response in responses}) == 1
    assert Letter.objects.count() == 1
    assert Campaign.objects.get().letter_count == 1
