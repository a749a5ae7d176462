"""The Northern Ireland Assembly: its 18 constituencies chosen from a list (no open table places
BT postcodes in them), its five MLAs each, and letters to them.

The MLAs here are made up (tests.support.ni_assembly): no list could be checked against the
Assembly's own offline, so none is shipped.
"""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.lookup.backends import BACKENDS, Candidate
from campaigns.lookup.service import lookup_postcode
from campaigns.models import Area, Letter, Representative
from campaigns.models.parliaments import COMMONS, HOLYROOD, NI_ASSEMBLY
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, element_text, select, select_one, text
from tests.support.imports import run_import
from tests.support.letters import OWN_WORDS, confirmation_link, form_key, letter_data
from tests.support.ni_assembly import BELFAST_EAST, seeds_with_fictional_mlas
from tests.support.queries import COMPOSE_QUERIES, LOOKUP_MAX_QUERIES, WRITE_QUERIES
from tests.support.seed_files import copy_real_seeds
from tests.support.worker import run_due_tasks

pytestmark = pytest.mark.django_db

SUPPORTER_POSTCODE = "BT7 1NN"
BELFAST_EAST_MLAS = [
    ("Ann Example1", "Ms", "Example1", "Alliance Party"),
    ("Ben Example2", "Mr", "Example2", "Democratic Unionist Party"),
    ("Cara Example3", "Dr", "Example3", "Democratic Unionist Party"),
    ("Dan Example4", "Mr", "Example4", "Ulster Unionist Party"),
    ("Eve Example5", "Mrs", "Example5", "Alliance Party"),
]

# Equals, listed by party as the Senedd's and the Dáil's members are.
BY_PARTY = [name for name, *_, party in sorted(BELFAST_EAST_MLAS, key=lambda m: (m[3], m[0]))]


def mlas():
    return Representative.objects.filter(area__parliament__slug=NI_ASSEMBLY)


@pytest.fixture
def belfast_east():
    area = make_area(NI_ASSEMBLY, name="Belfast East", code=BELFAST_EAST, seats=5)
    make_area(NI_ASSEMBLY, name="Belfast North", code="N06000002", seats=5)
    make_area(code="N05000001", name="Belfast East")  # the Westminster seat of the same name
    return [
        make_member(area, name=name, party=party, addressed_as=f"{title} {surname} MLA")
        for name, title, surname, party in BELFAST_EAST_MLAS
    ]


@pytest.fixture
def assembly_campaign(belfast_east):
    return make_campaign(parliaments=(NI_ASSEMBLY,), title="Free the prisoners", slug="free-them")


def write_url(campaign, *areas, postcode=SUPPORTER_POSTCODE):
    query = "&".join([f"postcode={postcode}", *(f"area={code}" for code in areas)])
    return f"{reverse('campaigns:write', args=[campaign.slug])}?{query}"


def compose_url(campaign, members):
    query = [f"postcode={SUPPORTER_POSTCODE}", f"area={BELFAST_EAST}"]
    query += [f"member={member.pk}" for member in members]
    return f"{reverse('campaigns:compose', args=[campaign.slug])}?{'&'.join(query)}"


def belfast_letter(key, member, **overrides):
    data = letter_data(
        key,
        name="Siobhan Kelly",
        email="siobhan@example.org",
        address="12 Ormeau Road\nBelfast",
        subject_1=f"Prisoners: {member.name}",
        body_1="{salutation},\n\n{personal_paragraph}\n\nYours sincerely,\n{supporter_name}\n"
        "{supporter_address}",
        delivery="post",
    )
    return {**data, **overrides}


# The import, on the shipped constituencies


def test_a_checked_members_file_gives_90_mlas_five_in_each_of_the_18_constituencies(tmp_path):
    run_import(seeds_with_fictional_mlas(tmp_path / "seeds"))

    areas = Area.objects.filter(parliament__slug=NI_ASSEMBLY)
    assert areas.count() == 18
    assert mlas().current().count() == 90
    assert {area.representatives.count() for area in areas} == {5}
    first = mlas().get(name="Sam Example011")
    assert (first.area.name, first.salutation) == ("Belfast East", "Dear Ms Example011 MLA")


def test_the_import_of_the_mlas_is_idempotent_and_a_dry_run_saves_nothing(tmp_path):
    seeds = seeds_with_fictional_mlas(tmp_path / "seeds")
    run_import(seeds, "--dry-run")
    assert not mlas().exists()

    run_import(seeds)
    before = sorted(mlas().values_list("pk", "name", "in_office_to"))
    run_import(seeds)

    assert sorted(mlas().values_list("pk", "name", "in_office_to")) == before


