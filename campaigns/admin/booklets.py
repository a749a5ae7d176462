"""The staff side of the booklet: the fulfilment queue, its CSV and labels, and the settings.

Everything about orders needs ``campaigns.fulfil_bookletorder``: without it staff see no
queue, no addresses, no CSV and no labels. Orders come only from the public form, and are
cancelled rather than deleted, so the counts per edition stay right.
"""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from campaigns.booklets.exports import orders_csv
from campaigns.booklets.services import booklet_orders_move, orders_per_edition
from campaigns.models import BookletOrder, BookletSettings

Status = BookletOrder.Status
FULFIL = "campaigns.fulfil_bookletorder"
LABELS_PER_SHEET = 21  # A4, three across and seven down


@admin.register(BookletOrder)
class BookletOrderAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "name",
        "town",
        "postcode",
        "country",
        "quantity",
        "edition",
        "status",
        "created_at",
    ]
    list_filter = ["status", "edition", "country"]
    search_fields = ["name", "postcode", "town", "address_line1", "email"]
    list_per_page = 105  # five sheets of labels
    actions = ["mark_packed", "mark_posted", "mark_cancelled", "download_csv", "print_labels"]
    fields = [
        "status",
        "edition",
        "quantity",
        "reason",
        "name",
        *BookletOrder.ADDRESS_FIELDS,
        "country",
        "email",
        "marketing_consent",
        "consent_wording",
        "consented_at",
        "created_at",
        "packed_at",
        "posted_at",
        "cancelled_at",
        "anonymised_at",
    ]
    readonly_fields = fields

    def has_fulfil_permission(self, request):
        return request.user.has_perm(FULFIL)

    def has_view_permission(self, request, obj=None):
        return self.has_fulfil_permission(request)

    def has_module_permission(self, request):
        return self.has_fulfil_permission(request)

    def has_add_permission(self, request):
        return False  # orders come from supporters, through the order page

    def has_change_permission(self, request, obj=None):
        return False  # status changes through the actions; the rest is the supporter's

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: a cancelled order still counts as asked for

    @admin.display(description="Reference", ordering="id")
    def reference(self, order):
        return order.reference

    def changelist_view(self, request, extra_context=None):
        context = {"per_edition": orders_per_edition(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def _move(self, request, queryset, status):
        ids = list(queryset.values_list("pk", flat=True))
        moved = booklet_orders_move(ids, status)
        label = Status(status).label.lower()
        self.message_user(request, f"{moved} order(s) marked {label}.", messages.SUCCESS)
        if skipped := len(ids) - moved:
            self.message_user(
                request,
                f"{skipped} order(s) left as they were: already {label}, or past that.",
                messages.WARNING,
            )

    @admin.action(description="Mark selected orders packed", permissions=["fulfil"])
    def mark_packed(self, request, queryset):
        self._move(request, queryset, Status.PACKED)

    @admin.action(description="Mark selected orders posted", permissions=["fulfil"])
    def mark_posted(self, request, queryset):
        self._move(request, queryset, Status.POSTED)

    @admin.action(description="Cancel selected orders", permissions=["fulfil"])
    def mark_cancelled(self, request, queryset):
        self._move(request, queryset, Status.CANCELLED)

    @admin.action(description="Download CSV for the mailing house", permissions=["fulfil"])
    def download_csv(self, request, queryset):
        orders = queryset.filter(anonymised_at__isnull=True).order_by("created_at", "id")
        filename = f"booklet-orders-{timezone.localdate():%Y-%m-%d}.csv"
        return HttpResponse(
            orders_csv(orders),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    @admin.action(description="Print address labels (A4, 3 × 7)", permissions=["fulfil"])
    def print_labels(self, request, queryset):
        orders = list(queryset.filter(anonymised_at__isnull=True).order_by("created_at", "id"))
        sheets = [
            orders[start : start + LABELS_PER_SHEET]
            for start in range(0, len(orders), LABELS_PER_SHEET)
        ]
        context = {**self.admin_site.each_context(request), "sheets": sheets, "count": len(orders)}
        return TemplateResponse(request, "admin/campaigns/bookletorder/labels.html", context)


@admin.register(BookletSettings)
class BookletSettingsAdmin(admin.ModelAdmin):
    """One row, made with the defaults when the list is first opened; never added or deleted."""

    list_display = ["__str__", "most_copies", "edition"]
    list_filter = []
    search_fields = []
    fields = ["most_copies", "edition"]

    def has_add_permission(self, request):
        return False  # never a second row; and no query for the admin's sidebar

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if self.has_change_permission(request):
            BookletSettings.objects.get_or_create(pk=1)
        return super().changelist_view(request, extra_context)
