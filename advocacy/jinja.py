"""The Jinja2 environment of the public pages that carry the load (story, campaign, home, the
story list): the same Python functions their Django templates call, as globals and filters.

Django's template language cost about half of an uncached page's CPU; Jinja2 compiles each
template to Python once per process. Autoescaping is always on, as in Django's templates, and
text goes through Django's own gettext and ngettext, so it is translated with the rest.
"""

from functools import cache, lru_cache

from django.template import defaultfilters
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup, escape

from campaigns.templatetags.campaign_links import live_campaigns_for
from core.links import fixed_url, fixed_urls, slug_url, static_url
from core.panels import panels_for
from core.templatetags.form_fields import described, new_form_field
from core.templatetags.markup import options, time_element
from core.templatetags.rich_text import with_pull_quotes
from core.templatetags.sharing import canonical_url, share_image_address, site_json_ld
from images.templatetags.pictures import picture, picture_address
from stories.templatetags.story_cards import story_card
from stories.templatetags.story_data import story_json_ld


def gettext(message: str) -> str:
    """Django's gettext, each text looked up once per process and language: a page asks for
    about 25, each a walk through the catalogues. The catalogues do not change while the
    process runs, so this caches no page or data, only what the catalogue says."""
    return _translated(translation.get_language(), message)


@lru_cache(maxsize=1024)
def _translated(language: str | None, message: str) -> str:
    return translation.gettext(message)  # under ``language``, the active one


@cache  # one a language
def translator(language: str | None):
    """``_("text", **variables)`` in ``language``: the text escaped, as Django's
    ``{% translate %}`` escapes it, then formatted with the variables escaped, as the i18n
    extension's newstyle ``_`` formats them. Called directly: the extension's alias and
    wrapper cost two calls through the context for each text."""

    def _(message: str, **variables) -> Markup:
        text = _escaped(language, message)
        return text % variables if variables or "%" in text else text

    return _


@lru_cache(maxsize=1024)
def _escaped(language: str | None, message: str) -> Markup:
    """A text as ``_`` writes it before formatting: escaped once, as it is looked up once."""
    return escape(_translated(language, message))


def translate(message: str, **variables) -> Markup:
    """``_`` in the active language, for a render without a request (per_render binds it)."""
    return translator(translation.get_language())(message, **variables)


def per_render(request) -> dict:
    """A context processor: ``_`` and ``fixed_url`` bound once per render, to the active
    language and to the request's URLconf and script prefix, instead of reading each from
    its context-local on every call (a page makes about 25 of each)."""
    return {"_": translator(translation.get_language()), "fixed_url": fixed_urls()}


def url(name, *args, **kwargs):
    """``{% url name arg %}``: reverse() with the arguments given."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value, arg=None):
    """Django's ``|date``, in the site's time zone as Django's templates show it."""
    return defaultfilters.date(template_localtime(value), arg)


# urllib's quote() keeps these bytes (and Django's |urlencode adds "/"); every other byte of the
# text's UTF-8 is written %XX.
QUOTE_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/"
PERCENT_ENCODED = {byte: f"%{byte:02X}" for byte in range(256) if byte not in QUOTE_SAFE}


def urlencode(value) -> str:
    """Django's ``|urlencode``, byte for byte, in one ``str.translate``: quote() calls Python
    once a character (the share links of a page quote its title and address seven times)."""
    return str(value).encode().decode("latin-1").translate(PERCENT_ENCODED)


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


def with_context(function):
    """A Django tag that takes the context, called with the Jinja2 template's context (which
    answers ``get`` and ``[]`` as Django's does)."""

    @pass_context
    def call(context, *args, **kwargs):
        return function(context, *args, **kwargs)

    return call


GLOBALS = {
    "static": static_url,
    "url": url,
    "fixed_url": fixed_url,
    "slug_url": slug_url,  # url(name, slug) for a page named by its slug, in fewer calls
    "canonical_url": with_context(canonical_url),
    "share_image_address": with_context(share_image_address),
    "site_json_ld": with_context(site_json_ld),
    "story_json_ld": with_context(story_json_ld),
    "picture": picture,
    "picture_address": with_context(picture_address),
    "time_element": time_element,
    "options": options,
    "story_card": story_card,
    "new_form_field": new_form_field,
    "panels_for": panels_for,
    "live_campaigns_for": live_campaigns_for,
}

FILTERS = {
    # Django's filters where Jinja2's differ (urlencode's safe characters) or are missing
    # (date, in the site's time zone; linebreaks; truncatewords; capfirst).
    "date": date,
    "urlencode": urlencode,
    "linebreaks": linebreaks,
    "linebreaksbr": linebreaksbr,
    "truncatewords": defaultfilters.truncatewords,
    "capfirst": defaultfilters.capfirst,
    "described": described,
    "with_pull_quotes": with_pull_quotes,
}


def environment(**options) -> Environment:
    # A missing variable or attribute renders as nothing, as in Django's templates, never the
    # debug text Django's backend would show with DEBUG on; a file's last newline is kept, as
    # Django keeps it.
    options.update(undefined=ChainableUndefined, keep_trailing_newline=True)
    options.pop("autoescape", None)  # on, always: never one of Django's OPTIONS to turn off
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, translation.ngettext, newstyle=True)
    env.globals["_"] = translate  # Django's {% translate %}, in fewer calls than the extension
    env.globals.update(GLOBALS)
    env.filters.update(FILTERS)
    return env
