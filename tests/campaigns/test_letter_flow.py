"""The supporter's path: postcode, members, compose, send it themselves, thank you."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from campaigns.models import Campaign, Letter, Representative
from campaigns.models.parliaments import HOLYROOD
from tests.support.campaign_factories import (
    make_area,
    make_campaign,
    make_member,
    make_motion,
    make_scottish_seat,
    make_share,
    make_thank_you_template,
    make_welsh_seat,
)
from tests.support.html import content, select_one, tags, text
from tests.support.letters import OWN_WORDS, POSTCODE, compose_url, form_key, letter_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def mp():
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    make_share("SW1A 0", area)
    return make_member(
        area, name="Rachel Blake", party="Labour", email="rachel.blake.mp@example.org"
    )


@pytest.fixture
def campaign(mp):
    return make_campaign(title="Stop the forced returns", slug="stop-forced-returns")


def write_url(campaign, **params):
    return reverse("campaigns:write", args=[campaign.slug]), params


def submit(client, campaign, members, **overrides):
    url = compose_url(campaign, members)
    return client.post(url, letter_data(form_key(client, url), **overrides))


# The campaign pages


def test_the_list_shows_live_campaigns_only(client, campaign):
    make_campaign(title="Drafted", status="draft")
    make_campaign(title="Over", closes_at=timezone.now() - timedelta(minutes=1))
    make_campaign(title="Coming", published_at=timezone.now() + timedelta(days=1))
    page = text(content(client.get(reverse("campaigns:campaign_list"))))
    assert "Stop the forced returns" in page
    assert not any(title in page for title in ("Drafted", "Over", "Coming"))


def test_the_campaign_page_has_the_ask_progress_and_a_postcode_form(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(letter_count=25)
    html = content(client.get(campaign.get_absolute_url()))
    assert "Raise it in Parliament." in text(html)
    assert "25 letters written of our goal of 100" in text(html)
    assert tags(html, "progress")[0]["value"] == "25"
    form = select_one(html, "main form")
    assert form["action"] == reverse("campaigns:write", args=[campaign.slug])
    assert form["method"] == "get"


def test_a_closed_campaign_page_stays_up_without_the_form(client, campaign):
    campaign.closes_at = timezone.now() - timedelta(minutes=1)
    campaign.save()
    html = content(client.get(campaign.get_absolute_url()))
    assert "This campaign has closed" in text(html)
    assert not [field for field in tags(html, "input") if field.get("name") == "postcode"]
    assert client.get(write_url(campaign)[0], {"postcode": POSTCODE}).status_code == 404


def test_a_draft_campaign_is_not_found(client):
    draft = make_campaign(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


# Step 1: who to write to


def test_the_postcode_finds_the_mp_ready_to_choose(client, campaign, mp):
    url, params = write_url(campaign, postcode="sw1a0aa")
    html = content(client.get(url, params))
    boxes = [field for field in tags(html, "input") if field.get("name") == "member"]
    assert [(box["value"], "checked" in box) for box in boxes] == [(str(mp.pk), True)]
    assert "Rachel Blake MP" in text(html)


def test_a_bad_postcode_is_refused_and_kept(client, campaign):
    url, params = write_url(campaign, postcode="SW1A 0A")
    html = content(client.get(url, params))
    assert "That is not a full UK postcode" in text(html)
    field = next(f for f in tags(html, "input") if f.get("name") == "postcode")
    assert field["value"] == "SW1A 0A"
    assert field["aria-invalid"] == "true"


def test_a_postcode_outside_the_campaigns_parliament_is_told_where_it_is(client):
    make_welsh_seat("CF99 1")
    scottish = make_campaign(parliaments=(HOLYROOD,))
    url, params = write_url(scottish, postcode="CF99 1SN")
    page = text(content(client.get(url, params)))
    assert "This campaign is for the Scottish Parliament; your postcode is in Wales" in page


def test_a_split_sector_asks_which_constituency(client, campaign, mp):
    other = make_area(name="Vauxhall and Camberwell Green", code="E14001555")
    make_member(other, name="Florence Eshalomi", email="f@example.org")
    make_share("SW1A 0", other, share="0.3")
    url, params = write_url(campaign, postcode=POSTCODE)
    html = content(client.get(url, params))
    choices = [link["href"] for link in tags(html, "a") if "area=" in link.get("href", "")]
    assert any(href.startswith(url) and "E14001555" in href for href in choices)
    chosen = content(client.get(url, {"postcode": POSTCODE, "area": "E14001555"}))
    assert "Florence Eshalomi" in text(chosen)


def test_a_scottish_campaign_offers_the_constituency_and_regional_msps(client):
    _westminster, holyrood, region = make_scottish_seat("EH99 1")
    scottish = make_campaign(parliaments=(HOLYROOD,))
    url, params = write_url(scottish, postcode="EH99 1SP")
    html = content(client.get(url, params))
    boxes = [field for field in tags(html, "input") if field.get("name") == "member"]
    assert len(boxes) == 8
    assert sum("checked" in box for box in boxes) == 1  # the constituency MSP, to start with
    assert "Lorna Slater" in text(html) and "List member 7" in text(html)


# Step 2: compose


def test_the_compose_page_starts_from_the_template_for_that_member(client, campaign, mp):
    html = content(client.get(compose_url(campaign, [mp])))
    body = text(html)
    assert "Dear Rachel Blake," in body
    assert "As your constituent in Cities of London and Westminster" in body
    assert "{personal_paragraph}" in body  # filled in from the prompts when it is sent
    labels = text(html)
    assert "Why does this matter to you?" in labels


def test_no_member_chosen_goes_back_with_a_message(client, campaign):
    response = client.get(
        reverse("campaigns:compose", args=[campaign.slug]), {"postcode": POSTCODE}
    )
    assert "Choose at least one member to write to." in text(content(response))


def test_a_member_who_is_not_yours_cannot_be_written_to(client, campaign):
    elsewhere = make_member(make_area(name="Elsewhere"), email="x@example.org")
    response = client.get(compose_url(campaign, [elsewhere]))
    assert "Choose at least one member to write to." in text(content(response))


def test_a_member_who_supports_the_motion_gets_the_thank_you_letter(client, campaign, mp):
    make_thank_you_template(campaign)
    make_motion(campaign, supporters=[mp], reference="EDM 42")
    body = text(content(client.get(compose_url(campaign, [mp]))))
    assert "Thank you for supporting EDM 42." in body
    assert "already supports the motion" in body


# Making the letter


def test_a_good_letter_is_made_counted_and_shown_ready_to_send(client, campaign, mp):
    response = submit(client, campaign, [mp])
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.recipient_name == "Rachel Blake"
    assert letter.recipient_email == "rachel.blake.mp@example.org"
    assert letter.constituency == "Cities of London and Westminster"
    assert letter.body.endswith("Yours,\nJane Doe\n1 High Street\nLondon\nSW1A 0AA")
    assert "My grandmother fled a war" in letter.body
    assert letter.personal_percent > 20
    assert letter.delivery == "email_app"
    assert Campaign.objects.get().letter_count == 1
    html = content(client.get(response["Location"]))
    assert letter.reference in text(html)


def test_the_mailto_link_carries_the_subject_and_letter(client, campaign, mp):
    response = submit(client, campaign, [mp])
    html = content(client.get(response["Location"]))
    mailto = next(a["href"] for a in tags(html, "a") if a.get("href", "").startswith("mailto:"))
    parts = urlsplit(mailto)
    assert parts.path == "rachel.blake.mp@example.org"
    query = parse_qs(parts.query)
    assert query["subject"] == ["North Korean refugees: Rachel Blake"]
    assert "My grandmother fled a war" in query["body"][0]
    assert "%0D%0A" in mailto  # line breaks as CRLF, as mail apps expect
    assert "+" not in parts.query  # spaces as %20: some mail apps show a + literally


def test_the_print_page_has_both_addresses(client, campaign, mp):
    response = submit(client, campaign, [mp], delivery="post")
    page = content(client.get(response["Location"] + "print/"))
    addresses = [text(block) for block in page.split("<address")[1:]]
    assert "Jane Doe" in addresses[0] and "SW1A 0AA" in addresses[0]
    assert "Rachel Blake MP" in addresses[1] and "House of Commons" in addresses[1]
    assert "noindex" in page


def test_marketing_consent_stores_the_wording_and_time(client, campaign, mp):
    submit(client, campaign, [mp], marketing_consent="on")
    letter = Letter.objects.get()
    assert letter.marketing_consent and letter.consented_at
    assert letter.consent_wording.startswith("Yes, email me")


def test_consent_is_not_assumed(client, campaign, mp):
    submit(client, campaign, [mp])
    letter = Letter.objects.get()
    assert not letter.marketing_consent and letter.consented_at is None


def test_one_submission_writes_to_each_chosen_msp_by_name(client):
    _westminster, holyrood, region = make_scottish_seat("EH99 1")
    scottish = make_campaign(parliaments=(HOLYROOD,))
    members = [*holyrood.representatives.all(), *region.representatives.all()[:2]]
    url = compose_url(scottish, members, postcode="EH99 1SP")
    body = text(content(client.get(url)))
    assert "{salutation}" in body  # differs per member: filled in for each
    data = letter_data(form_key(client, url), subject_1="Refugees", delivery="post")
    data["body_1"] = "{salutation},\n\n{personal_paragraph}\n\n{supporter_name}"
    assert client.post(url, data).status_code == 302
    letters = Letter.objects.order_by("id")
    assert [letter.body.split(",")[0] for letter in letters] == [
        "Dear Lorna Slater",
        "Dear List member 1",
        "Dear List member 2",
    ]
    assert Campaign.objects.get().letter_count == 3


def test_email_app_is_refused_for_a_member_without_an_address(client):
    _westminster, holyrood, _region = make_scottish_seat("EH99 1")
    scottish = make_campaign(parliaments=(HOLYROOD,))
    url = compose_url(scottish, list(holyrood.representatives.all()), postcode="EH99 1SP")
    html = content(client.get(url))
    assert not [b for b in tags(html, "button") if b.get("value") == "email_app"]
    response = client.post(url, letter_data(form_key(client, url), delivery="email_app"))
    assert "We have no email address for this member" in text(content(response))
    assert not Letter.objects.exists()


# Bad input keeps what was typed


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"address": ""}, "address", "This field is required."),
        ({"email": "jane-at-example"}, "email", "Enter a valid email address."),
        ({"name": "Jane\nDoe"}, "name", "Write this on one line."),
        ({"name": "Jane\x07Doe"}, "name", "Remove the special characters"),
        ({"answer_1": "x" * 1001}, "answer_1", "Ensure this value has at most 1000 characters"),
        ({"body_1": "word " * 1700}, "body_1", "Ensure this value has at most 8000 characters"),
        ({"delivery": ""}, "delivery", "Choose how you will send your letter."),
        ({"body_1": "Dear Rachel, act."}, "body_1", "Your own words have nowhere to go"),
    ],
)
def test_bad_input_says_what_is_wrong_and_keeps_what_was_typed(
    client, campaign, mp, change, field, message
):
    response = submit(client, campaign, [mp], **change)
    assert response.status_code == 200
    html = content(response)
    assert message in text(html)
    summary = html[html.index('class="error-summary"') :]
    assert f'href="#id_{field}"' in summary
    for name, value in letter_data("", **change).items():  # everything typed is still there
        if name not in ("key", "delivery") and value:
            assert escape(value.replace("\n", "\r\n")) in html or escape(value) in html, name
    assert not Letter.objects.exists()
    assert Campaign.objects.get().letter_count == 0


def test_a_forged_form_key_is_refused(client, campaign, mp):
    response = client.post(compose_url(campaign, [mp]), letter_data("not-a-key"))
    assert "This form has expired" in text(content(response))
    assert not Letter.objects.exists()


# Posting twice, and the letter page's link


def test_posting_the_same_form_twice_makes_one_letter(client, campaign, mp):
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(client, url))
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Letter.objects.count() == 1
    assert Campaign.objects.get().letter_count == 1


@pytest.mark.parametrize("delivery", ["email_app", "send_for_me"])
def test_a_form_posted_again_gets_its_letters_even_where_a_new_one_would_be_refused(
    client, campaign, mp, delivery
):
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(client, url), delivery=delivery, answer_1=OWN_WORDS)
    first = client.post(url, data)
    # Meanwhile the member's address is gone and the campaign asks for more of one's own words:
    # a new form would be refused, but this one's letters exist and its repeat shows them.
    Representative.objects.filter(pk=mp.pk).update(email="")
    Campaign.objects.update(min_personal_percent=100)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Letter.objects.count() == 1


def test_a_tampered_letter_link_is_not_found(client, campaign, mp):
    location = submit(client, campaign, [mp])["Location"]
    assert client.get(location.replace("/letters/", "/letters/x")).status_code == 404


def test_the_letter_link_expires_after_a_week(client, campaign, mp):
    location = submit(client, campaign, [mp])["Location"]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get(location).status_code == 404


def test_pages_with_a_supporters_details_are_never_cached(client, campaign, mp):
    url = compose_url(campaign, [mp])
    location = submit(client, campaign, [mp])["Location"]
    for page in (url, location, location + "print/"):
        cache = client.get(page)["Cache-Control"]
        assert "public" not in cache and "no-cache" in cache, page


# Thank you


def test_the_thank_you_page_shows_progress_sharing_and_prayer(client, campaign, mp):
    from tests.support.factories import make_prayer_request

    campaign.prayer_request = make_prayer_request(points=["For the refugees' safety."])
    campaign.save()
    submit(client, campaign, [mp])
    page = text(content(client.get(reverse("campaigns:thank_you", args=[campaign.slug]))))
    assert "Thank you for writing." in page
    assert "1 letter written of our goal of 100" in page
    assert "For the refugees' safety." in page
    assert "Ask a friend to write too" in page


def test_a_scottish_postcode_we_cannot_place_is_not_called_the_wrong_place(client):
    westminster = make_area(code="S14000078", name="Edinburgh East and Musselburgh")
    make_share("EH99 1", westminster)  # no Holyrood row for the sector
    scottish = make_campaign(parliaments=(HOLYROOD,))
    url, params = write_url(scottish, postcode="EH99 1SP")
    page = text(content(client.get(url, params)))
    assert "We could not match your postcode to a Scottish Parliament constituency" in page
    assert "your postcode is in" not in page


def test_an_unknown_postcode_offers_the_constituency_list_for_a_commons_campaign(client, campaign):
    url, params = write_url(campaign, postcode="ZZ9 9ZZ")
    html = content(client.get(url, params))
    assert "Cities of London and Westminster" in text(html)  # in the list to choose from
    form = next(f for f in tags(html, "form") if f.get("class") == "filter")
    assert form["action"] == url
    chosen = content(client.get(url, {"postcode": "ZZ9 9ZZ", "area": "E14001172"}))
    boxes = [field for field in tags(chosen, "input") if field.get("name") == "member"]
    assert len(boxes) == 1


def test_line_ends_from_a_browser_are_stored_once(client, campaign, mp):
    body = "Dear Rachel Blake,\r\n\r\n{personal_paragraph}\r\n\r\n{supporter_name}"
    response = submit(client, campaign, [mp], body_1=body, address="1 High Street\r\nLondon")
    letter = Letter.objects.get()
    assert "\r" not in letter.body and "\r" not in letter.supporter_address
    html = content(client.get(response["Location"]))
    mailto = next(a["href"] for a in tags(html, "a") if a.get("href", "").startswith("mailto:"))
    assert "%0D%0A%0D%0A" in mailto and "%0D%0D" not in mailto


def test_the_campaigns_letter_unchanged_is_not_personal_and_has_no_gap(client, campaign, mp):
    url = compose_url(campaign, [mp])
    form = client.get(url).context["form"]
    data = letter_data(form["key"].value(), answer_1="", delivery="post")
    data["body_1"], data["subject_1"] = form["body_1"].value(), form["subject_1"].value()
    client.post(url, data)
    letter = Letter.objects.get()
    assert letter.personal_percent == 0
    assert "House of Commons.\n\nYours sincerely," in letter.body  # no gap where they would go


def test_a_form_key_replayed_on_another_campaign_makes_that_campaigns_letter(client, campaign, mp):
    other = make_campaign(title="Another ask")
    url = compose_url(campaign, [mp])
    data = letter_data(form_key(client, url))
    client.post(url, data)
    response = client.post(compose_url(other, [mp]), data)
    assert response.status_code == 302
    assert sorted(Letter.objects.values_list("campaign__title", flat=True)) == [
        "Another ask",
        "Stop the forced returns",
    ]
