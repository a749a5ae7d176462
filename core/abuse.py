"""Quiet defences for public POSTs: a honeypot field and per-network limits in the cache.

No third-party CAPTCHA: a field people never see catches the bots that fill every field, and
a count per network in Django's cache (Redis in production, shared by every app server)
turns away floods. The cache keys are keyed hashes, so the cache never holds an IP address.
"""

from dataclasses import dataclass

from django.shortcuts import render

from core.ratelimits import client_ip, count_in_window, hashed_key

HONEYPOT_FIELD = "website"  # a name bots like to fill; people never see the field


@dataclass(frozen=True)
class RateLimit:
    scope: str  # one counter per scope and network
    most: int  # POSTs allowed in the window; the next one is refused
    seconds: int


# A prayer meeting on one church Wi-Fi can press "I prayed" many times; a script, far more.
PRAYED_LIMIT = RateLimit("prayed", most=30, seconds=10 * 60)
# Writing a letter takes minutes, and a form with mistakes is posted again: 20 POSTs a minute
# from one network is a flood, not a person. (Letters we send are also held for staff past
# their own limits: campaigns.delivery.limits.)
LETTER_POST_LIMIT = RateLimit("letter-post", most=20, seconds=60)


def honeypot_filled(request) -> bool:
    """True when the field hidden from people came back with something in it."""
    return bool(request.POST.get(HONEYPOT_FIELD, ""))


def over_limit(request, limit: RateLimit) -> bool:
    """Count this POST against its network; True once the network has passed the limit."""
    key = hashed_key(f"abuse-{limit.scope}", client_ip(request))
    return count_in_window(key, limit.seconds) > limit.most


def too_many_requests(request, limit: RateLimit, *, back_url: str):
    """A polite 429 page: nothing was kept, try again in a few minutes."""
    context = {"back_url": back_url, "minutes": max(1, limit.seconds // 60)}
    response = render(request, "core/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(limit.seconds)  # at most this long: the window's length
    return response
