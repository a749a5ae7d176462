"""Per-member pacing: at most a campaign's rate of letters to each member an hour, in office
hours of the member's parliament's time zone, the rest in order of confirmation; the task waits
for the slot, and the supporter is told when their letter goes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult, get_date_max

from advocacy.settings import base
from campaigns.delivery.housekeeping import letters_sweep, task_lease
from campaigns.delivery.operations import letters_retry
from campaigns.delivery.pacing import HOUR, Pace, first_free_hour, slot_words
from campaigns.delivery.sending import letter_send, letters_confirm
from campaigns.models import Campaign, Letter, Parliament
from tests.support.admin import admin_url
from tests.support.campaign_factories import make_area, make_campaign, make_member, parliament
from tests.support.html import content, form_fields, text
from tests.support.letters import member_mails, pending_letters
from tests.support.queries import CONFIRM_POST_QUERIES
from tests.support.worker import run_due_tasks

State = Letter.State
LONDON = ZoneInfo("Europe/London")
OFFICE = {"office_opens": 9, "office_closes": 17, "send_at_weekends": False}
# Tuesday 8 December 2026, 10:20 in London (GMT: London's time is UTC's in winter).
TUESDAY_MORNING = datetime(2026, 12, 8, 10, 20, tzinfo=UTC)


def pace(per_hour=20, *, zone=LONDON, weekends=False, opens=9, closes=17) -> Pace:
    return Pace(per_hour=per_hour, opens=opens, closes=closes, weekends=weekends, zone=zone)


def at(*args, zone=LONDON) -> datetime:
    """A moment given in local time, in UTC."""
    return datetime(*args, tzinfo=zone).astimezone(UTC)


# The arithmetic


def test_a_letter_confirmed_in_office_hours_takes_the_hour_it_is_in():
    assert first_free_hour(pace(), TUESDAY_MORNING, {}) == at(2026, 12, 8, 10)


def test_a_full_hour_sends_the_next_letter_to_the_next_hour():
    taken = {at(2026, 12, 8, 10): 20, at(2026, 12, 8, 11): 19}
    assert first_free_hour(pace(), TUESDAY_MORNING, taken) == at(2026, 12, 8, 11)
    taken[at(2026, 12, 8, 11)] = 20
    assert first_free_hour(pace(), TUESDAY_MORNING, taken) == at(2026, 12, 8, 12)


def test_a_letter_confirmed_after_hours_waits_for_the_next_morning():
    assert first_free_hour(pace(), at(2026, 12, 8, 17, 5), {}) == at(2026, 12, 9, 9)
    assert first_free_hour(pace(), at(2026, 12, 8, 6, 0), {}) == at(2026, 12, 8, 9)
    full_last_hour = {at(2026, 12, 8, 16): 20}
    assert first_free_hour(pace(), at(2026, 12, 8, 16, 30), full_last_hour) == at(2026, 12, 9, 9)


def test_a_letter_confirmed_on_friday_evening_waits_for_monday_unless_weekends_are_allowed():
    friday_evening = at(2026, 12, 11, 17, 30)
    assert first_free_hour(pace(), friday_evening, {}) == at(2026, 12, 14, 9)
    assert first_free_hour(pace(weekends=True), friday_evening, {}) == at(2026, 12, 12, 9)


def test_office_hours_follow_the_clocks_when_they_change():
    # The clocks go back on Sunday 25 October 2026: Monday's 9am is 09:00 UTC, not 08:00.
    assert first_free_hour(pace(), at(2026, 10, 23, 17, 30), {}) == datetime(
        2026, 10, 26, 9, tzinfo=UTC
    )
    # ...and forward on Sunday 29 March 2026: Monday's 9am is 08:00 UTC.
    assert first_free_hour(pace(), at(2026, 3, 27, 17, 30), {}) == datetime(
        2026, 3, 30, 8, tzinfo=UTC
    )


def test_the_night_the_clocks_go_back_has_two_one_oclock_hours_each_with_its_own_rate():
    always = pace(1, weekends=True, opens=0, closes=24)
    first_one_am = datetime(2026, 10, 25, 0, tzinfo=UTC)  # 01:00 BST
    second_one_am = datetime(2026, 10, 25, 1, tzinfo=UTC)  # 01:00 GMT
    assert first_free_hour(always, first_one_am, {first_one_am: 1}) == second_one_am


def test_the_office_hours_are_the_parliaments_own():
    berlin = ZoneInfo("Europe/Berlin")  # an hour ahead of London in winter
    assert first_free_hour(pace(zone=berlin), at(2026, 12, 8, 8, 30), {}) == at(2026, 12, 8, 8)


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (datetime(2026, 12, 8, 9, tzinfo=UTC), "Tuesday 8 December, between 9 and 10am (GMT)"),
        (datetime(2026, 12, 8, 11, tzinfo=UTC), "Tuesday 8 December, between 11am and 12pm (GMT)"),
        (datetime(2026, 6, 9, 13, tzinfo=UTC), "Tuesday 9 June, between 2 and 3pm (BST)"),
    ],
)
def test_the_slot_in_words_is_in_the_parliaments_time(start, words):
    letter = Letter(send_after=start, parliament=Parliament(time_zone="Europe/London"))
    assert slot_words(letter, now=start - HOUR) == words
    assert slot_words(letter, now=start) == ""  # its hour has come: "on its way"


# Letters confirmed: slots in order, the tasks at them


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def paced(db, frozen):
    """A campaign sending its MP two letters an hour in office hours, and five links."""
    area = make_area(name="Cities of London and Westminster", code="E14001172")
    mp = make_member(area, name="Rachel Blake", email="rachel.blake.mp@example.org")
    campaign = make_campaign(min_personal_percent=10, letters_per_hour=2, **OFFICE)
    return campaign, mp, pending_letters(campaign, mp, 5)


def slots(letters) -> list[int]:
    """Each letter's slot, as the hour of day in London."""
    return [letter.send_after.astimezone(LONDON).hour for letter in letters]


