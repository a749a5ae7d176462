"""Staff and "send it for me": letters by state, release and retry, pause and resume, the
per-campaign summary, and the banner that says where letters go."""

import pytest
from django.core import mail
from django.template.loader import get_template
from django.utils import timezone

from campaigns.delivery.operations import letter_summary
from campaigns.delivery.sending import PAUSED_HOLD_REASON, letters_confirm
from campaigns.delivery.states import letter_transition
from campaigns.models import Campaign, Letter
from tests.support.admin import act, admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member
from tests.support.html import (
    content,
    element_text,
    form_fields,
    inner_html,
    select_one,
    tags,
    text,
)
from tests.support.queries import LETTER_SUMMARY_QUERIES
from tests.support.worker import queued_count, run_due_tasks

pytestmark = pytest.mark.django_db
State = Letter.State
OVER_A_LIMIT = "Held: more than 5 letters from one network in 10 minutes."
# The way a letter gets to each state after the supporter writes it (pending confirmation).
PATHS = {
    State.PENDING: [],
    State.READY: [State.READY],
    State.SENT: [State.READY, State.SENDING, State.SENT],
    State.FAILED: [State.READY, State.SENDING, State.FAILED],
}


@pytest.fixture(autouse=True)
def letter_settings(settings):
    settings.LETTERS_TEST_RECIPIENT = "test-inbox@example.org"
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = False


@pytest.fixture
def campaign():
    return make_campaign(title="Stop forced returns")


@pytest.fixture
def member():
    return make_member(make_area(name="Holborn and St Pancras"), name="Keir Starmer")


def sent_for_me(campaign, member, **fields):
    """A letter the supporter asked us to send, waiting for their confirmation."""
    fields = {"delivery": Letter.Delivery.SEND_FOR_ME, "state": State.PENDING, **fields}
    return make_letter(campaign, member, **fields)


def confirmed(campaign, member, **fields):
    """Confirmed through the supporter's link: queued to send, or held if over a limit."""
    (letter,) = letters_confirm([sent_for_me(campaign, member, **fields)])
    return letter


def letter_in(state, campaign, member):
    """A letter moved to ``state`` without a queued job, as a finished worker leaves it."""
    letter = sent_for_me(campaign, member)
    for step in PATHS[state]:
        changes = {"confirmed_at": timezone.now()} if step == State.READY else {}
        if step == State.SENDING:  # as the worker claims it
            changes = {"claimed_at": timezone.now(), "attempts": 1}
        if step == State.FAILED:
            changes["last_error"] = "SMTPRecipientsRefused: 550 No such user"
        if step == State.SENT:
            changes["sent_at"] = timezone.now()
        letter = letter_transition(letter.pk, step, **changes)
    return letter


def state_of(letter):
    letter.refresh_from_db()
    return letter.state


def member_mails():
    return [m for m in mail.outbox if m.subject == "North Korean refugees"]


# Letters by state


def test_letters_can_be_filtered_by_state(admin_client, campaign, member):
    held = confirmed(campaign, member, hold_reason=OVER_A_LIMIT, reference="HELD-0001")
    sent = letter_in(State.SENT, campaign, member)

    page = content(admin_client.get(admin_url("letter_changelist"), {"state__exact": "held"}))

    assert held.reference in page and sent.reference not in page
    assert text(inner_html(page, "td", "field-state")) == "Held for review"


def test_a_letter_shows_how_its_sending_went(admin_client, campaign, member):
    failed = letter_in(State.FAILED, campaign, member)

    page = content(admin_client.get(admin_url("letter_change", failed.pk)))

    assert "Failed" in text(inner_html(page, "div", "field-state"))
    assert "SMTPRecipientsRefused: 550 No such user" in text(
        inner_html(page, "div", "field-last_error")
    )
    assert text(inner_html(page, "div", "field-attempts")).endswith("Attempts: 1")


# Release and retry


def test_released_held_letters_are_sent(admin_client, campaign, member):
    held = confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    assert state_of(held) == State.HELD and queued_count() == 0

    response = act(admin_client, "release_held", [held])

    assert "Released 1 letter(s) to be sent." in text(content(response))
    assert run_due_tasks() == ["sent"]
    assert state_of(held) == State.SENT and len(member_mails()) == 1
    assert member_mails()[0].to == ["test-inbox@example.org"]


