"""The workflow in the admin: buttons on the change form, list actions, the trail, "waiting for
me". Every step goes through core.workflow; the status is never edited by hand."""

from collections import defaultdict
from datetime import datetime
from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join

from core.admin_actions import without_refused
from core.admin_pending import WaitingChangeAdminMixin
from core.admin_previews import PreviewAdminMixin
from core.admin_urls import admin_url
from core.checklist import checklist
from core.models import Transition
from core.notifications import transition_notify
from core.pending import WORKFLOW_STATE as WORKFLOW_STATE  # here first; kept for importers
from core.pending import kept_fields
from core.publishing import Status
from core.workflow import (
    STEPS,
    TransitionRefused,
    allowed_steps,
    item_edited,
    item_transition,
    permission_codename,
)

RECOVERED_STATE = {"status": Status.DRAFT, "approved_version": "", "pending_revision": None}

STEP_LABELS = {name: step.label for name, step in STEPS.items()} | {
    "sent_back": "Sent back (changed after approval)",
    "change_waits": "Changed (waits for safeguarding approval)",
}
EDITED_MESSAGES = {
    "sent_back": "Its public text changed since a safeguarding reviewer approved it: it is off "
    "the site, waiting in safeguarding review for approval again.",
    "change_waits": "Saved as a change waiting for safeguarding approval: the site keeps "
    "showing the approved version until a safeguarding reviewer approves this one.",
}


class WaitingForMeFilter(admin.SimpleListFilter):
    """Items in review or safeguarding review that this user may act on, not their own."""

    title = "waiting for me"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", "Waiting for me")]

    def queryset(self, request, queryset):
        if self.value() != "me":
            return queryset
        return waiting_for(request.user, queryset)


def waiting_for(user, queryset):
    """The items of queryset this user may act on now, not their own change (four eyes): the
    one rule for the list filter and the "Waiting for me" page."""
    model = queryset.model
    waiting = Q(pk__in=[])
    if user.has_perm(permission_codename(model, "approve_sensitive")):
        waiting |= Q(status=Status.SAFEGUARDING) | Q(status=Status.REVIEW, sensitive=True)
        waiting |= Q(status=Status.PUBLISHED, pending_revision__isnull=False)
    if user.has_perm(permission_codename(model, "publish")):
        waiting |= Q(status=Status.REVIEW, sensitive=False)
    submitted = Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        name="submit",
    )
    last_submitter = Subquery(submitted.order_by("-at", "-id").values("by")[:1])
    # Four eyes: not what they last edited or submitted. Nobody submitted an item sent back
    # after a change to a published one: SQL's NULL must not hide it from everyone.
    not_submitted_by_them = Q(last_submitter__isnull=True) | ~Q(last_submitter=user.pk)
    waiting_items = queryset.filter(waiting).annotate(last_submitter=last_submitter)
    return waiting_items.exclude(edited_by=user).filter(not_submitted_by_them)


def notify_after_commit(item, record: Transition) -> None:
    """Mail whoever the step puts item in front of, once it is committed (a failure to send
    is logged, never undoes the step)."""
    transaction.on_commit(partial(transition_notify, item=item, transition=record), robust=True)


