"""The page cache: anonymous public pages answered from ``CACHES["pages"]``, and compressed.

It sits first in the middleware, so a hit runs nothing below it (no session, no CSRF, no view)
and is answered with the response the whole stack made on the miss, every header included.
A page is stored only when ``PublicCacheMiddleware`` marked it public (anonymous, 200, no
cookie set, no CSRF token used, not the admin, not a preview), under its content version
(``core.cache_version``): any change staff make, and any scheduled moment, replaces it.
Requests with a session or messages cookie never read it; a csrftoken cookie alone does not
matter, since a page that used the token is never stored.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_vary_headers

from core.cache_version import PAGES, Version, current_version_and

logger = logging.getLogger(__name__)

# Django's own gzip, with its BREACH padding, run only on pages stored public; the key's
# encoding is decided by the same expression it uses.
COMPRESSION = GZipMiddleware(lambda request: None)
# Vary headers a stored page may carry: the key covers the encoding, and requests that carry
# the cookies public pages depend on (session, messages) never read the cache.
UNDERSTOOD_VARY = {"cookie", "accept-encoding"}
# After the cache fails to answer (Redis down), pages are made without it for this long, so
# an outage costs one socket timeout, not one a request.
STEP_ASIDE_SECONDS = 10


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped_prefixes = tuple(
            prefix
            for prefix in ("/admin/", settings.STATIC_URL, settings.MEDIA_URL)
            if prefix and prefix.startswith("/")
        )
        self.private_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        self.failed_at = None

    def __call__(self, request):
        if not self._may_be_cached(request):
            return self.get_response(request)
        encoding = "gzip" if self._accepts_gzip(request) else ""
        key = self._key(request, encoding)
        version, entry = self._lookup(key)
        if entry is not None and entry[0] == version.value:
            return answer(request, entry[1])
        response = self.get_response(request)
        if not is_public_page(request, response):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        if encoding:
            COMPRESSION.process_response(request, response)
        if version is not None:
            self._store(key, version, response)
        return response

    def _may_be_cached(self, request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(self.skipped_prefixes):
            return False
        return not any(name in request.COOKIES for name in self.private_cookies)

    def _accepts_gzip(self, request) -> bool:
        return settings.PAGE_COMPRESSION and bool(
            re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        )

    @staticmethod
    def _key(request, encoding: str) -> str:
        """One key for GET and HEAD: scheme, host, path and query, and the encoding sent."""
        meta = request.META
        address = "|".join(
            (
                request.scheme,
                meta.get("HTTP_HOST", ""),
                request.path,
                meta.get("QUERY_STRING", ""),
                encoding,
            )
        )
        return "page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()

    def _lookup(self, key: str) -> tuple[Version | None, tuple | None]:
        """The current version and the entry under key; (None, None) to make the page fresh."""
        if settings.PAGE_CACHE_SECONDS <= 0 or self._stepping_aside():
            return None, None
        try:
            return current_version_and(key)
        except Exception:  # noqa: BLE001 - any backend failure: redis, sockets, database
            self._failed("read")
            return None, None

    def _store(self, key: str, version: Version, response) -> None:
        timeout = settings.PAGE_CACHE_SECONDS
        if version.next_change is not None:  # gone by the next scheduled moment, to the second
            timeout = max(1, min(timeout, int(version.next_change - time.time())))
        # The response itself: unpickling it restores its headers without checking each again,
        # which is most of what a hit costs after the lookup.
        entry = (version.value, response)
        try:
            caches[PAGES].set(key, entry, timeout=timeout)
        except Exception:  # noqa: BLE001 - any backend failure: redis, sockets
            self._failed("write")

    def _stepping_aside(self) -> bool:
        if self.failed_at is None:
            return False
        if time.monotonic() - self.failed_at < STEP_ASIDE_SECONDS:
            return True
        self.failed_at = None
        return False

    def _failed(self, what: str) -> None:
        self.failed_at = time.monotonic()
        logger.warning("The page cache could not %s: pages are made fresh for a while", what)


def is_public_page(request, response) -> bool:
    """Marked public by PublicCacheMiddleware, complete, and varying only as the key does."""
    if not getattr(request, "public_page", False) or response.streaming:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part}
    return vary <= UNDERSTOOD_VARY


def answer(request, response: HttpResponse) -> HttpResponse:
    """The stored page (a copy: the cache unpickles it), as the stack made it; a HEAD gets its
    headers only, Content-Length included."""
    if request.method == "HEAD":
        response.content = b""
    if request.META.get("HTTP_IF_NONE_MATCH") and response.has_header("ETag"):
        return get_conditional_response(request, etag=response["ETag"], response=response)
    return response
