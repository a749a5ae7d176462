from itertools import zip_longest

from django import template
from django.utils.safestring import mark_safe

from core.rich_text import sanitize_html, split_at_headings

register = template.Library()


@register.filter
def rich_text(value):
    """Render stored rich text, sanitised again so nothing unsafe can reach the page."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just above


@register.filter
def with_pull_quotes(body, quotes):
    """Pairs of (body section, pull quote): one quote after each sub-headed section.

    Quotes beyond the number of sections follow the last one.
    """
    sections = [mark_safe(part) for part in split_at_headings(body)]  # noqa: S308 - sanitised
    return list(zip_longest(sections, quotes or [], fillvalue=None))
