"""Parliamentary actions on their own page: which members supported each, how and when, typed
in one by one or loaded from a CSV of the parliament's own data."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from campaigns.importing.supports import SupportsFileError, supports_import, supports_read
from campaigns.models import ActionSupport, ParliamentaryAction
from core.cache_version import content_version_bump
from core.history import HistoryAdmin

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # an EDM's signatures are a few hundred rows


class ActionSupportInline(admin.TabularInline):
    """A member's support is part of the action: whoever may change the action records it."""

    model = ActionSupport
    extra = 1
    fields = ["representative", "kind", "date"]
    autocomplete_fields = ["representative"]

    def _action_permission(self, request, action):
        return request.user.has_perm(f"campaigns.{action}_parliamentaryaction")

    def has_view_permission(self, request, obj=None):
        return self._action_permission(request, "view") or self.has_change_permission(request)

    def has_add_permission(self, request, obj=None):
        return self._action_permission(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._action_permission(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._action_permission(request, "change")


class SupportsUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="The parliament's export (a member id column and a date column, e.g. “Member "
        "ID” and “Date signed”) or your own with name, constituency and date columns. Dates as "
        "2026-03-04 or 04/03/2026.",
    )
    kind = forms.ChoiceField(
        label="How they supported it",
        choices=ActionSupport.Kind.choices,
        initial=ActionSupport.Kind.SIGNED,
        help_text="For every row, unless the file has a kind column.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: is it the right one?")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”."
            ) from None


@admin.register(ParliamentaryAction)
class ParliamentaryActionAdmin(HistoryAdmin):
    list_display = ["__str__", "campaign", "kind", "parliament", "date", "supporter_count"]
    list_filter = ["kind", "parliament"]
    search_fields = ["title", "reference", "campaign__title"]
    list_select_related = ["campaign", "parliament"]
    autocomplete_fields = ["campaign", "tabled_by_member"]
    fields = ["campaign", "kind", "parliament", "title", "reference", "tabled_by"]
    fields += ["tabled_by_member", "date", "link", "position"]
    inlines = [ActionSupportInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    change_form_template = "admin/campaigns/parliamentaryaction/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(supporter_count=Count("supports"))

    @admin.display(description="Members supporting", ordering="supporter_count")
    def supporter_count(self, obj):
        return obj.supporter_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The campaign's page shows the action and picks the thank-you letter for supporters.
        content_version_bump()

    def get_urls(self):
        view = self.admin_site.admin_view(self.upload_view)
        name = "campaigns_parliamentaryaction_upload"
        return [path("<path:object_id>/supporters/", view, name=name), *super().get_urls()]

    def upload_view(self, request, object_id):
        action = self.get_object(request, unquote(object_id))
        if action is None:
            raise Http404("No such action.")
        if not self.has_change_permission(request, action):
            raise PermissionDenied
        form = SupportsUploadForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            name = request.FILES["file"].name
            try:
                rows = supports_read(
                    form.cleaned_data["file"], name, kind=form.cleaned_data["kind"]
                )
            except SupportsFileError as error:
                problems = str(error).splitlines()
            else:
                return self._loaded(request, action, supports_import(action, rows))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Load supporters from a CSV: {action}",
            "opts": self.opts,
            "original": action,
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/campaigns/parliamentaryaction/upload.html", context)

    def _loaded(self, request, action, report):
        if report.created or report.updated:
            content_version_bump()
        message = (
            f"Loaded: {report.created} new, {report.updated} updated, {report.unchanged} "
            f"unchanged, {len(report.unmatched)} not matched to a member."
        )
        self.log_change(request, action, message)
        self.message_user(request, message, messages.SUCCESS)
        for line in report.unmatched:
            self.message_user(request, f"Not matched: {line}", messages.WARNING)
        url = reverse("admin:campaigns_parliamentaryaction_change", args=[action.pk])
        return HttpResponseRedirect(url)
