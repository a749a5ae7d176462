"""The "I prayed" button: one POST, one prayer counted, nothing else kept."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import abuse
from core.publishing import Status
from stories.models import PrayerRequest
from tests.support.factories import make_prayer_request
from tests.support.html import content, inner_html, select_one, tags, text

pytestmark = pytest.mark.django_db


def prayed_url(prayer):
    return reverse("stories:prayed", args=[prayer.slug])


def count_of(prayer):
    return PrayerRequest.objects.get(pk=prayer.pk).prayed_count


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_each_post_counts_one_prayer(client):
    prayer = make_prayer_request()
    other = make_prayer_request()

    client.post(prayed_url(prayer))
    client.post(prayed_url(prayer))

    assert (count_of(prayer), count_of(other)) == (2, 0)


def test_after_praying_the_page_thanks_the_supporter(client):
    prayer = make_prayer_request(prayed_count=6)

    response = client.post(prayed_url(prayer), follow=True)

    assert response.redirect_chain == [(prayer.get_absolute_url() + "?prayed=1", 302)]
    words = text(content(response))
    assert "Thank you for praying." in words
    assert "7 prayers so far" in words


def test_get_is_refused(client):
    prayer = make_prayer_request()

    response = client.get(prayed_url(prayer))

    assert response.status_code == 405
    assert count_of(prayer) == 0


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"status": Status.SAFEGUARDING},
        {"published_at": timezone.now() + timedelta(days=30)},
    ],
    ids=["draft", "safeguarding", "scheduled"],
)
def test_unpublished_prayer_cannot_be_counted(client, hidden):
    prayer = make_prayer_request(**hidden)

    response = client.post(prayed_url(prayer))

    assert response.status_code == 404
    assert count_of(prayer) == 0


def test_unknown_prayer_is_404(client):
    assert client.post("/pray/nope/prayed/").status_code == 404


def test_a_post_without_the_csrf_token_is_refused():
    prayer = make_prayer_request()
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(prayed_url(prayer))

    assert response.status_code == 403
    assert count_of(prayer) == 0


def test_the_form_on_the_page_carries_a_working_csrf_token():
    prayer = make_prayer_request()
    browser = Client(enforce_csrf_checks=True)
    page = content(browser.get(prayer.get_absolute_url()))
    form = select_one(page, "form.prayed-form")
    token = form.select_one('input[name="csrfmiddlewaretoken"]')["value"]

    assert form["method"] == "post" and token
    response = browser.post(form["action"], {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert count_of(prayer) == 1


def test_praying_stores_no_personal_data(client):
    prayer = make_prayer_request()
    before_rows = row_counts()
    before = model_to_dict(PrayerRequest.objects.get(pk=prayer.pk))
    before_updated = prayer.updated_at

    response = client.post(
        prayed_url(prayer),
        HTTP_USER_AGENT="Supporter's phone",
        REMOTE_ADDR="203.0.113.9",
    )

    after = PrayerRequest.objects.get(pk=prayer.pk)
    assert row_counts() == before_rows
    assert model_to_dict(after) == before  # prayed_count is not editable, so not in the dict
    assert (after.prayed_count, after.updated_at) == (1, before_updated)
    assert not response.cookies


# Abuse: a honeypot for bots, a limit per network


def test_a_filled_honeypot_is_thanked_and_counts_nothing(client):
    prayer = make_prayer_request()

    response = client.post(prayed_url(prayer), {"website": "http://spam.example"})

    assert response.status_code == 302
    assert response["Location"] == prayer.get_absolute_url() + "?prayed=1"
    assert count_of(prayer) == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    prayer = make_prayer_request()
    html = content(client.get(prayer.get_absolute_url()))

    wrapper = inner_html(html, "div", "visually-hidden")
    (field,) = [attrs for attrs in tags(wrapper, "input") if attrs.get("name") == "website"]
    assert '<div class="visually-hidden" aria-hidden="true">' in html
    assert (field["value"], field["tabindex"], field["autocomplete"]) == ("", "-1", "off")
    assert text(wrapper) == "Leave this empty"


def test_past_the_limit_a_network_is_asked_to_wait_and_counts_nothing(client, monkeypatch):
    monkeypatch.setattr(abuse, "PRAYED_LIMIT", abuse.RateLimit("prayed", most=3, seconds=600))
    prayer = make_prayer_request()
    for _ in range(3):
        assert client.post(prayed_url(prayer), REMOTE_ADDR="203.0.113.9").status_code == 302

    refused = client.post(prayed_url(prayer), REMOTE_ADDR="203.0.113.9")
    other_network = client.post(prayed_url(prayer), REMOTE_ADDR="198.51.100.7")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert "Please try again in a few minutes" in text(content(refused))
    assert other_network.status_code == 302
    assert count_of(prayer) == 4


def test_the_cache_holds_no_ip_address(client):
    if not isinstance(caches["default"], LocMemCache):
        pytest.skip("reads the keys of Django's local-memory cache")
    prayer = make_prayer_request()

    client.post(prayed_url(prayer), REMOTE_ADDR="203.0.113.9")

    keys = list(caches["default"]._cache)
    assert keys and not any("203.0.113.9" in key for key in keys)
