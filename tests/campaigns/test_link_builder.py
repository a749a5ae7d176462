"""The admin's link builder: prefilled links and embed snippets with a source code."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.support.admin import make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import content, select, select_one
from tests.support.workflow import client_for, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_campaign(title='Stop the "forced" returns <now>', slug="stop-forced-returns")


@pytest.fixture
def manager():
    return client_for(member_of("Campaign managers", "casey"))


def links_url(campaign, **query):
    return reverse("admin:campaigns_campaign_links", args=[campaign.pk]), query


def test_a_manager_gets_a_campaign_page_link_with_the_code(manager, campaign):
    url, query = links_url(campaign, source="Church Leeds", kind="page")

    html = content(manager.get(url, query))

    link = select_one(html, "#made-link")["value"]
    assert link == "http://testserver/campaigns/stop-forced-returns/?source=church-leeds"
    assert not select(html, "#made-snippet")


def test_an_embed_link_comes_with_a_frame_snippet_to_copy(manager, campaign):
    url, query = links_url(campaign, source="st-marks", kind="embed")

    html = content(manager.get(url, query))

    link = "http://testserver/campaigns/stop-forced-returns/embed/?source=st-marks"
    assert select_one(html, "#made-link")["value"] == link
    # What staff see and copy is the markup itself: parse it as the partner's page would.
    snippet = select_one(html, "#made-snippet").get_text()
    frame = BeautifulSoup(snippet, "html.parser").iframe
    assert frame["src"] == link
    assert frame["title"] == 'Write to your representative: Stop the "forced" returns <now>'
    assert "<now>" not in snippet and "&lt;now&gt;" in snippet  # escaped once, in the markup


def test_a_personal_looking_code_is_refused_with_what_was_typed_kept(manager, campaign):
    url, query = links_url(campaign, source="jane@example.org", kind="page")

    response = manager.get(url, query)

    html = content(response)
    assert response.status_code == 200
    assert "looks like personal data" in select_one(html, "#link-form").get_text()
    assert select_one(html, "input[name=source]")["value"] == "jane@example.org"
    assert not select(html, "#made-link")


def test_the_page_counts_letters_by_source(manager, campaign):
    mp = make_member(make_area())
    for source in ["church-leeds", "church-leeds", ""]:
        make_letter(campaign, mp, source=source)

    html = content(manager.get(*links_url(campaign)))

    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in select(html, "#letters-by-source tbody tr")
    ]
    assert rows == [["church-leeds", "2"], ["(no code: direct)", "1"]]


def test_the_campaign_page_links_to_the_builder(manager, campaign):
    html = content(manager.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk])))

    assert reverse("admin:campaigns_campaign_links", args=[campaign.pk]) in [
        a["href"] for a in select(html, ".object-tools a")
    ]


@pytest.mark.parametrize("who", ["Editors", "view only"])
def test_staff_who_cannot_change_campaigns_may_not_use_it(campaign, django_user_model, who):
    if who == "view only":
        staff = staff_with(django_user_model, "view_campaign")
    else:
        staff = client_for(member_of(who, "eddie"))

    assert staff.get(*links_url(campaign, source="x", kind="page")).status_code == 403


def test_a_built_link_opens_the_campaign_page_with_its_code(manager, campaign, client):
    url, query = links_url(campaign, source="Spring Mailing", kind="page")
    link = select_one(content(manager.get(url, query)), "#made-link")["value"]

    page = content(client.get(link))

    assert select_one(page, "form.postcode-form input[name=source]")["value"] == "spring-mailing"
