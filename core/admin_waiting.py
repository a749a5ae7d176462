"""The admin's "Waiting for me" page: across every model with the workflow, what this member
of staff may act on now, oldest first.

Which items wait for whom is ``waiting_for`` (the list filter's rule, in one place); this page
only gathers it from every model admin that has the workflow, one query per model.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.admin_urls import admin_url
from core.admin_workflow import WorkflowAdminMixin, waiting_for
from core.models import Transition
from core.publishing import Status

REVIEW = _("Review")
SAFEGUARDING_APPROVAL = _("Safeguarding approval")
CHANGE_APPROVAL = _("Safeguarding approval of a change (the live version stays up)")


@dataclass(frozen=True)
class Waiting:
    """One item waiting for this user: what it is, what it waits for, who sent it, since when."""

    kind: str
    title: str
    url: str
    waits_for: str
    sent_by: str
    since: datetime | None


def workflow_models(request) -> list:
    """The models with the workflow whose admin this user may view, in the admin's order."""
    return [
        model["model"]
        for app in admin.site.get_app_list(request)
        for model in app["models"]
        if isinstance(admin.site.get_model_admin(model["model"]), WorkflowAdminMixin)
    ]


def _arrived(model):
    """The step that put each item where it waits (its latest into the present status)."""
    steps = Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        to_status=OuterRef("status"),
    ).order_by("-at", "-id")
    return {
        "arrived_at": Subquery(steps.values("at")[:1]),
        "arrived_by": Subquery(steps.values("by__username")[:1]),
    }


def _waits_for(item) -> str:
    if item.status == Status.PUBLISHED:  # a published item waits only with a change
        return CHANGE_APPROVAL
    if item.sensitive or item.status == Status.SAFEGUARDING:
        return SAFEGUARDING_APPROVAL
    return REVIEW


def _rows(user, model) -> list[Waiting]:
    items = waiting_for(user, model._default_manager.all()).annotate(**_arrived(model))
    opts = model._meta
    return [
        Waiting(
            kind=opts.verbose_name.capitalize(),
            title=str(item),
            url=admin_url(model, "change", item.pk),
            waits_for=_waits_for(item),
            sent_by=item.arrived_by or "",
            since=item.arrived_at or item.updated_at,
        )
        for item in items
    ]


def waiting_rows(request) -> list[Waiting]:
    """Everything waiting for this user, oldest first."""
    rows = [row for model in workflow_models(request) for row in _rows(request.user, model)]
    return sorted(rows, key=lambda row: row.since)


@require_safe
def waiting_page(request):
    context = {
        **admin.site.each_context(request),
        "title": _("Waiting for me"),
        "rows": waiting_rows(request),
    }
    return TemplateResponse(request, "core/admin_waiting.html", context)
