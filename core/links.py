"""Addresses built from a name reversed once, not reverse() on every call.

A list page links each row (a story card, a country on the World Watch List), and reverse()
costs more than the rest of the row's rendering; these give the same address for a fraction.
"""

from collections.abc import Callable
from functools import lru_cache

from django.core.signals import setting_changed
from django.core.validators import slug_re
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

SLUG_PLACEHOLDER = "--slug--"  # a slug the <slug:> converter accepts, never one of ours


@lru_cache(maxsize=128)
def _reversed(name: str, urlconf, prefix: str, *args) -> str:
    """reverse() under this URLconf and script prefix: the key says everything it reads."""
    return reverse(name, urlconf=urlconf, args=args or None)


def fixed_url(name: str) -> str:
    """reverse(name) for an address without arguments."""
    return _reversed(name, get_urlconf(), get_script_prefix())


def fixed_urls() -> Callable[[str], str]:
    """fixed_url for the current request only (one render), its URLconf and script prefix
    read once: a page asks for a score of fixed addresses, and each read is a context-local
    lookup. Keep it no longer than the request: reverse() reads the prefix itself."""
    urlconf, prefix = get_urlconf(), get_script_prefix()
    return lambda name: _reversed(name, urlconf, prefix)


def slug_url(name: str, slug: str) -> str:
    """reverse(name, args=[slug]) for an address whose one argument is a slug."""
    if not slug_re.fullmatch(slug):  # reverse() decides what to do with a slug it refuses
        return reverse(name, args=[slug])
    pattern = _reversed(name, get_urlconf(), get_script_prefix(), SLUG_PLACEHOLDER)
    return pattern.replace(SLUG_PLACEHOLDER, slug, 1)


@lru_cache(maxsize=64)
def static_url(path: str) -> str:
    """static(path), once a process: the storage reads its manifest and base address when it is
    made, so a file's address stays the same until the settings change (about 90 calls each)."""
    return static(path)


@receiver(setting_changed)
def _forget_static_urls(**kwargs):
    static_url.cache_clear()  # STATIC_URL, STORAGES or DEBUG may change an address
