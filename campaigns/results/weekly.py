"""The weekly summary email to the managers who asked for one, one per manager, campaign and
week, even if two runs overlap.

Each send is claimed by moving the subscription's ``last_week`` on to this week's Monday in a
conditional UPDATE: a second run's UPDATE waits on the first one's row lock, then finds the
week already claimed and sends nothing. The mail goes inside that transaction, so a mail that
fails releases the claim for the next run. It carries counts only, never a supporter's details,
and goes to staff, never to a representative.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaigns.delivery.housekeeping import site_url
from campaigns.models import ActionSupport, Letter, ResultsSubscription

WEEK = timedelta(days=7)


@dataclass
class WeeklyRun:
    sent: list[str] = field(default_factory=list)  # "user email: campaign"
    skipped: list[str] = field(default_factory=list)  # already sent this week, or not allowed
    failed: list[str] = field(default_factory=list)


def week_of(moment: datetime) -> date:
    """The Monday of the moment's week, in the site's time zone."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


def summary(campaign, now: datetime) -> dict:
    """The week's figures and the totals, in two aggregate queries."""
    since = now - WEEK
    letters = Letter.objects.filter(campaign=campaign).aggregate(
        total=Count("id"),
        this_week=Count("id", filter=Q(created_at__gte=since)),
        replies=Count("id", filter=Q(reply=Letter.Reply.YES)),
        replies_this_week=Count(
            "id", filter=Q(reply=Letter.Reply.YES, reply_answered_at__gte=since)
        ),
    )
    supports = ActionSupport.objects.filter(
        action__campaign=campaign,
        date__gt=timezone.localdate(since),
        date__lte=timezone.localdate(now),
    )
    new_supporters = list(
        supports.order_by("date").values_list("representative__name", "action__reference", "date")
    )
    url = site_url() + reverse("admin:campaigns_campaign_results", args=[campaign.pk])
    return {**letters, "campaign": campaign, "new_supporters": new_supporters, "url": url}


def weekly_message(subscription, figures) -> EmailMessage:
    context = {**figures, "user": subscription.user}
    subject = render_to_string("campaigns/email/weekly_results_subject.txt", context)
    body = render_to_string("campaigns/email/weekly_results_body.txt", context)
    return EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [subscription.user.email]
    )


def _allowed(user) -> bool:
    """Still a manager who may see the results, with an address to write to."""
    return bool(user.is_active and user.is_staff and user.email) and user.has_perm(
        "campaigns.view_letter"
    )


def weekly_summaries_send(now: datetime | None = None, *, dry_run: bool = False) -> WeeklyRun:
    now = now or timezone.now()
    week = week_of(now)
    run = WeeklyRun()
    due = ResultsSubscription.objects.filter(Q(last_week__isnull=True) | Q(last_week__lt=week))
    for subscription in due.select_related("campaign", "user").order_by("pk"):
        label = f"{subscription.user.email or subscription.user}: {subscription.campaign}"
        if not _allowed(subscription.user):
            run.skipped.append(label)
            continue
        if dry_run:
            run.sent.append(label)
            continue
        _send_once(subscription, week, now, label, run)
    return run


def _send_once(subscription, week, now, label, run) -> None:
    try:
        with transaction.atomic():
            claimed = ResultsSubscription.objects.filter(
                Q(last_week__isnull=True) | Q(last_week__lt=week), pk=subscription.pk
            ).update(last_week=week)
            if not claimed:  # another run sent it this week
                run.skipped.append(label)
                return
            weekly_message(subscription, summary(subscription.campaign, now)).send()
    except OSError:  # the mail server refused or was away: the claim is rolled back
        run.failed.append(label)
        return
    run.sent.append(label)
