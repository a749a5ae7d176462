from django.contrib import admin

from core.admin_actions import publish_now, take_down
from core.admin_redirects import RedirectOnSlugChangeMixin
from core.admin_workflow import WORKFLOW_ACTIONS, WorkflowAdminMixin
from core.history import HistoryAdmin
from images.admin import renditions_prepare, thumbnail
from safeguarding.admin import WithheldInlineFormSet, WithheldNamesAdminMixin
from stories.models import (
    Country,
    PrayerPoint,
    PrayerRequest,
    PullQuote,
    Spokesperson,
    Story,
    WatchListEntry,
)


class WatchListEntryInline(admin.TabularInline):
    model = WatchListEntry
    extra = 0
    fields = ["year", "rank", "score", "level"]


@admin.register(Country)
class CountryAdmin(RedirectOnSlugChangeMixin, HistoryAdmin):
    list_display = ["name", "iso_code", "slug", "status"]
    search_fields = ["name", "iso_code"]
    list_filter = ["status", "watch_list__year"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [WatchListEntryInline]
    actions = [publish_now, take_down]


@admin.register(WatchListEntry)
class WatchListEntryAdmin(HistoryAdmin):
    list_display = ["rank", "country", "year", "score", "level"]
    list_display_links = ["rank", "country"]
    list_filter = ["year", "level"]
    search_fields = ["country__name"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    ordering = ["-year", "rank"]


@admin.register(Spokesperson)
class SpokespersonAdmin(
    RedirectOnSlugChangeMixin, WorkflowAdminMixin, WithheldNamesAdminMixin, HistoryAdmin
):
    list_display = ["name", "photo_thumbnail", "role", "name_changed", "status", "published_at"]
    list_filter = ["status", "name_changed"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    actions = WORKFLOW_ACTIONS

    @admin.display(description="Photo")
    def photo_thumbnail(self, obj):
        return thumbnail(obj.photo, obj.photo_alt)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        renditions_prepare(obj.photo, obj.photo_width, obj.photo_height)


class PrayerPointInline(admin.TabularInline):
    model = PrayerPoint
    formset = WithheldInlineFormSet
    extra = 1
    fields = ["position", "text"]


@admin.register(PrayerRequest)
class PrayerRequestAdmin(RedirectOnSlugChangeMixin, WorkflowAdminMixin, HistoryAdmin):
    list_display = ["title", "status", "published_at", "prayed_count"]
    list_filter = ["status", "countries"]
    search_fields = ["title", "introduction", "points__text"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["countries"]
    readonly_fields = ["prayed_count"]
    date_hierarchy = "published_at"
    inlines = [PrayerPointInline]
    actions = WORKFLOW_ACTIONS


class PullQuoteInline(admin.StackedInline):
    model = PullQuote
    formset = WithheldInlineFormSet
    extra = 0
    fields = ["position", "text", "spokesperson", "attribution"]
    autocomplete_fields = ["spokesperson"]


@admin.register(Story)
class StoryAdmin(
    RedirectOnSlugChangeMixin, WorkflowAdminMixin, WithheldNamesAdminMixin, HistoryAdmin
):
    list_display = ["title", "hero_thumbnail", "status", "sensitive", "published_at"]
    list_display += ["country_names"]
    list_filter = ["status", "countries", "spokespeople"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["prayer_request"]
    filter_horizontal = ["countries", "spokespeople"]
    date_hierarchy = "published_at"
    inlines = [PullQuoteInline]
    actions = WORKFLOW_ACTIONS
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (
            "Picture",
            {
                "fields": [
                    "hero_image",
                    "hero_alt",
                    "hero_decorative",
                    "hero_caption",
                    "hero_credit",
                ]
            },
        ),
        ("Links", {"fields": ["countries", "spokespeople", "prayer_request"]}),
        ("Publishing", {"fields": ["status", "published_at", "sensitive", "workflow_trail"]}),
        (
            "Search and sharing",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        ("Withheld names", {"fields": ["withheld_names", "forget_withheld_names"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description="Picture")
    def hero_thumbnail(self, obj):
        return thumbnail(obj.hero_image, obj.hero_alt)

    @admin.display(description="Countries")
    def country_names(self, obj):
        return ", ".join(country.name for country in obj.countries.all())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        renditions_prepare(obj.hero_image, obj.hero_width, obj.hero_height)