def _parse_time(value: str) -> datetime | None:
    """The schedule field's value (a datetime-local input) in the site's time zone."""
    moment = parse_datetime(value) if value else None
    if moment and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class WorkflowAdminMixin(WaitingChangeAdminMixin, PreviewAdminMixin):
    """For the admin of a Publishable model (a VersionAdmin): put it before the ModelAdmin
    class. Its public page can be previewed and shared (PreviewAdminMixin)."""

    workflow_fields = ["status", "workflow_trail"]
    change_form_template = "core/workflow_change_form.html"
    change_list_template = "core/workflow_change_list.html"  # links to "Waiting for me"

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.workflow_fields]
        reviewer = request.user.has_perm(permission_codename(self.model, "approve_sensitive"))
        if obj is not None and obj.sensitive and not reviewer:  # only a reviewer may clear it
            fields.append("sensitive")
        return fields

    def get_list_filter(self, request):
        return [WaitingForMeFilter, "sensitive", *super().get_list_filter(request)]

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_workflow"
        view = self.admin_site.admin_view(self.workflow_view)
        return [path("<path:object_id>/workflow/", view, name=name), *super().get_urls()]

    def workflow_panel(self, request, obj):
        """The buttons this user may press now, with a comment box and a schedule time."""
        if obj is None or not obj.pk:
            return "Save it first; then submit it for review."
        steps = allowed_steps(request.user, obj)
        if not steps:
            return "Nothing for you to do here now."
        url = admin_url(obj, "workflow", obj.pk)
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" name="workflow_step" '
            'value="{}">{}</button>',
            ((url, step.name, step.label) for step in steps),
        )
        return format_html(
            '<p><label for="id_workflow_comment">Comment (required to request changes)</label>'
            '<br><textarea id="id_workflow_comment" name="workflow_comment" rows="2" cols="60">'
            "</textarea></p>"
            '<p><label for="id_workflow_at">Publish at (blank: now)</label> '
            '<input type="datetime-local" id="id_workflow_at" name="workflow_at"></p>'
            '<p>{}</p><p class="help">Save your changes before pressing a button.</p>',
            buttons,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_panel"] = self.workflow_panel(request, obj)
        context["checklist"] = checklist(obj) if obj is not None and obj.pk else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="Trail")
    def workflow_trail(self, obj):
        """Who moved it, when, from where, to where, and why: newest first."""
        if obj is None or not obj.pk:
            return "-"
        rows = Transition.objects.for_item(obj).select_related("by")
        return format_html(
            '<table class="workflow-trail"><thead><tr><th>When</th><th>Who</th><th>Step</th>'
            "<th>From</th><th>To</th><th>Comment</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        timezone.localtime(row.at).strftime("%d %b %Y %H:%M"),
                        row.by or "-",
                        STEP_LABELS.get(row.name, row.name),
                        row.get_from_status_display(),
                        row.get_to_status_display(),
                        row.comment,
                    )
                    for row in rows
                ),
            )
            or format_html("<tr><td colspan=6>{}</td></tr>", "No steps yet."),
        )

    def save_related(self, request, form, formsets, change):
        """Once rows and links are saved: who edited it, whether it is sensitive, and whether
        its change waits for approval. An item on the site when the request began is settled
        once the admin's revision of the change is saved (WaitingChangeAdminMixin)."""
        super().save_related(request, form, formsets, change)
        if getattr(request, "workflow_live", None) is None:
            self.workflow_edited(request, form.instance)
        else:
            request.workflow_saved = form.instance

    def workflow_edited(self, request, item, live=None):
        """core.workflow.item_edited, and a message (and reviewers' mail) if the change waits
        or was sent back."""
        if recorded := item_edited(item, by=request.user, live=live):
            notify_after_commit(item, recorded)
            self.message_user(request, EDITED_MESSAGES[recorded.name], messages.WARNING)

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        """Reverting or recovering (django-reversion's one view for both) restores an old
        version's text, never its place in the workflow: that stays as it is now, and a
        recovered item comes back as a draft, so publishing it again takes every review."""
        now = self.model._base_manager.filter(pk=version.object_id)
        request.workflow_state = now.values(*kept_fields(self.model)).first() or RECOVERED_STATE
        return super()._reversion_revisionform_view(request, version, *args, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if state := getattr(request, "workflow_state", None):  # just reverted, in its atomic
            self.model._base_manager.filter(pk=unquote(object_id)).update(**state)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request, object_id):
        """The change form's buttons post here: take the step, say how it went, go back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such item.")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        step = request.POST.get("workflow_step", "")
        if step not in STEPS:
            raise Http404("No such step.")
        comment = request.POST.get("workflow_comment", "")
        try:
            record = item_transition(
                obj,
                step=step,
                by=request.user,
                comment=comment,
                at=_parse_time(request.POST.get("workflow_at", "")),
            )
        except TransitionRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            notify_after_commit(obj, record)
            self.log_change(request, obj, f"{STEPS[step].label}. {comment}".strip())
            self.message_user(
                request, f"{STEPS[step].label}: now {obj.get_status_display()}.", messages.SUCCESS
            )
        return HttpResponseRedirect(admin_url(obj, "change", obj.pk))


def _take_steps(modeladmin, request, items, step: str, done: str) -> int:
    """Take step on each item; report what was done and, grouped by reason, what was not."""
    count, refused = 0, defaultdict(list)
    for item in items:
        try:
            record = item_transition(item, step=step, by=request.user)
        except TransitionRefused as refusal:
            refused[str(refusal)].append(str(item))
        else:
            notify_after_commit(item, record)
            modeladmin.log_change(request, item, f"{STEPS[step].label}.")  # the admin's history
            count += 1
    modeladmin.message_user(request, f"{count} {done}.", messages.SUCCESS)
    for reason, names in refused.items():
        modeladmin.message_user(
            request, f"{len(names)} not {done}: {reason} ({'; '.join(names)})", messages.ERROR
        )
    return count


@admin.action(description="Submit selected items for review")
def submit_for_review(modeladmin, request, queryset):
    _take_steps(modeladmin, request, queryset, "submit", "submitted")


@admin.action(description="Publish selected items now")
def publish_now(modeladmin, request, queryset):
    # The registered checks (the withheld-names guard) say what they refuse first, as a list.
    publishable = without_refused(modeladmin, request, queryset)
    _take_steps(modeladmin, request, publishable, "publish", "published")


@admin.action(description="Approve selected sensitive items and publish them now")
def approve(modeladmin, request, queryset):
    _take_steps(modeladmin, request, queryset, "approve", "approved and published")


@admin.action(description="Unpublish selected items (back to draft)")
def unpublish(modeladmin, request, queryset):
    _take_steps(modeladmin, request, queryset, "unpublish", "unpublished")


@admin.action(description="Take selected items down (to safeguarding review)")
def take_down(modeladmin, request, queryset):
    _take_steps(modeladmin, request, queryset, "take_down", "taken down from the site")


WORKFLOW_ACTIONS = [submit_for_review, publish_now, approve, unpublish, take_down]
