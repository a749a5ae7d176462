from django import template

from core.panels import panels_for

register = template.Library()


@register.simple_tag(name="panels_for")
def panels_for_tag(page):
    """The templates registered for ``page``: ``{% panels_for "story" as panels %}``, then
    ``{% for panel in panels %}{% include panel %}{% endfor %}``."""
    return panels_for(page)
