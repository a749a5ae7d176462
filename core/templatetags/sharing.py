"""Head tags for sharing and search engines: the canonical address and the fallback image.

Built from what the page's context already holds (no queries), once per page."""

import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.links import fixed_url, static_url

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
    path = static_url(SHARE_IMAGE)
    return request.build_absolute_uri(path) if request is not None else path


LOGO = "img/logo.png"  # 512x512, for search engines' Organization logo
# json_script's escaping: the JSON can never close the <script> element or open a comment.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A JSON-LD block. It is data, never run, so the CSP's script-src does not apply."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    # Safe: the escaping above leaves no <, > or & for HTML to read.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def organization(request) -> dict:
    """The charity as search engines describe it: its name, address and logo."""
    return {
        "@type": "Organization",
        "@id": request.build_absolute_uri("/#organization"),
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri("/"),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static_url(LOGO)),
            "width": 512,
            "height": 512,
        },
    }


@register.simple_tag(takes_context=True)
def site_json_ld(context):
    """The home page's Organization and WebSite, with the site search as its SearchAction."""
    request = context["request"]
    search_address = request.build_absolute_uri(fixed_url("search"))
    website = {
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri("/"),
        "publisher": {"@id": organization(request)["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": search_address + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    return json_ld({"@context": "https://schema.org", "@graph": [organization(request), website]})
