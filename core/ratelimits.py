"""Counters in the shared cache, for every limit the site keeps.

Staff login throttling, the caps on public POSTs and the holds on letters sent for supporters
all count the same way: a window that starts at the first hit and a key that is a keyed hash,
so the cache (Redis in production, shared by every app server) never holds an IP or an email
address.

When the shared cache fails (Redis down, or accepting and never answering: its socket
timeouts are short, see settings), the counters fall back to this process's memory, with one
warning, and the shared cache is left alone for ``FALLBACK_SECONDS`` before it is tried
again, so an outage costs each request nothing. Public limits then hold per process instead of
across them (they fail open, not to a 500), and staff login throttling still refuses an
address that keeps failing in this process (it fails closed for that address only).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

FALLBACK_SECONDS = 30
_fallback = LocMemCache("ratelimits-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_shared_failed_at = None  # monotonic time of the last failure of the shared cache


def client_ip(request) -> str:
    """The client's address; behind ``TRUSTED_PROXY_COUNT`` proxies, from X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        # Each trusted proxy appends the address it saw; anything further left is forgeable.
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hashed_key(scope: str, *parts: str) -> str:
    """A cache key for ``parts`` in ``scope`` that reveals neither without the secret key."""
    # The salt keeps the module's old name, so counters in the cache survive the move.
    digest = salted_hmac("advocacy.ratelimits", "\0".join((scope, *parts))).hexdigest()[:32]
    return f"limit:{scope}:{digest}"


def _counting_cache():
    """The shared cache, unless it failed in the last FALLBACK_SECONDS: then this process's."""
    if _shared_failed_at is not None and time.monotonic() - _shared_failed_at < FALLBACK_SECONDS:
        return _fallback
    return shared_cache


def _shared_cache_failed(error: Exception) -> None:
    global _shared_failed_at  # one flag per process, by design
    if _counting_cache() is shared_cache:
        logger.warning(
            "The shared cache failed (%s): rate limits count in this process for %d s",
            type(error).__name__,
            FALLBACK_SECONDS,
        )
    _shared_failed_at = time.monotonic()


def _call(operation, *args, **kwargs):
    """One cache operation, on the shared cache or, if that fails, on the fallback."""
    counting = _counting_cache()
    try:
        return getattr(counting, operation)(*args, **kwargs)
    except ValueError:
        raise  # incr() of a missing key: not a failure of the cache
    except Exception as error:  # noqa: BLE001 - any backend failure: redis, sockets, pickling
        if counting is _fallback:
            raise
        _shared_cache_failed(error)
        return getattr(_fallback, operation)(*args, **kwargs)


def cache_get(key: str, default=None):
    return _call("get", key, default)


def cache_set(key: str, value, seconds: int) -> None:
    _call("set", key, value, timeout=seconds)


def cache_delete(key: str) -> None:
    _call("delete", key)


def count_in_window(key: str, seconds: int) -> int:
    """Count one more hit on ``key``; the window starts at its first hit. Returns the count."""
    _call("add", key, 0, timeout=seconds)
    try:
        return _call("incr", key)
    except ValueError:  # the window ended between add() and incr(), or the cache changed
        cache_set(key, 1, seconds)
        return 1
