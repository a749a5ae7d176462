"""The staff side of campaigns: campaigns, their letter templates, and supporters' letters."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from advocacy.admin_utils import publish_now, take_down

from . import exports
from .delivery.sending import PAUSED_HOLD_REASON, letter_requeue
from .delivery.states import InvalidTransition
from .letter_text import TemplateSyntaxError, render
from .models import Campaign, Letter, LetterTemplate, ParliamentaryAction, Representative
from .services import Supporter, letter_counts_refresh
from .writing import member_values

SAMPLE_SUPPORTER = Supporter(
    name="Sam Sample",
    email="sam.sample@example.org",
    address="1 Sample Street\nLondon",
    postcode="SW1A 1AA",
)
SAMPLE_PARAGRAPH = "(Here the supporter writes, in their own words, why this matters to them.)"
# As campaigns.delivery.sending writes it when the worker meets a paused campaign's letter.
State = Letter.State


def letters_requeue(letters) -> list[Letter]:
    """Queue each letter to be sent again; any that moved meanwhile are left as they are."""
    requeued = []
    for letter in letters:
        try:
            requeued.append(letter_requeue(letter.pk))
        except InvalidTransition:
            continue
    return requeued


def paused_letters_release(campaign_ids) -> list[Letter]:
    """Queue the letters a pause held, for campaigns no longer paused.

    Letters held for another reason (over a limit) stay held for staff to review.
    """
    held = Letter.objects.filter(
        campaign__in=campaign_ids,
        campaign__sending_paused=False,
        state=State.HELD,
        hold_reason=PAUSED_HOLD_REASON,
    )
    return letters_requeue(held)


def letter_summary(letters) -> dict[str, int]:
    """How many letters are in each stage and went each way: one query."""

    def count(**lookups):
        return Count("pk", filter=Q(**lookups))

    return letters.aggregate(
        created=Count("pk"),
        confirmed=count(confirmed_at__isnull=False),
        pending=count(state=State.PENDING),
        queued=count(state__in=[State.READY, State.SENDING]),
        sent=count(state=State.SENT),
        failed=count(state=State.FAILED),
        held=count(state=State.HELD),
        held_by_pause=count(state=State.HELD, hold_reason=PAUSED_HOLD_REASON),
        **{delivery.value: count(delivery=delivery) for delivery in Letter.Delivery},
    )


def letters_list_url(**filters) -> str:
    return reverse("admin:campaigns_letter_changelist") + "?" + urlencode(filters)


def preview_link(template):
    if not template.pk:
        return "Save the template to preview it."
    url = reverse("admin:campaigns_lettertemplate_preview", args=[template.pk])
    return format_html('<a href="{}">Preview for a member</a>', url)


class LetterTemplateInline(admin.StackedInline):
    model = LetterTemplate
    extra = 0
    fields = ["parliament", "variant", "subject", "body", "prompts", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, obj):
        return preview_link(obj)


class ParliamentaryActionInline(admin.StackedInline):
    model = ParliamentaryAction
    extra = 0
    fields = ["position", "kind", "parliament", "title", "reference", "tabled_by"]
    fields += ["tabled_by_member", "date", "link", "supporters"]
    autocomplete_fields = ["tabled_by_member", "supporters"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Campaign)
class CampaignAdmin(VersionAdmin):
    list_display = ["title", "status", "opens", "closes_at", "letters", "sending_paused"]
    list_display += ["by_constituency", "sending_summary"]
    list_filter = ["status", "sending_paused", "target_parliaments"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["stories", "prayer_request", "spokesperson"]
    readonly_fields = ["letter_count"]
    date_hierarchy = "published_at"
    inlines = [LetterTemplateInline, ParliamentaryActionInline]
    actions = [publish_now, take_down, "pause_sending", "resume_sending", "export_letters"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "ask", "why_it_matters"]}),
        (
            "Letters",
            {
                "fields": [
                    "target_parliaments",
                    "goal",
                    "letter_count",
                    "min_personal_percent",
                    "sending_paused",
                ]
            },
        ),
        ("Links", {"fields": ["stories", "prayer_request", "spokesperson"]}),
        ("After writing", {"fields": ["thank_you_text", "share_text"]}),
        ("Publishing", {"fields": ["status", "published_at", "closes_at"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "target_parliaments":  # a handful: show them all
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Opens", ordering="published_at")
    def opens(self, obj):
        return obj.published_at

    @admin.display(description="Letters", ordering="letter_count")
    def letters(self, obj):
        return f"{obj.letter_count} of {obj.goal}"

    @admin.display(description="Where from")
    def by_constituency(self, obj):
        url = reverse("admin:campaigns_campaign_constituencies", args=[obj.pk])
        return format_html('<a href="{}">By constituency</a>', url)

    @admin.display(description="Sending")
    def sending_summary(self, obj):
        url = reverse("admin:campaigns_campaign_summary", args=[obj.pk])
        return format_html('<a href="{}">Summary</a>', url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The form carries the count as it was when read, and a reverted version an older
        # one: count again rather than write either back.
        letter_counts_refresh([obj.pk])
        if change and "sending_paused" in form.changed_data and not obj.sending_paused:
            self.message_user(request, self._resumed(request, [obj]))

    @admin.action(description="Pause sending letters for supporters", permissions=["change"])
    def pause_sending(self, request, queryset):
        campaigns = list(queryset.filter(sending_paused=False))
        Campaign.objects.filter(pk__in=[campaign.pk for campaign in campaigns]).update(
            sending_paused=True
        )
        for campaign in campaigns:
            self.log_change(request, campaign, "Paused sending.")
        self.message_user(
            request,
            f"Paused sending for {len(campaigns)} campaign(s). Letters due to be sent are held "
            "until you resume.",
        )

    @admin.action(description="Resume sending and release paused letters", permissions=["change"])
    def resume_sending(self, request, queryset):
        campaigns = list(queryset)
        Campaign.objects.filter(pk__in=[campaign.pk for campaign in campaigns]).update(
            sending_paused=False
        )
        self.message_user(request, self._resumed(request, campaigns))

    def _resumed(self, request, campaigns):
        """Release what the pause held; say so, and what stays held for review."""
        ids = [campaign.pk for campaign in campaigns]
        released = paused_letters_release(ids)
        for campaign in campaigns:
            count = sum(letter.campaign_id == campaign.pk for letter in released)
            self.log_change(request, campaign, f"Resumed sending; released {count} letter(s).")
        message = f"Sending resumed for {len(ids)} campaign(s); {len(released)} held letter(s) "
        message += "released to be sent."
        if still_held := Letter.objects.filter(campaign__in=ids, state=State.HELD).count():
            url = letters_list_url(state__exact=State.HELD)
            message = format_html(
                '{} {} letter(s) held for review stay held: <a href="{}">release them</a> '
                "from the letters list once checked.",
                message,
                still_held,
                url,
            )
        return message

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/constituencies/",
                view(self.constituencies_view),
                name="campaigns_campaign_constituencies",
            ),
            path(
                "<path:object_id>/summary/",
                view(self.summary_view),
                name="campaigns_campaign_summary",
            ),
            path(
                "<path:object_id>/letters.csv",
                view(self.export_view),
                name="campaigns_campaign_export",
            ),
            *super().get_urls(),
        ]

    def _campaign(self, request, object_id):
        campaign = self.get_object(request, unquote(object_id))
        if campaign is None:
            raise Http404("No such campaign.")
        return campaign

    def constituencies_view(self, request, object_id):
        campaign = self._campaign(request, object_id)
        if not self.has_view_permission(request, campaign):
            raise PermissionDenied
        rows = list(
            campaign.letters.values("parliament__name", "constituency", "area_code")
            .annotate(letters=Count("id"))
            .order_by("-letters", "parliament__position", "constituency")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Letters by constituency: {campaign}",
            "opts": self.opts,
            "original": campaign,
            "rows": rows,
            "total": sum(row["letters"] for row in rows),
        }
        return TemplateResponse(request, "admin/campaigns/campaign/constituencies.html", context)

    def summary_view(self, request, object_id):
        campaign = self._campaign(request, object_id)
        if not self.has_view_permission(request, campaign):
            raise PermissionDenied
        counts = letter_summary(campaign.letters.all())

        def row(label, key, *, link=True, **filters):
            url = letters_list_url(campaign__id__exact=campaign.pk, **filters) if link else ""
            return {"label": label, "count": counts[key], "url": url}

        context = {
            **self.admin_site.each_context(request),
            "title": f"Letters and sending: {campaign}",
            "opts": self.opts,
            "original": campaign,
            "stages": [
                row("Written", "created"),
                row("Confirmed by the supporter", "confirmed", link=False),
                row(State.PENDING.label, "pending", state__exact=State.PENDING),
                row("Waiting to be sent, or sending", "queued", link=False),
                row(State.SENT.label, "sent", state__exact=State.SENT),
                row(State.FAILED.label, "failed", state__exact=State.FAILED),
                row(State.HELD.label, "held", state__exact=State.HELD),
            ],
            "held_by_pause": counts["held_by_pause"],
            "deliveries": [
                row(delivery.label, delivery.value, delivery__exact=delivery.value)
                for delivery in Letter.Delivery
            ],
        }
        return TemplateResponse(request, "admin/campaigns/campaign/summary.html", context)

    def has_export_letters_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.export_letters")

    def export_view(self, request, object_id):
        if not self.has_export_letters_permission(request):
            raise PermissionDenied
        return self.letters_csv_response(request, [self._campaign(request, object_id)])

    @admin.action(description="Export letters as CSV", permissions=["export_letters"])
    def export_letters(self, request, queryset):
        return self.letters_csv_response(request, list(queryset))

    def letters_csv_response(self, request, campaigns):
        """Streamed, so a campaign's many thousand letters never sit in memory at once."""
        for campaign in campaigns:  # who took supporters' details away, and when
            self.log_change(request, campaign, "Exported its letters as CSV.")
        name = campaigns[0].slug if len(campaigns) == 1 else "campaigns"
        filename = f"{name}-letters-{timezone.localdate():%Y-%m-%d}.csv"
        letters = exports.campaign_letters(campaign.pk for campaign in campaigns)
        return StreamingHttpResponse(
            exports.letters_csv(letters),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
            },
        )


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
class LetterTemplateAdmin(VersionAdmin):
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
    list_display += ["recipient_name", "delivery", "state", "own_words"]
    list_filter = ["state", "delivery", "campaign", "parliament", "created_at"]
    search_fields = ["reference", "supporter_name", "supporter_email", "supporter_postcode"]
    search_fields += ["constituency", "recipient_name"]
    list_select_related = ["campaign", "parliament"]
    date_hierarchy = "created_at"
    actions = ["release_held", "retry_failed"]
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
                    "confirmed_at",
                    "claimed_at",
                    "sent_at",
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
    ]
    readonly_fields = flatten_fieldsets(fieldsets)

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
        requeued = letters_requeue(
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
