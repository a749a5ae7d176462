"""Small, repeated pieces of markup written in one call, not a loop of template nodes.

A list page writes them for every row (a story card's date, each country of a filter), where
each ``{{ }}``, ``{% if %}`` and ``|date`` costs more than the text it makes.

They escape with ``html.escape``, which is what Django's ``escape`` and ``format_html`` call
(the same entities), without the wrappers that look for lazy text in every argument: those
cost more than the escaping on a list of a hundred rows.
"""

from html import escape

from django import template
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag
def time_element(moment):
    """``<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j F Y" }}</time>``."""
    local = template_localtime(moment)
    day = escape(f"{local.day} {MONTHS[local.month]} {local.year:04d}")
    return mark_safe(f'<time datetime="{escape(local.isoformat())}">{day}</time>')  # noqa: S308


@register.simple_tag
def options(choices, selected):
    """An ``<option>`` for each (value, label) pair, the one whose value is ``selected`` marked."""
    return mark_safe(  # noqa: S308 - each value and label escaped
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )
