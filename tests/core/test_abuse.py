"""The letter form's quiet defences: a honeypot bots fill, and a cap on POSTs per network."""

import pytest
from django.core import mail

from campaigns.models import Letter
from core import abuse
from tests.support.html import content, inner_html, tags, text
from tests.support.letters import OWN_WORDS, compose_url, form_key, letter_data

pytestmark = pytest.mark.django_db


def post_letter(client, campaign, mp, ip="192.0.2.1", **overrides):
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(client, url), **overrides)
    return client.post(url, data, REMOTE_ADDR=ip)


@pytest.mark.parametrize("delivery", ["send_for_me", "email_app", "post"])
def test_a_filled_honeypot_is_thanked_and_keeps_and_sends_nothing(client, campaign, mp, delivery):
    response = post_letter(
        client,
        campaign,
        mp,
        delivery=delivery,
        answer_1=OWN_WORDS,
        website="http://cheap-pills.example",
    )

    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.slug}/thank-you/"
    assert Letter.objects.count() == 0
    assert mail.outbox == []


def test_an_empty_honeypot_lets_the_letter_through(client, campaign, mp):
    response = post_letter(client, campaign, mp, website="")

    assert response.status_code == 302
    assert Letter.objects.count() == 1


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, campaign, mp):
    html = content(client.get(compose_url(campaign, [mp])))

    assert '<div class="visually-hidden" aria-hidden="true">' in html
    wrapper = inner_html(html, "div", "visually-hidden")
    (field,) = tags(wrapper, "input")
    assert field["name"] == abuse.HONEYPOT_FIELD
    assert (field["tabindex"], field["autocomplete"]) == ("-1", "off")
    assert field.get("value", "") == ""
    assert text(wrapper) == "Leave this empty"


def test_past_the_cap_a_network_is_asked_to_wait_and_nothing_is_kept(client, campaign, mp):
    limit = abuse.LETTER_POST_LIMIT
    for _ in range(limit.most):  # a form with a mistake, posted again and again
        assert post_letter(client, campaign, mp, name="").status_code == 200

    refused = post_letter(client, campaign, mp)
    other_network = post_letter(client, campaign, mp, ip="198.51.100.7")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(limit.seconds)
    assert "Please try again in a minute" in text(content(refused))
    assert other_network.status_code == 302
    assert Letter.objects.count() == 1


def test_letters_we_send_past_their_limits_are_still_held_not_refused(client, campaign, mp):
    for number in range(6):
        response = post_letter(
            client,
            campaign,
            mp,
            delivery="send_for_me",
            answer_1=OWN_WORDS,
            email=f"person{number}@example.org",
        )
        assert response.status_code == 302

    held = Letter.objects.exclude(hold_reason="")
    assert Letter.objects.count() == 6
    assert [letter.hold_reason for letter in held] == [
        "Held: more than 5 letters from one network in 10 minutes."
    ]


def test_behind_a_trusted_proxy_each_client_has_its_own_count(client, campaign, mp, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    limit = abuse.LETTER_POST_LIMIT
    url = compose_url(campaign, [mp])
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(limit.most):
        client.post(url, {}, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)

    refused = client.post(url, {}, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    other_client = client.post(url, {}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert (refused.status_code, other_client.status_code) == (429, 200)