def test_letters_take_the_members_hours_in_the_order_they_are_confirmed(paced):
    campaign, mp, links = paced
    client = Client()
    for link in reversed(links):  # the last written is confirmed first
        assert client.post(link).status_code == 302
    in_confirmation_order = Letter.objects.order_by("-id")
    assert slots(in_confirmation_order) == [10, 10, 11, 11, 12]
    assert set(in_confirmation_order.values_list("state", flat=True)) == {State.READY}
    runs = {task.args_kwargs["args"][0]: task.run_after for task in DBTaskResult.objects.all()}
    for letter in in_confirmation_order:  # its hour come: at once; else at its slot
        expected = letter.send_after if letter.send_after > TUESDAY_MORNING else get_date_max()
        assert runs[letter.pk] == expected


def test_only_the_due_letters_are_sent_and_the_rest_each_in_their_hour(paced, frozen):
    _, _, links = paced
    client = Client()
    for link in links:
        client.post(link)
    assert run_due_tasks() == ["sent", "sent"]
    assert Letter.objects.filter(state=State.SENT).count() == 2
    frozen.move_to(datetime(2026, 12, 8, 11, 0, 1, tzinfo=UTC))
    assert run_due_tasks() == ["sent", "sent"]
    frozen.move_to(datetime(2026, 12, 8, 12, 0, 1, tzinfo=UTC))
    assert run_due_tasks() == ["sent"]
    sent = Letter.objects.order_by("sent_at", "id")
    assert [letter.sent_at.hour for letter in sent] == [10, 10, 11, 11, 12]
    assert sorted(m.extra_headers["X-Letter-Reference"] for m in member_mails()) == sorted(
        sent.values_list("reference", flat=True)
    )


