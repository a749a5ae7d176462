"""Response headers: the Content-Security-Policy and caching of anonymous pages."""

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.DOTALL)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Our strict policy everywhere, with two allowances for the admin only.

    The admin's rich-text editor loads through an inline import map, allowed by its hash (never
    'unsafe-inline' for scripts); the admin's own templates use inline style attributes.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {
                "script-src": import_map_hashes(response),
                "style-src": ["'unsafe-inline'"],
            }
        return parts


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
            and not (hasattr(request, "user") and request.user.is_authenticated)
        )
