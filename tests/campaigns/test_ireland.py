"""Finding TDs without an Eircode table, and writing to them: by constituency or county."""

import csv

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.lookup.ireland import COUNTIES, lookup_dail
from campaigns.models import Letter
from campaigns.models.parliaments import DAIL
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, element_text, select, select_one, tags, text
from tests.support.letters import OWN_WORDS, confirmation_link, form_key, letter_data
from tests.support.queries import (
    COMPOSE_QUERIES,
    DAIL_PAGE_QUERIES,
    LOOKUP_MAX_QUERIES,
    WRITE_QUERIES,
)
from tests.support.seed_files import REAL_SEEDS
from tests.support.worker import run_due_tasks

pytestmark = pytest.mark.django_db

# One query for the constituencies, one for the chosen constituency's TDs.
DAIL_LOOKUP_QUERIES = 2
DUBLIN_CENTRAL = [
    ("Marie Sherlock", "Sherlock", "Labour Party"),
    ("Mary Lou McDonald", "McDonald", "Sinn Féin"),
    ("Daniel Ennis", "Ennis", "Social Democrats"),
    ("Gary Gannon", "Gannon", "Social Democrats"),
]


@pytest.fixture
def dublin_central():
    area = make_area(DAIL, name="Dublin Central", code="Dublin-Central", seats=4, counties="Dublin")
    return [
        make_member(area, name=name, party=party, addressed_as=f"Deputy {surname}")
        for name, surname, party in DUBLIN_CENTRAL
    ]


@pytest.fixture
def meath():
    """Meath lies in two constituencies: Louth (with part of Meath) and Meath East."""
    louth = make_area(DAIL, name="Louth", code="Louth", seats=5, counties="Louth / Meath")
    east = make_area(DAIL, name="Meath East", code="Meath-East", seats=4, counties="Meath")
    make_member(louth, name="Ged Nash", party="Labour Party", addressed_as="Deputy Nash")
    return louth, east


@pytest.fixture
def dail_campaign(dublin_central):
    return make_campaign(parliaments=(DAIL,), title="Free the prisoners", slug="free-them")


def ireland_url(**params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('campaigns:representatives_ireland')}?{query}"


# Finding TDs


def test_a_constituency_finds_its_tds_in_two_queries(
    dublin_central, meath, django_assert_num_queries
):
    with django_assert_num_queries(DAIL_LOOKUP_QUERIES):
        found = lookup_dail(constituency="Dublin-Central")

    assert DAIL_LOOKUP_QUERIES <= LOOKUP_MAX_QUERIES
    seat = found.result.constituency
    assert [member.name for member in seat.members] == [name for name, *_ in DUBLIN_CENTRAL]
    assert seat.vacancies == []


def test_a_county_in_one_constituency_goes_straight_to_its_tds(dublin_central, meath):
    found = lookup_dail(county="Dublin")

    assert found.result.constituency.area.name == "Dublin Central"


def test_a_county_in_several_constituencies_asks_which(dublin_central, meath):
    found = lookup_dail(county="Meath")

    assert found.needs_choice
    assert [area.name for area in found.in_county] == ["Louth", "Meath East"]