def test_a_task_run_before_the_slot_waits_for_it_and_the_letter_goes_once(paced, frozen):
    _, _, links = paced
    for link in links:
        Client().post(link)
    last = Letter.objects.order_by("-send_after", "-id").first()
    assert letter_send(last.pk) == "waiting"  # run early, or a second copy of its task
    last.refresh_from_db()
    assert last.state == State.READY and last.attempts == 0 and member_mails() == []
    assert DBTaskResult.objects.get(pk=last.task_id).run_after == last.send_after

    frozen.move_to(last.send_after + timedelta(seconds=1))
    assert sorted(run_due_tasks()) == ["sent"] * 5 + ["skipped"]  # its first task finds it sent
    assert [m.extra_headers["X-Letter-Reference"] for m in member_mails()].count(
        last.reference
    ) == 1


def test_a_member_s_hours_are_shared_by_every_campaign_writing_to_them(paced):
    campaign, mp, links = paced
    for link in links[:2]:
        Client().post(link)
    other = make_campaign(min_personal_percent=10, letters_per_hour=3, **OFFICE)
    for link in pending_letters(other, mp, 2):
        Client().post(link)
    # Its own rate is three: the two letters of the first campaign leave one in this hour.
    assert slots(Letter.objects.filter(campaign=other).order_by("id")) == [10, 11]


def test_the_sweep_queues_a_lost_task_again_at_the_slot_not_at_once(paced, frozen):
    _, _, links = paced
    for link in links:
        Client().post(link)
    last = Letter.objects.order_by("-send_after", "-id").first()
    DBTaskResult.objects.filter(pk=last.task_id).delete()  # the queue lost it
    frozen.shift(task_lease() + timedelta(minutes=1))
    assert letters_sweep().requeued == [last.reference]
    last.refresh_from_db()
    assert DBTaskResult.objects.get(pk=last.task_id).run_after == last.send_after
    assert letters_sweep().requeued == []  # its task lives: queued once


def test_held_letters_released_by_staff_take_the_next_free_hours_not_a_burst(paced, frozen):
    campaign, _, links = paced
    Campaign.objects.filter(pk=campaign.pk).update(sending_paused=True)
    for link in links:
        Client().post(link)
    assert run_due_tasks() == ["held", "held"]  # the due ones: the pause holds them
    frozen.move_to(datetime(2026, 12, 8, 15, 30, tzinfo=UTC))
    assert sorted(run_due_tasks()) == ["held"] * 3
    Campaign.objects.filter(pk=campaign.pk).update(sending_paused=False)

    released = letters_retry(Letter.objects.order_by("id"))
    assert slots(released) == [15, 15, 16, 16, 9]  # the fifth waits for Wednesday morning
    assert released[-1].send_after.date().isoformat() == "2026-12-09"


def test_a_letter_with_no_member_on_record_still_keeps_office_hours(paced, frozen):
    frozen.move_to(datetime(2026, 12, 8, 18, 0, tzinfo=UTC))
    campaign, mp, links = paced
    letter = Letter.objects.order_by("id").first()
    Letter.objects.filter(pk=letter.pk).update(representative=None)
    letters_confirm([Letter.objects.get(pk=letter.pk)])
    letter.refresh_from_db()
    assert letter.send_after == datetime(2026, 12, 9, 9, tzinfo=UTC)


# The supporter is told


def test_the_confirm_page_says_when_a_waiting_letter_will_go(paced):
    _, _, links = paced
    client = Client()
    for link in links[:2]:
        client.post(link)
    page = content(client.get(links[0]))
    assert "Confirmed: on its way." in page  # its hour has come
    response = client.post(links[2], follow=True)
    page = content(response)
    assert (
        "Confirmed. Your letter will go to Rachel Blake on Tuesday 8 December, between 11am "
        "and 12pm (GMT)"
    ) in page


def test_confirming_costs_a_fixed_number_of_queries(paced, django_assert_num_queries):
    _, _, links = paced
    client = Client()
    client.post(links[0])
    with django_assert_num_queries(CONFIRM_POST_QUERIES):
        assert client.post(links[1]).status_code == 302
    assert Letter.objects.filter(state=State.READY).count() == 2


