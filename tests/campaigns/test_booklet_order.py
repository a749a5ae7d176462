"""The booklet order page: the form's checks, one order per form, the limits, thank you."""

import pytest
from django.urls import reverse

from campaigns.booklets.addresses import InvalidPostalCode, normalise_postal_code
from campaigns.booklets.forms import BOOKLET_CONSENT_WORDING, BookletOrderForm
from campaigns.models import BookletOrder, BookletSettings
from campaigns.views.booklets import BOOKLET_POST_LIMIT
from core import ratelimits
from tests.support.booklets import make_order, order_form
from tests.support.factories import make_story, make_watch_list
from tests.support.html import content, select, select_one, text
from tests.support.queries import BOOKLET_ORDER_QUERIES

pytestmark = pytest.mark.django_db
URL = "/world-watch-list/booklet/"


@pytest.fixture(autouse=True)
def fresh_limits():
    ratelimits._fallback.clear()
    yield
    ratelimits._fallback.clear()


def errors(response):
    return [text(str(item)) for item in select(content(response), ".error-summary li")]


# Postal codes


@pytest.mark.parametrize(
    ("typed", "country", "kept"),
    [
        ("yo17hh", "GB", "YO1 7HH"),
        (" sw1a 0aa ", "GB", "SW1A 0AA"),
        ("bt11aa", "GB", "BT1 1AA"),  # Northern Ireland is in the UK
        ("a65f4e2", "IE", "A65 F4E2"),
        ("D6W 1234", "IE", "D6W 1234"),
        ("T12 X70A", "IE", "T12 X70A"),
    ],
)
def test_postcodes_and_eircodes_are_kept_as_the_post_writes_them(typed, country, kept):
    assert normalise_postal_code(typed, country) == kept


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        ("A65 F4E2", "GB"),  # an Eircode is not a UK postcode
        ("SW1A 0AA", "IE"),
        ("B65 F4E2", "IE"),  # no Eircode starts with B
        ("A65 F4E", "IE"),
        ("hello", "GB"),
        ("A65 F4E2" + " " * 20, "IE"),
    ],
)
def test_anything_else_is_refused(typed, country):
    with pytest.raises(InvalidPostalCode):
        normalise_postal_code(typed, country)


# The form


def test_the_consent_box_starts_unticked_and_says_what_it_agrees_to():
    form = BookletOrderForm(most_copies=50)
    box = form["marketing_consent"]
    assert box.value() is None
    assert "checked" not in str(box)
    assert form.fields["marketing_consent"].label == BOOKLET_CONSENT_WORDING


def test_more_than_one_copy_needs_a_reason():
    form = BookletOrderForm(order_form(quantity="5"), most_copies=50)
    assert not form.is_valid()
    assert form.errors["reason"] == ["Tell us what the extra copies are for, or ask for one copy."]

    form = BookletOrderForm(order_form(quantity="5", reason="For our church"), most_copies=50)
    assert form.is_valid(), form.errors


def test_no_more_copies_than_staff_allow():
    form = BookletOrderForm(order_form(quantity="51", reason="Church"), most_copies=50)
    assert not form.is_valid()
    assert form.errors["quantity"] == ["We can post at most 50 copies to one address."]
    assert not BookletOrderForm(order_form(quantity="0"), most_copies=50).is_valid()


def test_an_irish_address_needs_an_eircode():
    form = BookletOrderForm(order_form(country="IE", postcode="YO1 7HH"), most_copies=50)
    assert not form.is_valid()
    assert "not an Eircode" in form.errors["postcode"][0]
    form = BookletOrderForm(order_form(country="IE", postcode="a65f4e2"), most_copies=50)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "A65 F4E2"


def test_every_personal_field_says_how_to_autofill_it(client):
    page = content(client.get(URL))
    wanted = {
        "name": "name",
        "email": "email",
        "address_line1": "address-line1",
        "address_line2": "address-line2",
        "town": "address-level2",
        "county": "address-level1",
        "postcode": "postal-code",
        "country": "country",
    }
    for name, token in wanted.items():
        assert select_one(page, f"[name={name}]")["autocomplete"] == token, name


# The page


def test_the_page_names_the_latest_edition_and_staff_can_choose_another(client):
    make_watch_list(2025, 3)
    make_watch_list(2026, 3)
    assert "World Watch List 2026 booklet" in text(content(client.get(URL)))
    BookletSettings.objects.create(pk=1, edition=2025, most_copies=10)
    page = content(client.get(URL))
    assert "World Watch List 2025 booklet" in text(page)
    assert select_one(page, "[name=quantity]")["max"] == "10"


def test_an_order_is_made_once_however_often_the_form_is_posted(client):
    make_watch_list(2026, 2)
    data = order_form(quantity="3", reason="For our prayer group", marketing_consent="on")
    first = client.post(URL, data)
    second = client.post(URL, data)

    order = BookletOrder.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert (order.name, order.postcode, order.quantity, order.edition) == (
        "Jane Quietreader",
        "YO1 7HH",
        3,
        2026,
    )
    assert order.status == BookletOrder.Status.NEW
    assert order.consent_wording == str(BOOKLET_CONSENT_WORDING) and order.consented_at


def test_without_the_box_ticked_no_consent_is_stored(client):
    client.post(URL, order_form())
    order = BookletOrder.objects.get()
    assert (order.marketing_consent, order.consent_wording, order.consented_at) == (
        False,
        "",
        None,
    )


def test_mistakes_are_listed_linked_and_what_was_typed_is_kept(client):
    response = client.post(URL, order_form(postcode="nowhere", name="", quantity="4"))

    assert response.status_code == 200
    page = content(response)
    assert errors(response) == [
        "Enter your full name.",
        "That is not a full UK postcode. Check it and try again, for example SW1A 0AA.",
        "Tell us what the extra copies are for, or ask for one copy.",
    ]
    assert [a["href"] for a in select(page, ".error-summary a")] == [
        "#id_name",
        "#id_postcode",
        "#id_reason",
    ]
    assert select_one(page, "[name=address_line1]")["value"] == "17 Lantern Lane"
    assert select_one(page, "[name=postcode]")["value"] == "nowhere"
    assert select_one(page, "[name=quantity]")["value"] == "4"
    assert not BookletOrder.objects.exists()


def test_a_form_whose_key_we_never_gave_asks_to_check_the_order_and_send_again(client):
    response = client.post(URL, order_form(key="not-a-key-we-gave"))

    assert response.status_code == 200
    page = content(response)
    assert "This form has expired: check your order below and send it again." in text(page)
    assert select_one(page, "[name=address_line1]")["value"] == "17 Lantern Lane"
    assert len(select_one(page, "[name=key]")["value"]) == 32  # a fresh key to send with
    assert not BookletOrder.objects.exists()


def test_the_thank_you_page_shows_the_order_only_to_whoever_has_its_link(client):
    response = client.post(URL, order_form(), follow=True)
    page = text(content(response))
    assert "Thank you: your booklet is on its way" in page
    assert "17 Lantern Lane" in page and "YO1 7HH" in page

    anyone = text(content(client.get(reverse("campaigns:booklet_thank_you"))))
    forged = text(content(client.get(reverse("campaigns:booklet_thank_you") + "?order=x:y:z")))
    for other in (anyone, forged):
        assert "Thank you" in other and "Lantern" not in other


def test_a_filled_honeypot_is_thanked_and_nothing_is_kept(client):
    response = client.post(URL, order_form(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:booklet_thank_you")
    assert not BookletOrder.objects.exists()


def test_a_flood_from_one_network_is_refused_politely(client):
    for _ in range(BOOKLET_POST_LIMIT.most):
        assert client.post(URL, order_form()).status_code == 302
    refused = client.post(URL, order_form())
    assert refused.status_code == 429
    assert "Please try again in a few minutes" in text(content(refused))
    assert BookletOrder.objects.count() == BOOKLET_POST_LIMIT.most
    other = client.post(URL, order_form(), REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_the_page_is_not_cached(client):
    assert "no-store" in client.get(URL)["Cache-Control"]


@pytest.mark.parametrize("orders", [0, 40])
def test_the_page_costs_the_same_queries_whatever_there_is(
    client, django_assert_num_queries, orders
):
    make_watch_list(2026, 5 if not orders else 50)
    for _ in range(orders):
        make_order()
    with django_assert_num_queries(BOOKLET_ORDER_QUERIES):
        assert client.get(URL).status_code == 200


# Where it is offered


def test_the_story_list_and_home_pages_offer_the_booklet(client):
    make_watch_list(2026, 3)
    story = make_story()
    for path in ["/", "/world-watch-list/", story.get_absolute_url()]:
        page = content(client.get(path))
        link = select_one(page, ".booklet-offer a")
        assert link and link["href"] == URL, path
        assert text(str(link)) == "Order my copy"
