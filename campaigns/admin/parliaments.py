from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from reversion.admin import VersionAdmin

from campaigns.models import Area, Letter, Parliament, Representative
from campaigns.models.representatives import in_office_on
from core.cache_version import content_version_bump


@admin.register(Parliament)
class ParliamentAdmin(VersionAdmin):
    list_display = ["name", "member_suffix", "multi_member_areas", "time_zone", "area_count"]
    list_display += ["position"]
    list_filter = ["multi_member_areas"]
    search_fields = ["name", "member_suffix"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # The site finds parliaments by slug: set it once, on adding.
    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(area_count=Count("areas"))

    @admin.display(description="Areas", ordering="area_count")
    def area_count(self, obj):
        return obj.area_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Campaign pages say when a parliament is dissolved: none cached before is served.
        transaction.on_commit(content_version_bump)


class PartyFilter(admin.SimpleListFilter):
    """Parties of members in office, so the list stays short."""

    title = "party"
    parameter_name = "party"

    def lookups(self, request, model_admin):
        parties = Representative.objects.current().order_by("party").values_list("party")
        return [(party, party) for (party,) in parties.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(party=self.value()) if self.value() else queryset


class AreaPartyFilter(PartyFilter):
    """Areas with a member of the party in office."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        members = Representative.objects.current().filter(party=self.value())
        return queryset.filter(pk__in=members.values("area"))


class VacancyFilter(admin.SimpleListFilter):
    title = "seats"
    parameter_name = "seats"

    def lookups(self, request, model_admin):
        return [("vacant", "With an empty seat"), ("full", "Every seat filled")]

    def queryset(self, request, queryset):
        if self.value() == "vacant":
            return queryset.filter(members_in_office__lt=F("seats"))
        if self.value() == "full":
            return queryset.filter(members_in_office__gte=F("seats"))
        return queryset


@admin.register(Area)
class AreaAdmin(VersionAdmin):
    list_display = ["name", "code", "kind", "parliament", "parent", "seats", "members_in_office"]
    list_filter = ["parliament", "kind", VacancyFilter, AreaPartyFilter]
    search_fields = ["name", "code"]
    list_select_related = ["parliament", "parent__parliament"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        today = timezone.localdate()
        in_office = Count("representatives", filter=in_office_on(today, "representatives__"))
        return super().get_queryset(request).annotate(members_in_office=in_office)

    @admin.display(description="Members in office", ordering="members_in_office")
    def members_in_office(self, obj):
        return f"{obj.members_in_office} of {obj.seats}"


class InOfficeFilter(admin.SimpleListFilter):
    title = "in office"
    parameter_name = "in_office"

    def lookups(self, request, model_admin):
        return [("yes", "In office"), ("no", "Out of office")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.out_of_office()
        return queryset


class EndTermForm(forms.Form):
    in_office_to = forms.DateField(
        label="Out of office from",
        initial=timezone.localdate,
        help_text="From this day the page offers no one for these seats.",
    )
    end_reason = forms.CharField(
        label="Reason shown on the page",
        max_length=250,
        initial="Parliament is dissolved for an election.",
        help_text="For example “Parliament is dissolved for the election on 7 May 2026.”",
    )


@admin.action(description="Mark selected members out of office…")
def end_terms(modeladmin, request, queryset):
    """Ask for the date and the reason, then end every selected member's term."""
    form = EndTermForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        day = form.cleaned_data["in_office_to"]
        # A term cannot end before it began; those members are left as they are.
        eligible = queryset.filter(Q(in_office_from__isnull=True) | Q(in_office_from__lte=day))
        count = eligible.update(in_office_to=day, end_reason=form.cleaned_data["end_reason"])
        skipped = queryset.count() - count
        message = f"{count} member(s) marked out of office from {day:%d %B %Y}."
        if skipped:
            message += f" {skipped} began their term after that day and were left unchanged."
        modeladmin.message_user(request, message, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Mark members out of office",
        "form": form,
        "members": queryset.select_related("area"),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/campaigns/representative/end_terms.html", context)


class BouncedFilter(admin.SimpleListFilter):
    """Members whose address has bounced letters: their letters are not sent until fixed."""

    title = "address bounced"
    parameter_name = "bounced"

    def lookups(self, request, model_admin):
        return [("yes", "Bounced: check the address"), ("no", "Not bounced")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(email_bounced_at__isnull=self.value() == "no")
        return queryset


@admin.action(
    description="Clear the bounced-address flag (the address is right)",
    permissions=["change"],
)
def bounce_flags_clear(modeladmin, request, queryset):
    """For an address staff have checked and found right: letters to it are sent again."""
    count = queryset.filter(email_bounced_at__isnull=False).update(email_bounced_at=None)
    modeladmin.message_user(request, f"Cleared the flag on {count} member(s).", messages.SUCCESS)


@admin.register(Representative)
class RepresentativeAdmin(VersionAdmin):
    list_display = ["name", "party", "area", "parliament", "email", "address_bounced"]
    list_display += ["in_office_from", "in_office_to", "letters_queued"]
    list_filter = [InOfficeFilter, BouncedFilter, "area__parliament", PartyFilter, "area__kind"]
    search_fields = ["name", "party", "area__name", "area__code", "official_id", "email"]
    list_select_related = ["area__parliament"]
    autocomplete_fields = ["area"]
    actions = [end_terms, bounce_flags_clear]
    readonly_fields = ["email_bounced_at", "letters_queued"]
    fieldsets = [
        (None, {"fields": ["name", "party", "area", "list_position"]}),
        (
            "Contact",
            {
                "fields": [
                    "email",
                    "email_bounced_at",
                    "official_id",
                    "addressed_as",
                    "letters_queued",
                ]
            },
        ),
        ("Term", {"fields": ["in_office_from", "in_office_to", "end_reason"]}),
    ]

    def get_queryset(self, request):
        # The member's queue: letters of ours confirmed and waiting their turn (delivery.pacing).
        queued = Count("letters", filter=Q(letters__state=Letter.State.READY))
        return super().get_queryset(request).annotate(queued=queued)

    @admin.display(description="Letters queued", ordering="queued")
    def letters_queued(self, obj):
        return getattr(obj, "queued", 0)

    @admin.display(description="Address bounced", boolean=True, ordering="email_bounced_at")
    def address_bounced(self, obj):
        return obj.email_bounced_at is not None

    def save_model(self, request, obj, form, change):
        # A new address has bounced nothing yet: letters to it are sent.
        if change and "email" in form.changed_data:
            obj.email_bounced_at = None
        super().save_model(request, obj, form, change)

    @admin.display(description="Parliament", ordering="area__parliament__position")
    def parliament(self, obj):
        return obj.area.parliament.member_suffix
