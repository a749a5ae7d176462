from django import template

from core.links import fixed_url

register = template.Library()


@register.simple_tag(name="fixed_url")
def fixed_url_tag(name):
    """``{% url name %}`` for an address without arguments, reversed once per process."""
    return fixed_url(name)
