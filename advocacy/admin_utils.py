"""Small pieces the admin classes of every app share."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

THUMBNAIL_SIZE = 80


def thumbnail(image_field, alt=""):
    """An <img> of a stored image, sized for a changelist row."""
    if not image_field:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" style="height:auto">',
        image_field.url,
        alt,
        THUMBNAIL_SIZE,
    )


@admin.action(description="Publish selected items now")
def publish_now(modeladmin, request, queryset):
    count = queryset.update(status="published", published_at=timezone.now())
    modeladmin.message_user(request, f"{count} published.", messages.SUCCESS)


@admin.action(description="Take selected items down (back to draft)")
def take_down(modeladmin, request, queryset):
    count = queryset.update(status="draft")
    modeladmin.message_user(request, f"{count} taken down from the site.", messages.SUCCESS)
