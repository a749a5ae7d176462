"""A campaign's results page in the admin: figures, chart, map, member table, CSV, cost."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from campaigns.models import ActionSupport, Letter
from campaigns.models.parliaments import HOLYROOD
from tests.support.admin import admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_motion
from tests.support.html import content, element_text, select, select_one, text
from tests.support.queries import RESULTS_QUERIES

pytestmark = pytest.mark.django_db
Reply = Letter.Reply
MANAGER = ("view_campaign", "view_letter")


@pytest.fixture
def manager(django_user_model):
    return staff_with(django_user_model, *MANAGER)


@pytest.fixture
def seats():
    """Two real Westminster seats (on the map) and their MPs."""
    westminster = make_area(name="Cities of London and Westminster", code="E14001172")
    orkney = make_area(name="Orkney and Shetland", code="S14000051")
    return make_member(westminster, name="Rachel Blake"), make_member(
        orkney, name="Alistair Carmichael"
    )


def on(day, hour=12):
    return time_machine.travel(datetime(2026, 3, day, hour, tzinfo=UTC), tick=False)


@pytest.fixture
def campaign(seats):
    """Three letters to Rachel Blake on 2 and 4 March, one to Carmichael; she then signed."""
    blake, carmichael = seats
    campaign = make_campaign(title="Stop forced returns")
    with on(2):
        make_letter(campaign, blake, source="church", reply=Reply.YES)
        make_letter(campaign, blake, source="church", reply=Reply.NO)
    with on(4):
        make_letter(campaign, blake, delivery=Letter.Delivery.POST, reply=Reply.NOT_YET)
        make_letter(campaign, carmichael, source="=cmd|' /C calc'!A0")
    motion = make_motion(campaign, reference="EDM 42")
    ActionSupport.objects.create(action=motion, representative=blake, date=date(2026, 3, 10))
    return campaign


def results_page(client, campaign, **params):
    response = client.get(admin_url("campaign_results", campaign.pk), params)
    assert response.status_code == 200
    return content(response)


def table_rows(html, table_id):
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in select(html, f"#{table_id} tbody tr")
    ]


def test_results_give_the_counts_by_delivery_state_source_and_reply(manager, campaign):
    html = results_page(manager, campaign)
    assert "4 letters to 2 members; 1 of them replied" in text(html)
    assert "1 supported an action after their first letter" in text(html)
    assert ["Print and post", "1"] in table_rows(html, "by-delivery")
    assert ["Their own email app", "3"] in table_rows(html, "by-delivery")
    assert table_rows(html, "by-source")[0] == ["church", "2"]
    assert ["(none)", "1"] in table_rows(html, "by-source")
    assert "Reply rate: 50% of the 2 letters" in element_text(select_one(html, "#reply-rate"))
    assert ["Not yet", "1"] in table_rows(html, "reply-answers")


def test_chart_has_a_bar_per_day_with_titles_and_a_table(manager, campaign):
    html = results_page(manager, campaign)
    chart = select_one(html, "#letters-chart svg")
    assert chart["role"] == "img"
    assert chart.find("title").get_text() == "Letters per day"
    assert "2 Mar 2026 to 4 Mar 2026" in chart.find("desc").get_text()
    bars = [bar.find("title").get_text() for bar in chart.select("rect.bar")]
    assert bars == ["2 Mar 2026: 2 letters", "3 Mar 2026: 0 letters", "4 Mar 2026: 2 letters"]
    assert table_rows(html, "per-day-table") == [["2 Mar 2026", "2"], ["4 Mar 2026", "2"]]


def test_map_marks_letters_replies_and_supporters_in_each_hexagon(manager, campaign):
    html = results_page(manager, campaign)
    hexes = select(html, "#constituency-map g.hex")
    assert len(hexes) == 650
    westminster = select_one(html, '#constituency-map g[data-code="E14001172"]')
    assert westminster.find("title").get_text() == (
        "Cities of London and Westminster: Rachel Blake. 3 letters; replied: yes; "
        "supported: yes, 10 Mar 2026"
    )
    assert westminster.select("circle.replied") and westminster.select("polygon.supported")
    orkney = select_one(html, '#constituency-map g[data-code="S14000051"]')
    assert "1 letter; replied: no; supported: no" in orkney.find("title").get_text()
    assert not orkney.select("circle.replied")
    legend = element_text(select_one(html, "#map-legend"))
    assert "3 to 9 letters" in legend and "the member replied" in legend


def test_member_table_sorts_on_the_server(manager, campaign):
    rows = table_rows(results_page(manager, campaign), "member-table")
    assert [row[0] for row in rows] == ["Rachel Blake", "Alistair Carmichael"]
    assert rows[0][3:8] == ["3", "1", "1", "1", "2 Mar 2026"]
    assert "EDM 42: signed it" in rows[0][8] and "after the first letter" in rows[0][8]
    by_name = table_rows(results_page(manager, campaign, sort="member"), "member-table")
    assert [row[0] for row in by_name] == ["Alistair Carmichael", "Rachel Blake"]


def test_support_before_the_first_letter_is_not_counted_as_then_supported(manager, seats, campaign):
    ActionSupport.objects.filter(representative=seats[0]).update(date=date(2026, 3, 1))
    html = results_page(manager, campaign)
    assert "0 supported an action after their first letter" in text(html)
    assert table_rows(html, "comparison") == [
        ["House of Commons", "2", "2", "0 (0%)", "0", "0 (–)"]
    ]


def test_comparison_sets_members_written_to_against_the_rest(manager, campaign):
    others = [make_member(make_area()) for _ in range(3)]
    motion = campaign.actions.get()
    ActionSupport.objects.create(action=motion, representative=others[0], date=date(2026, 3, 5))
    ActionSupport.objects.create(action=motion, representative=others[1], date=date(2026, 2, 1))
    html = results_page(manager, campaign)
    # 5 MPs: 2 written to (1 then supported), 3 not (1 supported since the first letter)
    assert table_rows(html, "comparison") == [
        ["House of Commons", "5", "2", "1 (50%)", "3", "1 (33%)"]
    ]


def test_a_holyrood_campaign_shows_the_table_and_says_why_there_is_no_map(manager):
    campaign = make_campaign(parliaments=(HOLYROOD,))
    msp = make_member(make_area(HOLYROOD, name="Edinburgh Central", code="S16000182"))
    make_letter(campaign, msp)
    html = results_page(manager, campaign)
    assert not select(html, "#constituency-map")
    assert "650 Westminster constituencies only" in element_text(select_one(html, "#no-map"))
    assert table_rows(html, "member-table")[0][:4] == [
        msp.name,
        "Edinburgh Central",
        "Scottish Parliament",
        "1",
    ]


def test_an_empty_campaign_says_there_are_no_letters(manager, seats):
    html = results_page(manager, make_campaign())
    assert element_text(select_one(html, "#no-letters")) == "No letters yet."
    assert len(select(html, "#constituency-map g.hex")) == 650


def test_staff_who_may_not_read_letters_cannot_see_results(django_user_model, campaign):
    client = staff_with(django_user_model, "view_campaign")
    assert client.get(admin_url("campaign_results", campaign.pk)).status_code == 403
    assert client.get(admin_url("campaign_results_csv", campaign.pk)).status_code == 403


def test_results_are_linked_from_the_campaign_page_and_list(manager, campaign):
    url = admin_url("campaign_results", campaign.pk)
    change = content(manager.get(admin_url("campaign_change", campaign.pk)))
    assert select_one(change, f'.object-tools a[href="{url}"]').get_text() == "Results"
    listing = content(manager.get(admin_url("campaign_changelist")))
    assert select_one(listing, f'td.field-results a[href="{url}"]')


def test_csv_gives_the_same_figures_with_formulas_made_inert(manager, campaign):
    response = manager.get(admin_url("campaign_results_csv", campaign.pk))
    assert response["Content-Disposition"].startswith('attachment; filename="')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["'=cmd|' /C calc'!A0", "1"] in rows
    assert ["2026-03-02", "2"] in rows and ["Print and post", "1"] in rows
    header = rows.index(["Members"]) + 1
    blake = rows[header + 1]
    assert rows[header][:5] == ["parliament", "constituency", "area_code", "member", "letters"]
    assert blake[3:8] == ["Rachel Blake", "3", "1", "1", "1"]
    assert blake[-3:] == ["EDM 42 (Signed it (early day motion or motion))", "2026-03-10", "yes"]


@pytest.mark.parametrize("count", [10, 1000])
def test_results_page_costs_the_same_queries_whatever_the_letters(
    manager, seats, count, django_assert_num_queries
):
    campaign = make_campaign()
    members = [*seats, *(make_member(make_area()) for _ in range(8))]
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    Letter.objects.bulk_create(
        unsaved_letter(campaign, members[n % 10], n, start + timedelta(hours=7 * n))
        for n in range(count)
    )
    motion = make_motion(campaign, supporters=members[:3])
    assert motion.supports.count() == 3
    results_page(manager, make_campaign())  # the session's first activity is written once
    with django_assert_num_queries(RESULTS_QUERIES):
        html = results_page(manager, campaign)
    assert f"{count} letters to 10 members" in text(html)


def unsaved_letter(campaign, member, n, when):
    letter = Letter(
        campaign=campaign,
        parliament=member.area.parliament,
        representative=member,
        recipient_name=member.name,
        recipient_title="MP",
        constituency=member.area.name,
        area_code=member.area.code,
        variant="ask",
        subject="North Korean refugees",
        body="Please act.",
        personal_percent=30,
        supporter_name=f"Supporter {n}",
        supporter_email=f"s{n}@example.org",
        email_key=f"s{n}@example.org",
        supporter_address="2 High Street",
        supporter_postcode="LS1 1AA",
        delivery=Letter.Delivery.EMAIL_APP,
        source=("church", "youth", "")[n % 3],
        reply=("", Reply.YES, Reply.NO, Reply.NOT_YET)[n % 4],
        reference=f"BULK{n:06d}",
        idempotency_key=f"bulk-{n}",
    )
    letter.created_at = when
    return letter


def test_about_our_data_credits_the_hex_map_and_its_licence(client):
    page = text(content(client.get("/about/data/")))
    assert "odileeds/hexmaps, copyright Open Innovations, MIT licence." in page
