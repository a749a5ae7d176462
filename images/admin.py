"""Admin helpers for pictures: a changelist thumbnail, and renditions made on save."""

import logging

from django.utils.html import format_html

from images.renditions import STORAGE_ERRORS, ensure_renditions

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


def renditions_prepare(image, width, height) -> None:
    """Make a saved picture's renditions now, in the editor's request, not a reader's."""
    if not (image and width and height):
        return
    try:
        ensure_renditions(image.storage, image.name, width, height)
    except STORAGE_ERRORS:  # the page makes them on first view instead
        logger.warning("Could not make renditions of %s", image.name)
