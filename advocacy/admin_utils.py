"""Small pieces the admin classes of every app share."""

import logging

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from advocacy.renditions import ensure_renditions
from advocacy.withheld import withheld_faults
from stories.querysets import Status

logger = logging.getLogger(__name__)
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
    # update() skips clean(), so the withheld-names guard runs here, on related rows too.
    refused = withheld_faults(queryset)
    values = {"status": Status.PUBLISHED}
    if any(field.name == "published_at" for field in queryset.model._meta.fields):
        values["published_at"] = timezone.now()
    count = queryset.exclude(pk__in=[fault.obj.pk for fault in refused]).update(**values)
    modeladmin.message_user(request, f"{count} published.", messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            f"{len(refused)} not published: they contain a name or word withheld to protect "
            f"someone. Remove it, then publish. {'; '.join(str(fault) for fault in refused)}.",
            messages.ERROR,
        )


@admin.action(description="Take selected items down (back to draft)")
def take_down(modeladmin, request, queryset):
    count = queryset.update(status=Status.DRAFT)
    modeladmin.message_user(request, f"{count} taken down from the site.", messages.SUCCESS)


def renditions_prepare(image, width, height) -> None:
    """Make a saved picture's renditions now, in the editor's request, not a reader's."""
    if not (image and width and height):
        return
    try:
        ensure_renditions(image.storage, image.name, width, height)
    except OSError:  # the page makes them on first view instead
        logger.warning("Could not make renditions of %s", image.name)
