"""Every public POST needs its CSRF token, POST-only views refuse GET, unknown hosts get 400."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Letter
from stories.models import PrayerRequest
from tests.support.factories import make_prayer_request
from tests.support.html import content, tags
from tests.support.letters import OWN_WORDS, compose_url, confirmation_link, form_key, letter_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_posts(campaign, mp):
    """Each public POST, as (url, data that would work with a token)."""
    prayer = make_prayer_request()
    url = compose_url(campaign, [mp])
    key = form_key(Client(), url)
    sent = Client().post(url, letter_data(key, delivery="send_for_me", answer_1=OWN_WORDS))
    assert sent.status_code == 302
    return {
        "I prayed": (reverse("stories:prayed", args=[prayer.slug]), {}),
        "letter": (url, letter_data(form_key(Client(), url))),
        "confirm": (confirmation_link(), {}),
    }


def hidden_inputs(response):
    return [field for field in tags(content(response), "input") if field.get("type") == "hidden"]


def stored():
    """What a refused POST must leave alone."""
    return (
        list(Letter.objects.values_list("pk", "state")),
        list(PrayerRequest.objects.values_list("prayed_count", flat=True)),
    )


@pytest.mark.parametrize("name", ["I prayed", "letter", "confirm"])
def test_a_public_post_without_its_csrf_token_is_refused(public_posts, name):
    url, data = public_posts[name]
    before = stored()

    response = Client(enforce_csrf_checks=True).post(url, data)

    assert response.status_code == 403
    assert stored() == before


def test_the_letter_form_carries_a_working_csrf_token(campaign, mp):
    browser = Client(enforce_csrf_checks=True)
    url = compose_url(campaign, [mp])
    fields = {field["name"]: field["value"] for field in hidden_inputs(browser.get(url))}
    data = letter_data(fields["key"], csrfmiddlewaretoken=fields["csrfmiddlewaretoken"])

    response = browser.post(url, data)

    assert response.status_code == 302
    assert Letter.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/pray/{prayer}/prayed/"),
        ("post", "/healthz"),
        ("post", "/robots.txt"),
    ],
)
def test_a_view_refuses_the_method_it_does_not_take(client, method, url):
    prayer = make_prayer_request()

    response = getattr(client, method)(url.format(prayer=prayer.slug))

    assert response.status_code == 405
    assert PrayerRequest.objects.get().prayed_count == 0


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "url", ["/", "/healthz", "/pray/{prayer}/prayed/", "/representatives/?postcode=SW1A+0AA"]
)
def test_an_unknown_host_is_refused(client, method, url):
    prayer = make_prayer_request()

    response = getattr(client, method)(url.format(prayer=prayer.slug), HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert PrayerRequest.objects.get().prayed_count == 0
