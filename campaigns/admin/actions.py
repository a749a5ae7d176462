"""Parliamentary actions on their own page: which members supported each, how and when."""

from django.contrib import admin
from django.db.models import Count

from campaigns.models import ActionSupport, ParliamentaryAction
from core.cache_version import content_version_bump
from core.history import HistoryAdmin


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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(supporter_count=Count("supports"))

    @admin.display(description="Members supporting", ordering="supporter_count")
    def supporter_count(self, obj):
        return obj.supporter_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The campaign's page shows the action and picks the thank-you letter for supporters.
        content_version_bump()
