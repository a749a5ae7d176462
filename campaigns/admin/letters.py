"""The staff side of letter templates (with a preview) and of supporters' letters."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from campaigns.admin.campaigns import preview_link
from campaigns.delivery.operations import letters_retry
from campaigns.letters.drafts import member_values
from campaigns.letters.placeholders import TemplateSyntaxError, render
from campaigns.letters.services import Supporter, letter_counts_refresh
from campaigns.letters.supporters import supporter_data, supporter_erase, supporter_sending
from campaigns.models import DeliveryEvent, Letter, LetterTemplate, Representative
from core.history import HistoryAdmin

State = Letter.State
SAMPLE_SUPPORTER = Supporter(
    name="Sam Sample",
    email="sam.sample@example.org",
    address="1 Sample Street\nLondon",
    postcode="SW1A 1AA",
)
SAMPLE_PARAGRAPH = "(Here the supporter writes, in their own words, why this matters to them.)"


class PreviewForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=Representative.objects.none(),
        empty_label=None,
        help_text="Members of the template's parliament now in office.",
    )

    def __init__(self, template, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Representative.objects.current().filter(area__parliament=template.parliament_id)
        field = self.fields["member"]
        field.queryset = members.select_related("area__parliament").order_by("area__name", "name")
        field.label_from_instance = lambda member: f"{member.name} ({member.area.name})"

    def chosen(self):
        """The member chosen; before any choice, the first on the list; None if neither."""
        if not self.is_bound:
            return self.fields["member"].queryset.first()
        return self.cleaned_data["member"] if self.is_valid() else None


def rendered_letter(template, member):
    """The template filled in for the member and the sample supporter, or the fault in it."""
    values = member_values(template.campaign, member) | SAMPLE_SUPPORTER.values(SAMPLE_PARAGRAPH)
    try:
        return {"subject": render(template.subject, values), "body": render(template.body, values)}
    except TemplateSyntaxError as error:  # saved before the check, or outside the admin
        return {"error": str(error)}


@admin.register(LetterTemplate)
class LetterTemplateAdmin(HistoryAdmin):
    list_display = ["campaign", "parliament", "variant", "subject", "preview"]
    list_filter = ["parliament", "variant", "campaign"]
    search_fields = ["subject", "body", "campaign__title"]
    list_select_related = ["campaign", "parliament"]
    autocomplete_fields = ["campaign"]
    fields = ["campaign", "parliament", "variant", "subject", "body", "prompts"]

    @admin.display(description="Preview")
    def preview(self, obj):
        return preview_link(obj)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        name = "campaigns_lettertemplate_preview"
        return [path("<path:object_id>/preview/", preview, name=name), *super().get_urls()]

    def preview_view(self, request, object_id):
        template = self.get_object(request, unquote(object_id))
        if template is None:
            raise Http404("No such letter template.")
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        form = PreviewForm(template, request.GET if "member" in request.GET else None)
        member = form.chosen()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {template}",
            "opts": self.opts,
            "original": template,
            "form": form,
            "member": member,
            "supporter": SAMPLE_SUPPORTER,
            **(rendered_letter(template, member) if member else {}),
        }
        return TemplateResponse(request, "admin/campaigns/lettertemplate/preview.html", context)


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Letters are what supporters wrote: staff read them and may not change them.

    Not versioned: a history of supporters' details would outlive their anonymisation.
    """

    list_display = ["reference", "created_at", "campaign", "parliament", "constituency"]
    list_display += ["recipient_name", "delivery", "state", "send_after", "own_words", "reply"]
    list_filter = ["state", "delivery", "reply", "campaign", "parliament", "created_at"]
    search_fields = ["reference", "supporter_name", "supporter_email", "supporter_postcode"]
    search_fields += ["constituency", "recipient_name"]
    list_select_related = ["campaign", "parliament"]
    date_hierarchy = "created_at"
    actions = ["release_held", "retry_failed", "export_supporter_data", "erase_supporter_data"]
    fieldsets = [
        (None, {"fields": ["reference", "created_at", "campaign", "variant", "delivery"]}),
        (
            "Sending",
            {
                "fields": [
                    "state",
                    "hold_reason",
                    "last_error",
                    "attempts",
                    "delivery_reports",
                    "undelivered_told_at",
                    "confirmed_at",
                    "send_after",
                    "claimed_at",
                    "sent_at",
                    "anonymised_at",
                ]
            },
        ),
        (
            "Recipient",
            {
                "fields": [
                    "parliament",
                    "representative",
                    "recipient_name",
                    "recipient_title",
                    "recipient_email",
                    "constituency",
                    "area_code",
                ]
            },
        ),
        ("Letter", {"fields": ["subject", "body", "personal_percent"]}),
        (
            "Supporter",
            {
                "fields": [
                    "supporter_name",
                    "supporter_email",
                    "supporter_address",
                    "supporter_postcode",
                ]
            },
        ),
        ("Consent", {"fields": ["marketing_consent", "consent_wording", "consented_at"]}),
        (
            "Did the member reply?",
            {
                "fields": [
                    "reply_asked_at",
                    "reply_asked_again_at",
                    "reply",
                    "reply_answered_at",
                    "reply_text",
                    "reply_text_consented_at",
                ],
                "description": "The supporter's answer, from the question we email them after "
                "sending (campaigns.replies). A pasted reply is kept only with their consent, "
                "for staff: it is never shown on the site, and goes when the letter is "
                "anonymised.",
            },
        ),
    ]
    readonly_fields = flatten_fieldsets(fieldsets)

    @admin.display(description="Mail service reports")
    def delivery_reports(self, obj):
        """Bounces, rejections and complaints reported for it (delivery.bounces)."""
        reports = [
            f"{event.recorded_at:%d %b %Y %H:%M}: {event.get_kind_display()} "
            f"({event.service}, {event.recipient}) {event.description}".strip()
            for event in obj.delivery_events.order_by("recorded_at", "id")
        ]
        return "\n".join(reports) or "None"

    @admin.display(description="Own words", ordering="personal_percent")
    def own_words(self, obj):
        return f"{obj.personal_percent}%"

    # Releasing or retrying a letter sends it to a member: for those who manage campaigns,
    # who may also pause them. The letter itself stays unchangeable by anyone.
    def has_manage_sending_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.change_campaign")

    @admin.action(description="Release selected held letters", permissions=["manage_sending"])
    def release_held(self, request, queryset):
        self._requeue(request, queryset, State.HELD, "Released", "not held")

    @admin.action(description="Retry selected failed letters", permissions=["manage_sending"])
    def retry_failed(self, request, queryset):
        self._requeue(request, queryset, State.FAILED, "Retried", "not failed")

    def _requeue(self, request, queryset, state, done, wrong_state):
        """Queue the selected letters in ``state`` again; say how many, and what was skipped."""
        selected = list(queryset.select_related("campaign"))
        in_state = [letter for letter in selected if letter.state == state]
        # Queued while paused, they would only be held again: resume the campaign first.
        paused = [letter for letter in in_state if letter.campaign.sending_paused]
        requeued = letters_retry(
            letter for letter in in_state if not letter.campaign.sending_paused
        )
        for letter in requeued:
            self.log_change(request, letter, f"{done} to be sent.")
        message = f"{done} {len(requeued)} letter(s) to be sent."
        if skipped := len(selected) - len(requeued) - len(paused):
            message += f" Skipped {skipped}: {wrong_state}."
        if paused:
            message += f" Skipped {len(paused)}: their campaign's sending is paused."
        skips = len(selected) > len(requeued)
        self.message_user(request, message, messages.WARNING if skips else messages.SUCCESS)

    # A supporter's request to see or erase what we hold: for those who may export letters.
    def has_export_letters_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.export_letters")

    @admin.action(description="Export supporter data (JSON)", permissions=["export_letters"])
    def export_supporter_data(self, request, queryset):
        """Everything held on each selected letter's address, as one JSON download."""
        if not (addresses := self._addresses(request, queryset)):
            return None
        for letter in queryset:  # who took supporters' details away, and when
            self.log_change(request, letter, "Exported its supporter's data as JSON.")
        data = [supporter_data(address) for address in addresses]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="supporter-data.json"'
        return response

    @admin.action(description="Erase supporter data", permissions=["export_letters"])
    def erase_supporter_data(self, request, queryset):
        """Anonymise every letter from each selected letter's address, keeping the counts."""
        if not (addresses := self._addresses(request, queryset)):
            return
        erased = sum(supporter_erase(address) for address in addresses)
        for letter in queryset:
            self.log_change(request, letter, "Erased its supporter's data (every letter).")
        message = f"Anonymised {erased} letter(s) from {len(addresses)} address(es); "
        message += "counts and references kept."
        if sending := sum(supporter_sending(address) for address in addresses):
            message += f" {sending} being sent at this moment were left: erase again later."
        self.message_user(request, message, messages.WARNING if sending else messages.SUCCESS)

    def _addresses(self, request, queryset) -> list[str]:
        """The selected letters' addresses, normalised; says so when all are anonymised."""
        kept = queryset.exclude(state=State.ANONYMISED)
        addresses = sorted(set(kept.values_list("email_key", flat=True)))
        if not addresses:
            self.message_user(request, "Nothing held: those letters are anonymised already.")
        return addresses

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting a letter is for a supporter's request to erase it: rare, and it lowers the
    # campaign's public count, so it is kept to superusers rather than a grantable permission.
    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        letter_counts_refresh([obj.campaign_id])

    def delete_queryset(self, request, queryset):
        campaign_ids = set(queryset.values_list("campaign_id", flat=True))
        super().delete_queryset(request, queryset)
        letter_counts_refresh(campaign_ids)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    """What the mail service reported: recorded by its webhook, read here, changed by no one."""

    list_display = ["recorded_at", "kind", "letter", "recipient", "service", "reason"]
    list_filter = ["kind", "service", "recorded_at"]
    search_fields = ["letter__reference", "recipient", "description"]
    list_select_related = ["letter"]
    date_hierarchy = "recorded_at"
    fields = ["letter", "kind", "service", "event_key", "recipient", "reason", "description"]
    fields += ["occurred_at", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
