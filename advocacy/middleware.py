"""Response headers: the Content-Security-Policy and caching of anonymous pages."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Our strict policy everywhere; the admin's rich-text editor needs an inline import map."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
        return parts


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
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.cookies
            and not request.path_info.startswith("/admin/")
            and not getattr(request, "csrf_cookie_needs_update", False)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not (hasattr(request, "user") and request.user.is_authenticated)
        )
