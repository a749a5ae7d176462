"""The admin's "Scheduled" page and its calendar file: see ``advocacy.schedule``."""

from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from advocacy import schedule
from advocacy.ics import calendar_text

WEEK_CHOICES = [(1, _("1 week")), (2, _("2 weeks")), (4, _("4 weeks")), (8, _("8 weeks"))]
WEEK_CHOICES += [(13, _("13 weeks")), (26, _("26 weeks"))]


class RangeForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Show the next"),
        choices=WEEK_CHOICES,
        coerce=int,
        initial=schedule.DEFAULT_WEEKS,
        required=False,
        empty_value=schedule.DEFAULT_WEEKS,
    )
    past = forms.BooleanField(label=_("and the past 7 days"), required=False)


def chosen_window(request) -> schedule.Window:
    """The range asked for in the address; the next eight weeks if none, or a wrong one."""
    form = RangeForm(request.GET)
    if not form.is_valid():
        return schedule.window()
    return schedule.window(weeks=form.cleaned_data["weeks"], past=form.cleaned_data["past"])


@require_safe
def schedule_page(request):
    span = chosen_window(request)
    rows = schedule.entries(schedule.visible_kinds(request), span)
    context = {
        **admin.site.each_context(request),
        "title": _("Scheduled"),
        "form": RangeForm(request.GET or None, initial={"weeks": schedule.DEFAULT_WEEKS}),
        "window": span,
        "days": schedule.by_day([row for row in rows if row.approved]),
        "waiting": [row for row in rows if not row.approved],
        "site_zone": timezone.get_default_timezone(),
        "calendar_query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "advocacy/admin_schedule.html", context)


@require_safe
def schedule_calendar(request):
    """The same rows as an iCalendar file, for a staff calendar app."""
    span = chosen_window(request)
    rows = schedule.entries(schedule.visible_kinds(request), span)
    response = HttpResponse(
        calendar_text(rows, request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="schedule.ics"'
    return response
