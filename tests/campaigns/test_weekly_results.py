"""The weekly summary email of a campaign's results: opted into on the results page, sent by
``send_weekly_results`` once a week per manager and campaign."""

from datetime import UTC, date, datetime
from io import StringIO
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from campaigns.delivery.housekeeping import site_url
from campaigns.models import ActionSupport, Letter, ResultsSubscription
from campaigns.results.weekly import week_of
from tests.support.admin import admin_url, make_letter, staff_with
from tests.support.campaign_factories import make_area, make_campaign, make_member, make_motion
from tests.support.html import content, select_one, text

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 9, 7, tzinfo=UTC)  # the run's moment: the week is 2-9 March


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise SMTPException("451 try again later")


@pytest.fixture
def manager(django_user_model):
    client = staff_with(django_user_model, "view_campaign", "view_letter")
    user = django_user_model.objects.get(username="view_campaign-view_letter")
    user.email, user.first_name = "manager@example.org", "Ruth"
    user.save()
    client.user = user
    return client


@pytest.fixture
def campaign():
    campaign = make_campaign(title="Stop forced returns")
    member = make_member(make_area(), name="Rachel Blake", email="rachel.blake.mp@example.org")
    with time_machine.travel(datetime(2026, 2, 20, tzinfo=UTC)):
        make_letter(campaign, member, reply=Letter.Reply.YES)
    with time_machine.travel(datetime(2026, 3, 5, tzinfo=UTC)):
        make_letter(campaign, member, reply=Letter.Reply.YES, reply_answered_at=MONDAY)
        make_letter(campaign, member)
    motion = make_motion(campaign, reference="EDM 42")
    ActionSupport.objects.create(action=motion, representative=member, date=date(2026, 3, 6))
    return campaign


def weekly(client, campaign, choice):
    return client.post(
        admin_url("campaign_results_weekly", campaign.pk), {"weekly": choice}, follow=True
    )


def send(moment=MONDAY):
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("send_weekly_results", stdout=out, stderr=out)
    return out.getvalue()


def test_a_manager_opts_in_and_out_on_the_results_page(manager, campaign):
    html = content(weekly(manager, campaign, "start"))
    assert "Every week, a summary of this campaign will go to manager@example.org." in text(html)
    assert select_one(html, '#weekly-form button[value="stop"]')
    assert ResultsSubscription.objects.filter(campaign=campaign, user=manager.user).count() == 1
    weekly(manager, campaign, "start")  # twice is still one
    assert ResultsSubscription.objects.count() == 1
    html = content(weekly(manager, campaign, "stop"))
    assert select_one(html, '#weekly-form button[value="start"]')
    assert not ResultsSubscription.objects.exists()


def test_without_an_email_address_the_page_says_so_and_nothing_is_kept(manager, campaign):
    manager.user.email = ""
    manager.user.save()
    html = content(weekly(manager, campaign, "start"))
    assert "Your account has no email address" in text(html)
    assert not ResultsSubscription.objects.exists()


def test_only_the_campaigns_managers_may_opt_in_and_only_by_post(
    django_user_model, manager, campaign
):
    assert manager.get(admin_url("campaign_results_weekly", campaign.pk)).status_code == 405
    other = staff_with(django_user_model, "view_campaign")
    assert weekly(other, campaign, "start").status_code == 403


def test_the_summary_counts_the_week_and_all_and_links_to_the_results(manager, campaign):
    weekly(manager, campaign, "start")
    output = send()
    assert "Sent 1 weekly summary; 0 not sent." in output
    (message,) = mail.outbox
    assert message.to == ["manager@example.org"]
    assert message.subject == "This week on Stop forced returns: 2 letters"
    body = message.body
    assert "Letters written this week: 2\nLetters written in all: 3\n" in body
    assert "Replies (supporters who said their member replied): 1 this week, 2 in all" in body
    assert "- Rachel Blake, EDM 42 (6 Mar 2026)" in body
    assert f"{site_url()}{admin_url('campaign_results', campaign.pk)}\n" in body
    assert "rachel.blake.mp@example.org" not in body and "Supporter" not in body


def test_one_summary_a_week_however_often_it_runs(manager, campaign):
    weekly(manager, campaign, "start")
    send()
    assert "Sent 0 weekly summaries; 0 not sent." in send(datetime(2026, 3, 15, 20, tzinfo=UTC))
    assert len(mail.outbox) == 1
    send(datetime(2026, 3, 16, 7, tzinfo=UTC))  # the next Monday
    assert len(mail.outbox) == 2
    subscription = ResultsSubscription.objects.get()
    assert (
        subscription.last_week == week_of(datetime(2026, 3, 16, 7, tzinfo=UTC)) == date(2026, 3, 16)
    )


def test_no_summary_for_staff_no_longer_allowed_to_see_results(manager, campaign):
    weekly(manager, campaign, "start")
    manager.user.user_permissions.clear()
    assert "Sent 0 weekly summaries; 1 not sent." in send()
    assert mail.outbox == []


def test_a_refused_mail_is_tried_again_by_the_next_run(manager, campaign, settings):
    weekly(manager, campaign, "start")
    settings.EMAIL_BACKEND = "tests.campaigns.test_weekly_results.RefusingBackend"
    output = send()
    assert "Could not send the weekly summary to manager@example.org: Stop forced returns" in output
    assert ResultsSubscription.objects.get().last_week is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send()
    assert len(mail.outbox) == 1


def test_a_dry_run_sends_nothing_and_claims_nothing(manager, campaign):
    weekly(manager, campaign, "start")
    out = StringIO()
    call_command("send_weekly_results", "--dry-run", stdout=out)
    assert "Would send 1 weekly summary" in out.getvalue()
    assert mail.outbox == [] and ResultsSubscription.objects.get().last_week is None
