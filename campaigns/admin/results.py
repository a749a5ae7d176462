"""A campaign's results page and its CSV, for staff who may read its letters."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Representative, ResultsSubscription
from campaigns.models.parliaments import COMMONS
from campaigns.results.chart import bar_chart
from campaigns.results.figures import campaign_results
from campaigns.results.hexmap import hexmap
from campaigns.results.spreadsheet import results_csv

# The member table's orders: ?sort=<key>, descending figures first, then by name.
SORTS = {
    "letters": ("Letters", lambda m: (-m.letters, m.name)),
    "replied": ("Replied", lambda m: (-m.replied_yes, -m.letters, m.name)),
    "supported": (
        "Supported",
        lambda m: (not m.supported, m.supported_on or m.first_letter, m.name),
    ),
    "member": ("Member", lambda m: (m.name.casefold(), m.constituency)),
    "constituency": ("Constituency", lambda m: (m.constituency.casefold(), m.name)),
}


def may_see_results(request, model_admin, campaign) -> bool:
    """The campaign's managers: they may see the campaign and read its letters."""
    return model_admin.has_view_permission(request, campaign) and request.user.has_perm(
        "campaigns.view_letter"
    )


def _members_now() -> dict[str, str]:
    """The MP in office now for each Westminster constituency, by code."""
    members = Representative.objects.current().filter(area__parliament__slug=COMMONS)
    return dict(members.values_list("area__code", "name"))


def results_view(model_admin, request, campaign):
    if not may_see_results(request, model_admin, campaign):
        raise PermissionDenied
    results = campaign_results(campaign)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "letters"
    members = sorted(results.members, key=SORTS[sort][1])
    commons_rows = {m.area_code: m for m in results.members if m.parliament_slug == COMMONS}
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Results: {campaign}",
        "opts": model_admin.opts,
        "original": campaign,
        "results": results,
        "members": members,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "chart": bar_chart(results.per_day),
        "map": hexmap(commons_rows, _members_now()) if results.commons else None,
        "other_parliaments": [c.parliament for c in results.comparisons if c.slug != COMMONS],
        "subscribed": ResultsSubscription.objects.filter(
            campaign=campaign, user=request.user
        ).exists(),
    }
    return TemplateResponse(request, "admin/campaigns/campaign/results.html", context)


def results_csv_view(model_admin, request, campaign):
    if not may_see_results(request, model_admin, campaign):
        raise PermissionDenied
    filename = f"{campaign.slug}-results-{timezone.localdate():%Y-%m-%d}.csv"
    return HttpResponse(
        results_csv(campaign_results(campaign)),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def weekly_view(model_admin, request, campaign):
    """Opt in to (or out of) the weekly summary email of this campaign, for oneself."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not may_see_results(request, model_admin, campaign):
        raise PermissionDenied
    mine = ResultsSubscription.objects.filter(campaign=campaign, user=request.user)
    if request.POST.get("weekly") == "stop":
        mine.delete()
        model_admin.message_user(request, "You will get no more weekly summaries of it.")
    elif not request.user.email:
        model_admin.message_user(
            request,
            "Your account has no email address: ask an administrator to add one, then "
            "ask for the weekly summary again.",
            messages.WARNING,
        )
    else:
        ResultsSubscription.objects.get_or_create(campaign=campaign, user=request.user)
        model_admin.message_user(
            request, f"Every week, a summary of this campaign will go to {request.user.email}."
        )
    url = reverse("admin:campaigns_campaign_results", args=[campaign.pk])
    return HttpResponseRedirect(url)
