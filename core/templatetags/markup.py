"""Small, repeated pieces of markup written in one call, not a loop of template nodes.

A list page writes them for every row (a story card's date, each country of a filter), where
each ``{{ }}``, ``{% if %}`` and ``|date`` costs more than the text it makes.
"""

from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag
def time_element(moment):
    """``<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j F Y" }}</time>``."""
    local = template_localtime(moment)
    day = f"{local.day} {MONTHS[local.month]} {local.year:04d}"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), day)


@register.simple_tag
def options(choices, selected):
    """An ``<option>`` for each (value, label) pair, the one whose value is ``selected`` marked."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )
