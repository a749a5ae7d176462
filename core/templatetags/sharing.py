"""Head tags for sharing and search engines: the canonical address and the fallback image.

Built from what the page's context already holds (no queries), once per page."""

from urllib.parse import urlencode

from django import template
from django.templatetags.static import static

register = template.Library()

SHARE_IMAGE = "img/share-card.png"  # 1200x630, the site's name on its own colours


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's address without tracking or other stray parameters (utm_*, fbclid, ...):
    only a listing's own choices stay (its page number, country filter or year)."""
    request = context.get("request")
    if request is None:
        return ""
    query = urlencode(_listing_choices(context))
    address = request.build_absolute_uri(request.path)
    return f"{address}?{query}" if query else address


def _listing_choices(context) -> dict:
    choices = {}
    if (country := context.get("current_country")) is not None:
        choices["country"] = country.slug
    years = context.get("years")
    if years and context.get("year") not in (None, years[0]):
        choices["year"] = context["year"]
    page = context.get("page_obj")
    if context.get("is_paginated") and page is not None and page.number > 1:
        choices["page"] = page.number
    return choices


@register.simple_tag(takes_context=True)
def share_image_address(context):
    """The site-wide share image's full address, for pages with no picture of their own."""
    request = context.get("request")
    path = static(SHARE_IMAGE)
    return request.build_absolute_uri(path) if request is not None else path
