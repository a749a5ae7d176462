from django.contrib import admin

from core.admin_previews import SharePreviewAdmin  # noqa: F401 - registers the links' list
from core.admin_redirects import RedirectAdmin
from core.admin_workflow import STEP_LABELS
from core.models import Redirect, Transition

admin.site.register(Redirect, RedirectAdmin)


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    """The workflow's audit trail: read only, filterable by model, person and status."""

    list_display = ["at", "item_link", "content_type", "step", "from_status", "to_status"]
    list_display += ["by", "comment"]
    list_filter = ["content_type", "by", "to_status", "name"]
    search_fields = ["comment", "by__username"]
    list_select_related = ["content_type", "by"]
    date_hierarchy = "at"

    @admin.display(description="Step", ordering="name")
    def step(self, obj):
        return STEP_LABELS.get(obj.name, obj.name)

    @admin.display(description="Item")
    def item_link(self, obj):
        return f"{obj.content_type.model} #{obj.object_id}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
