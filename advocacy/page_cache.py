"""The page cache: anonymous public pages answered from ``CACHES["pages"]``, and compressed.

Pages are answered in front of Django (``PageCacheFrontDoor``, which ``advocacy.wsgi`` wraps
around Django's handler): a hit runs no handler, signal, middleware or view, and is answered
with the status, headers and bytes the whole stack made on the miss. Behind it, first in the
middleware, ``PageCacheMiddleware`` stores what a miss made, and answers hits itself where
nothing is in front of Django (the test client, ASGI).
A page is stored only when ``PublicCacheMiddleware`` marked it public (anonymous, 200, no
cookie set, no CSRF token used, not the admin, not a preview), under its content version
(``core.cache_version``): any change staff make, and any scheduled moment, replaces it.
Requests with a session or messages cookie never read it; a csrftoken cookie alone does not
matter, since a page that used the token is never stored.
"""

import hashlib
import logging
import time
from http.client import responses

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_started
from django.http import HttpResponse
from django.http.response import ResponseHeaders
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
SAFE = ("GET", "HEAD")
# What an entry holds is part of its key: (version, status, headers, bytes); a deploy that changes
# it reads none of the entries written before.
KEY_PREFIX = "page:status-headers-bytes:"
# Where the front door leaves what it found for the middleware, in the WSGI environ (a client
# cannot set a name without the HTTP_ prefix): the key and the version, so that a miss reads
# them once and an outage costs one timeout, not two.
FRONT_DOOR_LOOKUP = "advocacy.page_cache.lookup"
# Requests the front door leaves to the middleware: their answer depends on a header.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


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
        if not self.may_be_cached(request):
            return self.get_response(request)
        encoding = self.encoding(request)
        key = self.key(request, encoding)
        version, entry = self._looked_up(request, key)
        if is_current(version, entry):
            return answer(request, stored_response(entry))
        response = self.get_response(request)
        if not is_public_page(request, response):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        if encoding:
            COMPRESSION.process_response(request, response)
        if version is not None:
            self._store(key, version, response)
        return response

    def may_be_cached(self, request) -> bool:
        if request.method not in SAFE:
            return False
        if request.path.startswith(self.skipped_prefixes):
            return False
        return not any(name in request.COOKIES for name in self.private_cookies)

    @staticmethod
    def encoding(request) -> str:
        """The encoding the page is sent in, decided as Django's GZipMiddleware decides it."""
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        return "gzip" if settings.PAGE_COMPRESSION and re_accepts_gzip.search(accepted) else ""

    @staticmethod
    def key(request, encoding: str) -> str:
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
        return KEY_PREFIX + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()

    def _looked_up(self, request, key: str) -> tuple[Version | None, tuple | None]:
        """What the front door found for this request (it did not answer: a miss), or a lookup."""
        found = request.META.get(FRONT_DOOR_LOOKUP)
        if found is not None and found[0] == key:
            return found[1], None
        return self.lookup(key)

    def lookup(self, key: str) -> tuple[Version | None, tuple | None]:
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
        entry = (version.value, response.status_code, tuple(response.items()), response.content)
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


class PageCacheFrontDoor:
    """A WSGI application that answers cached pages before Django's handler; else Django.

    It follows the middleware's rules (``may_be_cached``, ``key``, ``lookup``), so it answers
    exactly the requests the middleware would answer from the cache, with the same bytes,
    except conditional ones, which it leaves to the middleware.
    """

    def __init__(self, application):
        self.application = application
        self.pages = PageCacheMiddleware(application)  # its rules and lookup, never its __call__

    def __call__(self, environ, start_response):
        page = self._cached_page(environ)
        if page is None:
            return self.application(environ, start_response)
        status, headers, content = page
        start_response(status, headers)
        return [content]

    def _cached_page(self, environ) -> tuple[str, list, bytes] | None:
        """The status line, headers and bytes of the current cached page, or None."""
        if settings.PAGE_CACHE_SECONDS <= 0 or environ.get("REQUEST_METHOD") not in SAFE:
            return None
        if any(header in environ for header in CONDITIONAL_HEADERS):
            return None
        request = WSGIRequest(environ)
        if not self.pages.may_be_cached(request):
            return None
        # As Django's handler does first: a database connection past its age, or broken, is
        # closed before the lookup reads the version through it.
        request_started.send(sender=self.__class__, environ=environ)
        key = self.pages.key(request, self.pages.encoding(request))
        version, entry = self.pages.lookup(key)
        if not is_current(version, entry):
            environ[FRONT_DOOR_LOOKUP] = (key, version)
            return None
        _version, status, headers, content = entry
        status_line = f"{status} {responses.get(status, 'Unknown Status Code')}"
        return status_line, list(headers), b"" if environ["REQUEST_METHOD"] == "HEAD" else content


def is_current(version: Version | None, entry: tuple | None) -> bool:
    """Whether the entry was stored under the current version (neither missing)."""
    return entry is not None and version is not None and entry[0] == version.value


def stored_response(entry: tuple) -> HttpResponse:
    """The response an entry holds, as the stack made it."""
    _version, status, headers, content = entry
    response = HttpResponse(content, status=status)
    response.headers = ResponseHeaders(headers)
    return response


def is_public_page(request, response) -> bool:
    """Marked public by PublicCacheMiddleware, complete, and varying only as the key does."""
    if not getattr(request, "public_page", False) or response.streaming:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part}
    return vary <= UNDERSTOOD_VARY


def answer(request, response: HttpResponse) -> HttpResponse:
    """The stored page as the stack made it; a HEAD gets its headers only, Content-Length
    included."""
    if request.method == "HEAD":
        response.content = b""
    if request.META.get("HTTP_IF_NONE_MATCH") and response.has_header("ETag"):
        return get_conditional_response(request, etag=response["ETag"], response=response)
    return response
