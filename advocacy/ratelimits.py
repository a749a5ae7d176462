"""Counters in the shared cache, for every limit the site keeps.

Staff login throttling, the caps on public POSTs and the holds on letters sent for supporters
all count the same way: a window that starts at the first hit and a key that is a keyed hash,
so the cache (Redis in production, shared by every app server) never holds an IP or an email
address.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


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
    digest = salted_hmac("advocacy.ratelimits", "\0".join((scope, *parts))).hexdigest()[:32]
    return f"limit:{scope}:{digest}"


def count_in_window(key: str, seconds: int) -> int:
    """Count one more hit on ``key``; the window starts at its first hit. Returns the count."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=seconds)
        return 1
