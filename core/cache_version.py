"""The content version: a value in the shared cache that changes whenever public content does.

Every publish, unpublish and take-down bumps it, so a page cache that puts the version in its
keys (none yet: another issue adds one) never serves a page from before the change: the old
entries are simply never asked for again. It lives in the shared cache (Redis in production),
never in a process's memory, so every app server sees the same version. Each bump is a fresh
random value rather than a count, so an evicted key can never come back as an old version.
"""

import logging
import secrets

from django.core.cache import cache

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "core:content-version"


def _fresh() -> str:
    return secrets.token_hex(8)


def content_version() -> str:
    """The current version; "" when the shared cache does not answer (then cache nothing)."""
    try:
        cache.add(CONTENT_VERSION_KEY, _fresh(), timeout=None)
        return cache.get(CONTENT_VERSION_KEY) or ""
    except Exception:  # noqa: BLE001 - any backend failure: redis, sockets
        logger.warning("The content version could not be read from the shared cache")
        return ""


def content_version_bump() -> None:
    """Make every page cached under the current version stale; never fails the caller.

    A take-down must succeed even when Redis is down: the failure is logged instead.
    """
    try:
        cache.set(CONTENT_VERSION_KEY, _fresh(), timeout=None)
    except Exception:  # noqa: BLE001 - any backend failure: redis, sockets
        logger.error("The content version could not be bumped: cached pages may be stale")