# Settings, fields and the admin


def test_a_new_campaign_takes_twenty_an_hour_weekdays_nine_to_five_from_the_settings():
    names = ["LETTERS_PER_MEMBER_PER_HOUR", "LETTERS_OFFICE_OPENS", "LETTERS_OFFICE_CLOSES"]
    names.append("LETTERS_SEND_AT_WEEKENDS")
    defaults = {name: getattr(base, name) for name in names}
    assert list(defaults.values()) == [20, 9, 17, False]
    with override_settings(**defaults):
        campaign = Campaign()
    assert (campaign.letters_per_hour, campaign.office_opens, campaign.office_closes) == (20, 9, 17)
    assert campaign.send_at_weekends is False
    assert Parliament().time_zone == "Europe/London"


@pytest.mark.django_db
def test_the_dail_keeps_irish_time_and_the_others_london_s():
    zones = dict(Parliament.objects.values_list("slug", "time_zone"))
    assert zones.pop("dail-eireann") == "Europe/Dublin"
    assert set(zones.values()) == {"Europe/London"}


@pytest.mark.django_db
def test_a_campaign_must_open_before_it_closes_and_send_at_least_one_letter_an_hour():
    campaign = make_campaign()
    campaign.office_opens, campaign.office_closes = 17, 9
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "Choose an hour after “send from”" in str(error.value.message_dict["office_closes"])
    campaign.office_opens, campaign.office_closes, campaign.letters_per_hour = 9, 17, 0
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "letters_per_hour" in error.value.message_dict


@pytest.mark.django_db
def test_a_parliament_s_time_zone_must_be_a_real_one():
    commons = parliament()
    commons.time_zone = "Europe/Londres"
    with pytest.raises(ValidationError) as error:
        commons.full_clean()
    assert "“Europe/Londres” is not a time zone we know" in str(error.value)


def test_the_campaign_admin_edits_the_pace_and_keeps_what_was_typed(paced, superuser_client):
    campaign, _, _ = paced
    url = admin_url("campaign_change", campaign.pk)
    data = form_fields(content(superuser_client.get(url)), "campaign_form")
    assert (data["letters_per_hour"], data["office_opens"], data["office_closes"]) == (
        "2",
        "9",
        "17",
    )

    response = superuser_client.post(url, {**data, "office_opens": "18", "letters_per_hour": "7"})
    assert response.status_code == 200  # the form again, with what was typed
    page = content(response)
    assert "Choose an hour after “send from”" in text(page)
    again = form_fields(page, "campaign_form")
    assert (again["office_opens"], again["letters_per_hour"]) == ("18", "7")
    campaign.refresh_from_db()
    assert (campaign.office_opens, campaign.letters_per_hour) == (9, 2)

    response = superuser_client.post(url, {**data, "office_opens": "8", "letters_per_hour": "7"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.office_opens, campaign.letters_per_hour) == (8, 7)


def test_staff_see_each_letter_s_slot_and_each_member_s_queue(paced, superuser_client):
    _, mp, links = paced
    for link in links:
        Client().post(link)
    letter = Letter.objects.order_by("-send_after", "-id").first()
    page = content(superuser_client.get(admin_url("letter_change", letter.pk)))
    assert "Send slot:" in page and "8 Dec 2026, noon" in page
    listing = superuser_client.get(admin_url("representative_changelist"))
    (row,) = listing.context["cl"].result_list
    assert "Letters queued" in content(listing) and row.queued == 5
    Letter.objects.filter(pk=letter.pk).update(state=State.SENT)
    (row,) = superuser_client.get(admin_url("representative_changelist")).context["cl"].result_list
    assert row.queued == 4
    member_page = content(superuser_client.get(admin_url("representative_change", mp.pk)))
    assert "Letters queued" in member_page