def test_the_page_lists_a_dublin_constituencys_tds(
    client, dublin_central, meath, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        response = client.get(ireland_url(constituency="Dublin-Central"))

    html = content(response)
    names = [element_text(tag) for tag in select(html, ".member-name")]
    assert names == [f"{name} TD" for name, *_ in DUBLIN_CENTRAL]
    assert len(tags(html, "h1")) == 1
    assert "Leinster House" in element_text(select_one(html, ".by-post"))  # no email held: by post
    assert "Data Protection Commission" in text(html)


def test_the_constituency_list_is_grouped_by_county(client, dublin_central, meath):
    html = content(client.get(reverse("campaigns:representatives_ireland")))

    groups = {
        group["label"]: [option.get_text() for option in group.find_all("option")]
        for group in select(html, "#id_constituency optgroup")
    }
    assert groups == {
        "Dublin": ["Dublin Central"],
        "Louth": ["Louth"],
        "Meath": ["Louth", "Meath East"],
    }
    assert select_one(html, "label[for=id_county]") and select_one(
        html, "label[for=id_constituency]"
    )


def test_a_county_choice_lists_its_constituencies_as_links(client, dublin_central, meath):
    html = content(client.get(ireland_url(county="Meath")))

    links = {element_text(a): a["href"] for a in select(html, ".dail-choice .choice-list a")}
    assert set(links) == {"Louth", "Meath East"}
    assert "constituency=Meath-East" in links["Meath East"]
    assert "Louth 5 TDs" in element_text(select_one(html, ".dail-choice .choice-list"))


def test_an_unknown_constituency_is_refused_with_a_linked_error(client, dublin_central):
    html = content(client.get(ireland_url(constituency="Atlantis")))

    summary = select_one(html, ".error-summary a")
    assert summary["href"] == "#id_constituency"
    assert "Choose your constituency from the list." in element_text(summary)
    assert not select(html, ".member-name")


def test_the_county_list_for_addresses_matches_the_shipped_constituencies():
    with (REAL_SEEDS / "dail_constituencies_2023.csv").open(encoding="utf-8") as handle:
        counties = {c.strip() for row in csv.DictReader(handle) for c in row["counties"].split("/")}

    assert counties == set(COUNTIES)


# Writing to TDs


def compose_url(campaign, members, constituency="Dublin-Central"):
    query = "&".join([f"constituency={constituency}", *(f"member={m.pk}" for m in members)])
    return f"{reverse('campaigns:compose', args=[campaign.slug])}?{query}"


def irish_letter(key, member, **overrides):
    data = letter_data(
        key,
        name="Aoife Byrne",
        email="aoife@example.org",
        address="4 Eccles Street\nDublin 7",
        county="Dublin",
        eircode="d07 x2y3",
        subject_1=f"Prisoners: {member.name}",
        body_1="{salutation},\n\n{personal_paragraph}\n\nIs mise,\n{supporter_name}\n"
        "{supporter_address}",
        delivery="post",
    )
    return {**data, **overrides}


def test_a_dail_campaign_offers_the_constituencys_tds_to_choose_from(
    client, dail_campaign, dublin_central
):
    url = reverse("campaigns:write", args=[dail_campaign.slug]) + "?constituency=Dublin-Central"

    html = content(client.get(url))

    boxes = select(html, "input[name=member]")
    assert len(boxes) == 4
    labels = [element_text(select_one(html, f"label[for={box['id']}]")) for box in boxes]
    assert "Mary Lou McDonald TD Sinn Féin" in labels
    hidden = select_one(html, ".members-form input[name=constituency]")
    assert hidden["value"] == "Dublin-Central"


def test_a_dail_campaign_page_opens_with_the_constituency_choice(client, dail_campaign):
    html = content(client.get(reverse("campaigns:write", args=[dail_campaign.slug])))

    assert select_one(html, ".dail-choice #id_constituency")
    assert not select(html, ".error-summary")  # nothing chosen yet: nothing wrong yet
    page = content(client.get(dail_campaign.get_absolute_url()))
    assert "Choose your Dáil constituency" in text(page)


def test_a_print_letter_to_a_td_greets_them_as_deputy_and_goes_to_leinster_house(
    client, dail_campaign, dublin_central
):
    mary_lou = dublin_central[1]
    url = compose_url(dail_campaign, [mary_lou])
    page = content(client.get(url))
    assert select_one(page, "#id_county option[selected]")["value"] == "Dublin"

    response = client.post(url, irish_letter(form_key(client, url), mary_lou))

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.recipient_title == "TD for Dublin Central"
    assert letter.body.startswith("Dear Deputy McDonald,")
    assert letter.supporter_postcode == "D07 X2Y3"
    assert letter.supporter_address == "4 Eccles Street\nDublin 7"  # Dublin is there already
    printed = content(client.get(response["Location"] + "print/"))
    sender, recipient = (text(block) for block in printed.split("<address")[1:3])
    assert "Aoife Byrne" in sender and "D07 X2Y3" in sender
    for line in (
        "Mary Lou McDonald TD",
        "Leinster House",
        "Kildare Street",
        "Dublin 2",
        "D02 XR20",
    ):
        assert line in recipient


def test_the_county_is_added_to_an_address_without_it_and_the_eircode_may_be_left_out(
    client, dail_campaign, dublin_central
):
    url = compose_url(dail_campaign, dublin_central[:1])
    data = irish_letter(
        form_key(client, url), dublin_central[0], address="1 Main Street\nSwords", eircode=""
    )

    client.post(url, data)

    letter = Letter.objects.get()
    assert letter.supporter_address == "1 Main Street\nSwords\nCo. Dublin"
    assert letter.supporter_postcode == ""
    assert letter.body.endswith("Aoife Byrne\n1 Main Street\nSwords\nCo. Dublin")


def test_a_bad_eircode_is_refused_and_what_was_typed_is_kept(client, dail_campaign, dublin_central):
    url = compose_url(dail_campaign, dublin_central[:1])
    data = irish_letter(form_key(client, url), dublin_central[0], eircode="B12 3456", county="")

    html = content(client.post(url, data))

    assert "That is not an Eircode" in element_text(select_one(html, "#id_eircode-error"))
    assert "Choose your county." in element_text(select_one(html, "#id_county-error"))
    assert select_one(html, "#id_eircode")["value"] == "B12 3456"
    assert "4 Eccles Street" in element_text(select_one(html, "#id_address"))
    assert not Letter.objects.exists()


def test_a_td_without_a_checked_email_can_only_be_written_to_by_post(
    client, dail_campaign, dublin_central
):
    url = compose_url(dail_campaign, dublin_central[:1])
    page = content(client.get(url))
    assert [b["value"] for b in select(page, "button[name=delivery]")] == ["post"]

    html = content(
        client.post(
            url, irish_letter(form_key(client, url), dublin_central[0], delivery="email_app")
        )
    )

    assert "print and post it" in text(html)
    assert not Letter.objects.exists()


def test_a_td_with_an_email_staff_added_gets_the_letter_sent_to_the_test_recipient(
    client, dail_campaign, dublin_central, settings
):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False
    gannon = dublin_central[3]
    gannon.email = "gary.gannon@example.org"
    gannon.save()
    url = compose_url(dail_campaign, [gannon])
    data = irish_letter(form_key(client, url), gannon, delivery="send_for_me", answer_1=OWN_WORDS)

    assert client.post(url, data).status_code == 302
    client.post(confirmation_link())
    assert run_due_tasks() == ["sent"]

    (sent,) = [m for m in mail.outbox if m.subject.startswith("Prisoners")]
    assert sent.to == ["test-inbox@example.org"]
    assert "Dear Deputy Gannon," in sent.body
    assert "gary.gannon@example.org" not in " ".join([*sent.to, *sent.cc, *sent.bcc])


def test_the_privacy_page_has_an_irish_part_naming_the_regulator(client):
    html = content(client.get(reverse("campaigns:privacy")))

    irish = select_one(html, "#ireland")
    assert irish.name == "h2"
    assert "Data Protection Commission" in text(html)


def test_the_irish_pages_make_as_few_queries_as_the_postcode_ones(
    client, dail_campaign, dublin_central, django_assert_num_queries
):
    write = reverse("campaigns:write", args=[dail_campaign.slug]) + "?constituency=Dublin-Central"
    with django_assert_num_queries(WRITE_QUERIES):
        client.get(write)
    with django_assert_num_queries(COMPOSE_QUERIES):
        client.get(compose_url(dail_campaign, dublin_central))
    with django_assert_num_queries(DAIL_PAGE_QUERIES):
        client.get(ireland_url(constituency="Dublin-Central"))
