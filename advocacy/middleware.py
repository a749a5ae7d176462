"""Requests we cannot read, refused; response headers: the CSP and caching of anonymous pages."""

import base64
import hashlib
import re
from functools import cache
from urllib.parse import unquote_to_bytes

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

from core.views import signed_in

IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.DOTALL)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Our strict policy everywhere, with two allowances for the admin only.

    The admin's rich-text editor loads through an inline import map, allowed by its hash (never
    'unsafe-inline' for scripts); the admin's own templates use inline style attributes.
    """

    def process_response(self, request, response):
        """The site's policy as built once per process, where nothing changes it for this
        response; django-csp builds it afresh (copying the settings each time) otherwise."""
        if not uses_site_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = site_policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {
                "script-src": import_map_hashes(response),
                "style-src": ["'unsafe-inline'"],
            }
        return parts


CHANGES_TO_THE_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


def uses_site_policy(request, response) -> bool:
    """Whether the response takes the settings' policy unchanged: no nonce used, no change
    made by a view, not the admin, and no report-only policy or excluded paths to consider."""
    policy = settings.CONTENT_SECURITY_POLICY
    return (
        not settings.DEBUG
        and bool(policy)
        and not policy.get("EXCLUDE_URL_PREFIXES")
        and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        and getattr(request, "_csp_nonce", None) is None
        and not request.path_info.startswith("/admin/")
        and not any(getattr(response, name, None) for name in CHANGES_TO_THE_POLICY)
    )


@cache
def site_policy() -> str:
    """The header django-csp builds from the settings alone (about 0.1 ms a response)."""
    return build_policy()


@receiver(setting_changed)
def _forget_site_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        site_policy.cache_clear()


def import_map_hashes(response) -> list[str]:
    """CSP source expressions for each inline import map in an HTML response."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    digests = [hashlib.sha256(body).digest() for body in IMPORT_MAP.findall(response.content)]
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]


class PublicCacheMiddleware:
    """Mark anonymous, cookie-free GET pages as cacheable; everything else stays private."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if self._is_public(request, response):
            request.public_page = True  # the page cache and compression take only these
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            patch_vary_headers(response, ["Cookie"])
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def _is_public(request, response):
        # A page that used a CSRF token holds a form: never shared between visitors.
        uses_csrf_token = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.cookies
            and not uses_csrf_token
            and not request.path_info.startswith("/admin/")
            and not (hasattr(request, "user") and signed_in(request))
        )


class UnreadableInputMiddleware:
    """A 400 page for a request with NUL anywhere in its path, query or form, or with bytes
    that are not UTF-8 in its query or urlencoded body.

    Django reads such bytes as U+FFFD, and PostgreSQL refuses NUL in text with an error (a
    500 on any page that looks a value up); no browser sends either from a page of ours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not readable(request):
            return render(request, "advocacy/bad_request.html", status=400)
        return self.get_response(request)


def readable(request) -> bool:
    raw_query = request.META.get("QUERY_STRING", "").encode("iso-8859-1")
    if not is_text(raw_query) or "\x00" in request.path_info:
        return False
    if request.content_type == "application/x-www-form-urlencoded" and not is_text(request.body):
        return False
    return not any(has_nul(values) for values in (request.GET, request.POST))


def is_text(urlencoded: bytes) -> bool:
    """Whether a query string or urlencoded body decodes as UTF-8, once unquoted."""
    try:
        unquote_to_bytes(urlencoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists()
    )