def test_retried_failed_letters_are_sent(admin_client, campaign, member):
    failed = letter_in(State.FAILED, campaign, member)

    response = act(admin_client, "retry_failed", [failed])

    assert "Retried 1 letter(s) to be sent." in text(content(response))
    assert run_due_tasks() == ["sent"]
    failed.refresh_from_db()
    assert failed.state == State.SENT and failed.last_error == ""


def test_letters_in_another_state_are_skipped_and_counted(admin_client, campaign, member):
    held = confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    sent = letter_in(State.SENT, campaign, member)
    pending = sent_for_me(campaign, member)
    own = make_letter(campaign, member)  # sent by the supporter from their email app

    page = text(content(act(admin_client, "release_held", [held, sent, pending, own])))

    assert "Released 1 letter(s) to be sent. Skipped 3: not held." in page
    assert [state_of(letter) for letter in (sent, pending, own)] == [
        "sent",
        "pending_confirmation",
        "own",
    ]
    assert run_due_tasks() == ["sent"] and len(member_mails()) == 1

    page = text(content(act(admin_client, "retry_failed", [held, sent])))

    assert "Retried 0 letter(s) to be sent. Skipped 2: not failed." in page
    assert queued_count() == 0


def test_letters_of_a_paused_campaign_are_not_released(admin_client, campaign, member):
    held = confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    Campaign.objects.update(sending_paused=True)

    page = text(content(act(admin_client, "release_held", [held])))

    assert "Skipped 1: their campaign's sending is paused." in page
    assert state_of(held) == State.HELD and queued_count() == 0


# Pause and resume


def test_a_paused_campaign_holds_its_confirmed_letters(admin_client, campaign, member):
    letter = confirmed(campaign, member)
    assert queued_count() == 1

    response = act(admin_client, "pause_sending", [campaign], model="campaign")

    assert "Paused sending for 1 campaign(s)." in text(content(response))
    assert run_due_tasks() == ["held"]
    letter.refresh_from_db()
    assert letter.state == State.HELD and letter.hold_reason == PAUSED_HOLD_REASON
    assert member_mails() == []


def test_resuming_sends_what_the_pause_held_and_leaves_the_rest_for_review(
    admin_client, campaign, member
):
    paused = confirmed(campaign, member)
    over_a_limit = confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    act(admin_client, "pause_sending", [campaign], model="campaign")
    assert run_due_tasks() == ["held"]

    response = act(admin_client, "resume_sending", [campaign], model="campaign")

    page = text(content(response))
    assert "Sending resumed for 1 campaign(s); 1 held letter(s) released to be sent." in page
    assert "1 letter(s) held for review stay held" in page
    assert not Campaign.objects.get().sending_paused
    assert run_due_tasks() == ["sent"]
    assert state_of(paused) == State.SENT and state_of(over_a_limit) == State.HELD
    assert len(member_mails()) == 1


def test_unticking_sending_paused_on_the_campaign_page_releases_its_letters(
    admin_client, campaign, member
):
    letter = confirmed(campaign, member)
    act(admin_client, "pause_sending", [campaign], model="campaign")
    run_due_tasks()
    url = admin_url("campaign_change", campaign.pk)
    data = form_fields(content(admin_client.get(url)), "campaign_form")
    assert data.pop("sending_paused") == "on"

    response = admin_client.post(url, data, follow=True)

    assert "1 held letter(s) released to be sent" in text(content(response))
    assert run_due_tasks() == ["sent"] and state_of(letter) == State.SENT


def test_the_campaign_list_shows_and_filters_paused_campaigns(admin_client, campaign):
    paused = make_campaign(title="Quiet for now", sending_paused=True)

    page = content(admin_client.get(admin_url("campaign_changelist"), {"sending_paused__exact": 1}))

    assert paused.title in page and campaign.title not in page
    assert admin_url("campaign_summary", paused.pk) in page


# Permission


def test_sending_actions_need_permission_to_change_campaigns(django_user_model, campaign, member):
    held = confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    reader = staff_with(django_user_model, "view_letter", "view_campaign")

    page = content(reader.get(admin_url("letter_changelist")))
    act(reader, "release_held", [held])
    act(reader, "pause_sending", [campaign], model="campaign")

    assert "release_held" not in [o.get("value") for o in tags(page, "option")]
    assert state_of(held) == State.HELD and queued_count() == 0
    assert not Campaign.objects.get().sending_paused
    manager = staff_with(django_user_model, "view_letter", "change_campaign")
    act(manager, "release_held", [held])
    assert state_of(held) == State.READY and queued_count() == 1


