"""The admin's "Scheduled" page: what goes live and what closes, day by day, in UK time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.publishing import Status
from tests.support.admin import staff_allowed
from tests.support.campaign_factories import make_campaign
from tests.support.factories import make_prayer_request, make_spokesperson, make_story
from tests.support.html import content, element_text, links, select, select_one, text
from tests.support.queries import SCHEDULE_QUERIES

pytestmark = pytest.mark.django_db

# The Wednesday before the clocks go forward (Sunday 29 March 2026, 01:00 UTC).
NOW = datetime(2026, 3, 25, 12, 0, tzinfo=ZoneInfo("Europe/London"))
URL = "/admin/schedule/"
CALENDAR_URL = "/admin/schedule/schedule.ics"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def days(response):
    """Day heading -> the text of each row under it."""
    html = content(response)
    return {
        element_text(day.h2): [element_text(row) for row in day.select("tr.schedule-entry")]
        for day in select(html, "#scheduled .schedule-day")
    }


def waiting(response):
    return [
        element_text(row) for row in select(content(response), "#not-approved tr.schedule-entry")
    ]


def test_a_scheduled_story_is_listed_under_its_day_in_uk_time(admin_client):
    # 23:30 UTC on Sunday is 00:30 on Monday once the clocks have gone forward.
    make_story(title="Church reopens", published_at=datetime(2026, 3, 29, 23, 30, tzinfo=UTC))

    listed = days(admin_client.get(URL))

    assert listed == {"Monday 30 March 2026": ["00:30 Story goes live Church reopens Published"]}


def test_every_kind_of_content_going_live_is_listed_in_time_order(admin_client):
    soon = NOW + timedelta(days=1)
    make_prayer_request(title="Pray for Iran", published_at=soon + timedelta(hours=2))
    make_spokesperson(name="Pastor Lee", published_at=soon + timedelta(hours=1))
    make_story(title="Church reopens", published_at=soon)
    make_campaign(title="Stop forced returns", published_at=soon + timedelta(hours=3))

    listed = days(admin_client.get(URL))

    assert listed == {
        "Thursday 26 March 2026": [
            "12:00 Story goes live Church reopens Published",
            "13:00 Spokesperson goes live Pastor Lee Published",
            "14:00 Prayer request goes live Pray for Iran Published",
            "15:00 Campaign opens Stop forced returns Published",
        ]
    }


def test_content_already_published_is_not_listed(admin_client):
    make_story(title="Old news", published_at=NOW - timedelta(days=2))
    make_campaign(title="Running campaign", published_at=NOW - timedelta(days=2))

    page = text(content(admin_client.get(URL)))

    assert "Old news" not in page
    assert "Running campaign" not in page
    assert "Nothing is scheduled in this range." in page


def test_a_campaign_closing_is_listed_on_its_day(admin_client):
    make_campaign(
        title="Stop forced returns",
        published_at=NOW - timedelta(days=30),
        closes_at=datetime(2026, 4, 2, 17, 0, tzinfo=ZoneInfo("Europe/London")),
    )

    listed = days(admin_client.get(URL))

    assert listed == {
        "Thursday 2 April 2026": ["17:00 Campaign closes Stop forced returns Published"]
    }


def test_a_scheduled_campaign_is_listed_opening_and_closing(admin_client):
    opens = NOW + timedelta(days=7)
    make_campaign(title="Free Pastor Kim", published_at=opens, closes_at=opens + timedelta(days=14))

    listed = days(admin_client.get(URL))

    assert listed == {
        "Wednesday 1 April 2026": ["12:00 Campaign opens Free Pastor Kim Published"],
        "Wednesday 15 April 2026": ["12:00 Campaign closes Free Pastor Kim Published"],
    }


def test_closings_of_drafts_and_closed_campaigns_are_not_listed(admin_client):
    make_campaign(title="Draft", status=Status.DRAFT, closes_at=NOW + timedelta(days=3))
    make_campaign(
        title="Closed",
        published_at=NOW - timedelta(days=30),
        closes_at=NOW - timedelta(days=1),
    )

    assert days(admin_client.get(URL)) == {}


def test_scheduled_content_not_yet_approved_is_listed_apart(admin_client):
    make_story(title="Raid on a church", status=Status.REVIEW, published_at=NOW + timedelta(days=2))
    make_spokesperson(
        name="Hannah", status=Status.SAFEGUARDING, published_at=NOW - timedelta(days=1)
    )
    make_story(title="A draft", status=Status.DRAFT, published_at=NOW + timedelta(days=2))

    response = admin_client.get(URL)

    assert waiting(response) == [
        "24 Mar 2026, 12:00 Spokesperson goes live Hannah Safeguarding review",
        "27 Mar 2026, 12:00 Story goes live Raid on a church In review",
    ]
    assert days(response) == {}
    assert "A draft" not in text(content(response))


def test_content_due_after_the_range_is_not_listed(admin_client):
    make_story(title="Far ahead", published_at=NOW + timedelta(weeks=9))
    make_story(
        title="Waiting, far ahead", status=Status.REVIEW, published_at=NOW + timedelta(weeks=9)
    )

    assert "Far ahead" not in text(content(admin_client.get(URL)))
    assert "Far ahead" in text(content(admin_client.get(URL, {"weeks": 13})))


def test_the_past_seven_days_are_listed_when_asked_for(admin_client):
    make_story(title="Went live on Monday", published_at=NOW - timedelta(days=2))
    make_story(title="Went live last month", published_at=NOW - timedelta(days=30))

    page = text(content(admin_client.get(URL, {"past": "on"})))

    assert "Went live on Monday" in page
    assert "Went live last month" not in page


def test_a_range_that_is_not_offered_shows_the_next_eight_weeks(admin_client):
    make_story(title="In seven weeks", published_at=NOW + timedelta(weeks=7))

    response = admin_client.get(URL, {"weeks": "10000"})

    assert response.status_code == 200
    assert "In seven weeks" in text(content(response))


def test_each_title_links_to_its_change_page(admin_client):
    story = make_story(status=Status.REVIEW, published_at=NOW + timedelta(days=1))
    person = make_spokesperson(published_at=NOW + timedelta(days=1))
    prayer = make_prayer_request(published_at=NOW + timedelta(days=1))
    campaign = make_campaign(published_at=NOW + timedelta(days=1))

    page_links = links(content(admin_client.get(URL)))

    for name, obj in [
        ("stories_story", story),
        ("stories_spokesperson", person),
        ("stories_prayerrequest", prayer),
        ("campaigns_campaign", campaign),
    ]:
        assert reverse(f"admin:{name}_change", args=[obj.pk]) in page_links


def test_staff_see_only_the_kinds_they_may_view(django_user_model):
    make_story(title="Church reopens", published_at=NOW + timedelta(days=1))
    make_campaign(title="Stop forced returns", published_at=NOW + timedelta(days=1))
    make_campaign(title="Waiting campaign", status=Status.REVIEW, published_at=NOW)
    editor = staff_allowed(django_user_model, "stories.view_story")

    page = text(content(editor.get(URL)))

    assert "Church reopens" in page
    assert "Stop forced returns" not in page
    assert "Waiting campaign" not in page
    assert "Campaign" not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(CALENDAR_URL).status_code == 302


def test_the_admin_index_links_to_the_schedule(admin_client):
    html = content(admin_client.get(reverse("admin:index")))

    assert select_one(html, "#schedule-link a")["href"] == URL


def test_the_page_makes_one_query_per_kind_of_content(admin_client, django_assert_num_queries):
    for day in range(1, 6):
        when = NOW + timedelta(days=day)
        make_story(published_at=when)
        make_story(status=Status.REVIEW, published_at=when)
        make_spokesperson(published_at=when)
        make_prayer_request(published_at=when)
        make_campaign(published_at=when, closes_at=when + timedelta(days=7))
    admin_client.get(URL)  # the session and the user, read once per request either way

    with django_assert_num_queries(SCHEDULE_QUERIES):
        response = admin_client.get(URL)

    assert len(select(content(response), "tr.schedule-entry")) == 30


def test_the_calendar_file_lists_the_same_rows(admin_client):
    make_story(title="Church reopens; doors, and windows", published_at=NOW + timedelta(days=1))
    make_spokesperson(name="Pastor Lee", published_at=NOW + timedelta(days=2))
    make_story(title="Raid on a named village", status=Status.REVIEW, published_at=NOW)

    response = admin_client.get(CALENDAR_URL)
    calendar = response.content.decode()

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert calendar.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert calendar.count("BEGIN:VEVENT") == 3
    assert "SUMMARY:Story goes live: Church reopens\\; doors\\, and windows\r\n" in calendar
    assert "DTSTART:20260326T120000Z\r\n" in calendar
    assert "SUMMARY:Spokesperson goes live\r\n" in calendar
    assert "SUMMARY:Not yet approved: Story goes live\r\n" in calendar
    assert "Pastor Lee" not in calendar
    assert "named village" not in calendar
    assert all(len(line.encode()) <= 75 for line in calendar.split("\r\n"))
