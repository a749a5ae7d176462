from django import template
from django.utils.safestring import mark_safe

from advocacy.html import sanitize_html

register = template.Library()


@register.filter
def rich_text(value):
    """Render stored rich text, sanitised again so nothing unsafe can reach the page."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just above