def test_the_shipped_files_alone_give_the_18_constituencies_and_no_mla(tmp_path):
    run_import(copy_real_seeds(tmp_path / "seeds"))

    assert Area.objects.filter(parliament__slug=NI_ASSEMBLY).count() == 18
    assert not mlas().exists()


# Finding MLAs from a BT postcode and the list


def test_a_bt_postcode_offers_the_assembly_constituencies_until_one_is_chosen(belfast_east):
    result = lookup_postcode(postcode=SUPPORTER_POSTCODE)

    assert not result.covered and result.asks_constituency
    assert [area.name for area in result.assembly_choices] == ["Belfast East", "Belfast North"]
    assert result.assembly_listed
    assert [area.code for area in result.choices] == ["N05000001"]  # and the MP's list


def test_an_assembly_constituency_chosen_gives_its_five_mlas_within_the_lookup_budget(
    belfast_east, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        result = lookup_postcode(postcode=SUPPORTER_POSTCODE, chosen=[BELFAST_EAST])

    (assembly,) = result.parliaments
    assert assembly.parliament.slug == NI_ASSEMBLY
    assert [m.name for m in assembly.constituency.members] == BY_PARTY
    assert result.assembly_choices == []
    assert [area.code for area in result.choices] == ["N05000001"]  # the MP is still to choose


class KnowsTheWestminsterSeat:
    """A backend that places a BT postcode in its Westminster constituency, as postcodes.io
    does (the offline tables cover Great Britain only)."""

    def candidates(self, postcode):
        area = Area.objects.select_related("parliament", "parent").get(code="N05000001")
        return [Candidate(area=area, share=None, basis="exact")]


def test_where_the_backend_knows_the_mp_the_assembly_list_is_still_offered(belfast_east):
    make_member(Area.objects.get(code="N05000001"), name="Member for Belfast East")

    result = lookup_postcode(postcode=SUPPORTER_POSTCODE, backend=KnowsTheWestminsterSeat())

    (commons,) = result.parliaments
    assert [m.name for m in commons.constituency.members] == ["Member for Belfast East"]
    assert result.choices == []  # the MP is not asked for
    assert [area.name for area in result.assembly_choices] == ["Belfast East", "Belfast North"]
    assert result.asks_constituency


def test_where_the_backend_knows_the_mp_the_chosen_assembly_seat_adds_the_mlas(belfast_east):
    backend = KnowsTheWestminsterSeat()

    result = lookup_postcode(postcode=SUPPORTER_POSTCODE, chosen=[BELFAST_EAST], backend=backend)

    assert [item.parliament.slug for item in result.parliaments] == [COMMONS, NI_ASSEMBLY]
    assert not result.asks_constituency


def test_the_mp_and_the_mlas_can_both_be_chosen(belfast_east):
    make_member(Area.objects.get(code="N05000001"), name="Member for Belfast East")

    result = lookup_postcode(postcode=SUPPORTER_POSTCODE, chosen=["N05000001", BELFAST_EAST])

    assert [item.parliament.slug for item in result.parliaments] == [COMMONS, NI_ASSEMBLY]
    assert not result.asks_constituency


def test_the_page_lists_the_five_mlas_and_where_to_post_to_them(
    client, belfast_east, django_assert_max_num_queries
):
    url = f"{reverse('campaigns:representatives')}?postcode=BT7+1NN&area={BELFAST_EAST}"
    with django_assert_max_num_queries(LOOKUP_MAX_QUERIES):
        html = content(client.get(url))

    names = [element_text(tag) for tag in select(html, ".member-name")]
    assert names == [f"{name} MLA" for name in BY_PARTY]
    assert "Parliament Buildings" in element_text(select_one(html, ".by-post"))
    change = select_one(html, ".seat-note a")
    assert BELFAST_EAST not in change["href"]  # choose again


def test_with_postcodes_io_the_page_shows_the_mp_and_asks_for_the_assembly_seat(
    client, belfast_east, settings, monkeypatch
):
    make_member(Area.objects.get(code="N05000001"), name="Member for Belfast East")
    monkeypatch.setitem(BACKENDS, "postcodes.io", KnowsTheWestminsterSeat)
    settings.POSTCODE_LOOKUP_BACKEND = "postcodes.io"

    html = content(client.get(f"{reverse('campaigns:representatives')}?postcode=BT7+1NN"))

    assert "Member for Belfast East" in text(html)
    assembly = [option.get_text() for option in select(html, "select option")]
    assert "Belfast East" in assembly and "Belfast North" in assembly
    # postcodes.io covers Northern Ireland: only the Assembly's seats are beyond it.
    assert "covers Great Britain only" not in text(html)
    assert "No open data places Northern Ireland postcodes in Assembly" in text(html)


# Writing to MLAs


def test_an_assembly_campaign_asks_a_bt_postcode_for_the_assembly_constituency(
    client, assembly_campaign
):
    html = content(client.get(write_url(assembly_campaign)))

    options = [o.get_text() for o in select(html, "#assembly-area option") if o["value"]]
    assert options == ["Belfast East", "Belfast North"]
    assert not select(html, "select#area")  # the campaign is not to MPs
    assert not select(html, ".error-summary")
    assert select_one(html, "form.filter")["action"] == reverse(
        "campaigns:write", args=[assembly_campaign.slug]
    )


def test_an_assembly_campaign_offers_the_five_mlas_to_choose_from(
    client, assembly_campaign, django_assert_num_queries
):
    with django_assert_num_queries(WRITE_QUERIES):
        html = content(client.get(write_url(assembly_campaign, BELFAST_EAST)))

    boxes = select(html, "input[name=member]")
    labels = [element_text(select_one(html, f"label[for={box['id']}]")) for box in boxes]
    assert labels[0] == "Ann Example1 MLA Alliance Party" and len(labels) == 5
    hidden = {i["name"]: i["value"] for i in select(html, ".members-form input[type=hidden]")}
    assert hidden == {"postcode": SUPPORTER_POSTCODE, "area": BELFAST_EAST}


def test_a_print_letter_to_an_mla_greets_them_by_title_and_goes_to_stormont(
    client, assembly_campaign, belfast_east, django_assert_num_queries
):
    eve = belfast_east[4]
    url = compose_url(assembly_campaign, [eve])
    with django_assert_num_queries(COMPOSE_QUERIES):
        client.get(url)

    response = client.post(url, belfast_letter(form_key(client, url), eve))

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.recipient_title == "MLA for Belfast East"
    assert letter.body.startswith("Dear Mrs Example5 MLA,")
    assert letter.supporter_postcode == SUPPORTER_POSTCODE
    printed = content(client.get(response["Location"] + "print/"))
    sender, recipient = (text(block) for block in printed.split("<address")[1:3])
    assert "Siobhan Kelly" in sender and SUPPORTER_POSTCODE in sender
    for line in ("Eve Example5 MLA", "Parliament Buildings", "Stormont", "Belfast", "BT4 3XX"):
        assert line in recipient


def test_an_mla_with_an_email_gets_the_letter_sent_to_the_test_recipient(
    client, assembly_campaign, belfast_east, settings
):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False
    ben = belfast_east[1]
    ben.email = "ben.example2@example.org"
    ben.save()
    url = compose_url(assembly_campaign, [ben])
    data = belfast_letter(form_key(client, url), ben, delivery="send_for_me", answer_1=OWN_WORDS)

    assert client.post(url, data).status_code == 302
    client.post(confirmation_link())
    assert run_due_tasks() == ["sent"]

    (sent,) = [m for m in mail.outbox if m.subject.startswith("Prisoners")]
    assert sent.to == ["test-inbox@example.org"]
    assert "Dear Mr Example2 MLA," in sent.body
    assert "ben.example2@example.org" not in " ".join([*sent.to, *sent.cc, *sent.bcc])


def test_while_no_mlas_are_loaded_the_campaign_says_so_and_offers_no_letter(client):
    campaign = make_campaign(parliaments=(NI_ASSEMBLY,))
    make_area(NI_ASSEMBLY, name="Belfast East", code=BELFAST_EAST, seats=5)

    asked = content(client.get(write_url(campaign)))
    chosen = content(client.get(write_url(campaign, BELFAST_EAST)))

    assert "The Assembly's members are not yet loaded on this site" in text(asked)
    assert select(asked, "#assembly-area option[value=N06000001]")
    assert "members are not yet loaded on this site" in text(chosen)
    assert not select(chosen, "input[name=member]")
    assert "Write my letter" not in text(chosen)


def test_a_gb_postcode_is_told_the_assembly_campaign_is_for_northern_ireland(
    client, assembly_campaign
):
    make_area(code="E14001172", name="Cities of London and Westminster")
    html = content(client.get(write_url(assembly_campaign, postcode="ZZ99 9ZZ")))

    assert not select(html, "input[name=member]")
    assert not select(html, "#assembly-area")


def test_a_bt_postcode_is_told_a_holyrood_campaign_is_for_scotland_not_that_it_was_not_found(
    client,
):
    campaign = make_campaign(parliaments=(HOLYROOD,), title="Ask your MSP")
    make_area(NI_ASSEMBLY, name="Belfast East", code=BELFAST_EAST, seats=5)

    html = content(client.get(write_url(campaign)))

    assert "This campaign is for the Scottish Parliament" in text(html)
    assert "your postcode is in Northern Ireland" in text(html)
    assert "We could not find" not in text(html)
    assert not select(html, "#assembly-area")
