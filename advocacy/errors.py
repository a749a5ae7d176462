"""The site's error pages: 400, 403, 404 and 500 in its layout, and the CSRF failure page.

None may be stored by a cache (the page cache keeps 200s only; ``no-store`` tells the rest),
and the 500 page is rendered without the request's context processors, so it needs no
database, no session and no user."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import requires_csrf_token


def _error_page(request, template, status):
    response = render(request, template, status=status)
    patch_cache_control(response, no_store=True)
    return response


@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: what happened to the form and what to do, in plain words."""
    return _error_page(request, "errors/csrf_failure.html", 403)


def server_error(request):
    """A plain context (no request, no context processors): nothing here may fail again."""
    html = loader.get_template("500.html").render(
        {"SITE_NAME": settings.SITE_NAME, "SITE_TAGLINE": settings.SITE_TAGLINE}
    )
    response = HttpResponseServerError(html)
    patch_cache_control(response, no_store=True)
    return response
