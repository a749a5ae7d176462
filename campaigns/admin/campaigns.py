"""The staff side of campaigns: campaigns, their letter templates, and supporters' letters."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from campaigns.admin import results as results_page
from campaigns.delivery.operations import letter_summary, paused_letters_release
from campaigns.letters import exports
from campaigns.letters.services import letter_counts_refresh
from campaigns.models import Campaign, Letter, LetterTemplate, ParliamentaryAction
from campaigns.reach import links
from campaigns.reach.sources import letters_by_source
from core.admin_redirects import RedirectOnSlugChangeMixin
from core.admin_workflow import WORKFLOW_ACTIONS, WorkflowAdminMixin
from core.history import HistoryAdmin
from safeguarding.admin import WithheldInlineFormSet

State = Letter.State


def letters_list_url(**filters) -> str:
    return reverse("admin:campaigns_letter_changelist") + "?" + urlencode(filters)


def preview_link(template):
    if not template.pk:
        return "Save the template to preview it."
    url = reverse("admin:campaigns_lettertemplate_preview", args=[template.pk])
    return format_html('<a href="{}">Preview for a member</a>', url)


class LetterTemplateInline(admin.StackedInline):
    model = LetterTemplate
    formset = WithheldInlineFormSet  # shown on the campaign's page: no withheld names
    extra = 0
    fields = ["parliament", "variant", "subject", "body", "prompts", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, obj):
        return preview_link(obj)


class ParliamentaryActionInline(admin.StackedInline):
    model = ParliamentaryAction
    formset = WithheldInlineFormSet
    extra = 0
    fields = ["position", "kind", "parliament", "title", "reference", "tabled_by"]
    fields += ["tabled_by_member", "date", "session", "link", "members_supporting"]
    readonly_fields = ["members_supporting"]
    autocomplete_fields = ["tabled_by_member"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Members supporting it")
    def members_supporting(self, obj):
        """Who signed, backed or spoke, with the day: on the action's own page (a form per
        member would not fit inside this one), where a CSV of the parliament's data loads too."""
        if not obj.pk:
            return "Save the campaign to record who supports it."
        url = reverse("admin:campaigns_parliamentaryaction_change", args=[obj.pk])
        return format_html('<a href="{}">Record who supported it, and when</a>', url)


@admin.register(Campaign)
class CampaignAdmin(RedirectOnSlugChangeMixin, WorkflowAdminMixin, HistoryAdmin):
    list_display = ["title", "status", "opens", "closes_at", "letters", "sending_paused"]
    list_display += ["by_constituency", "sending_summary", "results"]
    list_filter = ["status", "sending_paused", "target_parliaments"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["stories", "prayer_request", "spokesperson"]
    readonly_fields = ["letter_count"]
    date_hierarchy = "published_at"
    inlines = [LetterTemplateInline, ParliamentaryActionInline]
    change_form_template = "admin/campaigns/campaign/change_form.html"  # with the workflow's
    actions = [*WORKFLOW_ACTIONS, "pause_sending", "resume_sending", "export_letters"]
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
        (
            "Pace of sending",
            {
                "description": "Letters we send for supporters go to each member at no more "
                "than this rate, in these hours of their parliament's time zone; the rest "
                "wait their turn, and each supporter is told when theirs will go.",
                "fields": ["letters_per_hour", "office_opens", "office_closes", "send_at_weekends"],
            },
        ),
        ("Links", {"fields": ["stories", "prayer_request", "spokesperson"]}),
        ("Embedding", {"fields": ["embed_origins"]}),
        ("After writing", {"fields": ["thank_you_text", "share_text"]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "closes_at", "sensitive", "workflow_trail"]},
        ),
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

    @admin.display(description="Results")
    def results(self, obj):
        url = reverse("admin:campaigns_campaign_results", args=[obj.pk])
        return format_html('<a href="{}">Results</a>', url)

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
                "<path:object_id>/links/",
                view(self.links_view),
                name="campaigns_campaign_links",
            ),
            path(
                "<path:object_id>/results/",
                view(self.results_view),
                name="campaigns_campaign_results",
            ),
            path(
                "<path:object_id>/results/weekly/",
                view(self.results_weekly_view),
                name="campaigns_campaign_results_weekly",
            ),
            path(
                "<path:object_id>/results.csv",
                view(self.results_csv_view),
                name="campaigns_campaign_results_csv",
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

    def results_view(self, request, object_id):
        return results_page.results_view(self, request, self._campaign(request, object_id))

    def results_weekly_view(self, request, object_id):
        return results_page.weekly_view(self, request, self._campaign(request, object_id))

    def results_csv_view(self, request, object_id):
        return results_page.results_csv_view(self, request, self._campaign(request, object_id))

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
                row("Sent (including those since anonymised)", "sent", link=False),
                row(State.FAILED.label, "failed", state__exact=State.FAILED),
                row(State.HELD.label, "held", state__exact=State.HELD),
                row(State.ANONYMISED.label, "anonymised", state__exact=State.ANONYMISED),
            ],
            "held_by_pause": counts["held_by_pause"],
            "deliveries": [
                row(delivery.label, delivery.value, delivery__exact=delivery.value)
                for delivery in Letter.Delivery
            ],
        }
        return TemplateResponse(request, "admin/campaigns/campaign/summary.html", context)

    def links_view(self, request, object_id):
        """The link builder: a link or embed with a source code, and letters per code so far."""
        campaign = self._campaign(request, object_id)
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        form = links.LinkForm(request.GET if "source" in request.GET else None)
        link = snippet = ""
        if form.is_valid():
            data = form.cleaned_data
            site_url = request.build_absolute_uri("/")
            link = links.campaign_link(
                campaign, source=data["source"], kind=data["kind"], site_url=site_url
            )
            snippet = links.frame_snippet(campaign, link) if data["kind"] == links.EMBED else ""
        context = {
            **self.admin_site.each_context(request),
            "title": f"Links and embeds: {campaign}",
            "opts": self.opts,
            "original": campaign,
            "form": form,
            "link": link,
            "snippet": snippet,
            "by_source": letters_by_source(campaign),
        }
        return TemplateResponse(request, "admin/campaigns/campaign/links.html", context)

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