# The summary


def test_the_summary_counts_letters_by_stage_and_delivery(
    admin_client, campaign, member, django_assert_num_queries
):
    make_letter(campaign, member)
    make_letter(campaign, member, delivery=Letter.Delivery.POST)
    sent_for_me(campaign, member)
    confirmed(campaign, member)
    confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    for state in (State.SENT, State.SENT, State.FAILED):
        letter_in(state, campaign, member)
    make_letter(make_campaign(), member)  # another campaign's

    with django_assert_num_queries(LETTER_SUMMARY_QUERIES):
        counts = letter_summary(campaign.letters.all())
    page = content(admin_client.get(admin_url("campaign_summary", campaign.pk)))

    assert counts == {
        "created": 8,
        "confirmed": 5,
        "pending": 1,
        "queued": 1,
        "sent": 2,
        "anonymised": 0,
        "failed": 1,
        "held": 1,
        "held_by_pause": 0,
        "email_app": 1,
        "post": 1,
        "send_for_me": 6,
    }
    assert rows(page, "letter-stages") == [
        ("Written", "8"),
        ("Confirmed by the supporter", "5"),
        ("Waiting for the supporter to confirm", "1"),
        ("Waiting to be sent, or sending", "1"),
        ("Sent (including those since anonymised)", "2"),
        ("Failed", "1"),
        ("Held for review", "1"),
        ("Anonymised", "0"),
    ]
    assert rows(page, "letter-deliveries") == [
        ("Their own email app", "1"),
        ("Print and post", "1"),
        ("Sent for them by us", "6"),
    ]


def rows(html, table_id):
    """Each row of the table as (heading, count)."""
    body = select_one(html, f'table[id="{table_id}"] > tbody')
    return [
        (element_text(count.find_previous_sibling("th")), element_text(count))
        for count in body.select("th + td")
    ]


def test_the_summary_links_to_the_letters_in_each_state(admin_client, campaign, member):
    held = confirmed(campaign, member, hold_reason=OVER_A_LIMIT)
    page = content(admin_client.get(admin_url("campaign_summary", campaign.pk)))
    held_url = (
        f"{admin_url('letter_changelist')}?campaign__id__exact={campaign.pk}&state__exact=held"
    )

    assert held_url.replace("&", "&amp;") in page
    assert held.reference in content(admin_client.get(held_url))
    assert admin_url("campaign_summary", campaign.pk) in content(
        admin_client.get(admin_url("campaign_change", campaign.pk))
    )


def test_the_summary_needs_permission_to_view_campaigns(django_user_model, campaign):
    url = admin_url("campaign_summary", campaign.pk)

    assert staff_with(django_user_model, "view_letter").get(url).status_code == 403
    assert staff_with(django_user_model, "view_campaign").get(url).status_code == 200


# The mode banner


def mode(response):
    assert response.status_code == 200
    banner = inner_html(content(response), "ul", "letter-mode")
    return banner and text(banner)


@pytest.mark.parametrize("page", ["index", "campaign_changelist", "letter_changelist"])
def test_every_admin_page_says_letters_go_to_the_test_recipient(admin_client, page):
    url = admin_url(page) if page != "index" else "/admin/"

    banner = mode(admin_client.get(url))

    assert banner == (
        "Test mode: letters sent for supporters go to test-inbox@example.org, never to "
        "representatives."
    )


def test_in_production_the_admin_says_letters_go_to_representatives(admin_client, settings):
    settings.LETTERS_DELIVER_TO_REPRESENTATIVES = True

    banner = mode(admin_client.get("/admin/"))

    assert banner == "Live: letters sent for supporters go to their representatives."


def test_the_login_page_does_not_name_the_test_recipient(client):
    assert "test-inbox@example.org" not in content(client.get("/admin/login/"))


def test_the_admin_uses_the_banner_template():
    # The project's one override, found before any app's whatever INSTALLED_APPS' order.
    origin = get_template("admin/base_site.html").origin.name
    assert origin.endswith("advocacy/overrides/admin/base_site.html")
