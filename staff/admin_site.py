from functools import wraps

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminSite

from core.cache_version import content_version_bump
from staff.forms import StaffLoginForm


class StaffAdminSite(OTPAdminSite):
    """django-otp's admin site (only staff verified by a TOTP code get in), with our login
    form (throttled, one message for any wrong detail) and a development switch:
    ``STAFF_REQUIRE_TWO_FACTOR`` off lets staff in on their password alone, and says so."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def __init__(self, name="admin"):
        super().__init__(name)  # OTPAdminSite names itself "otpadmin"; URLs say "admin:"

    def admin_view(self, view, cacheable=False):
        return super().admin_view(replacing_cached_pages(view), cacheable)

    def has_permission(self, request):
        # A session logged in before two-factor was switched on must log in again.
        if settings.STAFF_REQUIRE_TWO_FACTOR:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def each_context(self, request):
        context = super().each_context(request)
        context["two_factor_required"] = settings.STAFF_REQUIRE_TWO_FACTOR
        return context


def replacing_cached_pages(view):
    """Every admin view: after a POST that saved something, no cached page is served again.

    The admin answers every completed write (a save, a delete, an action, a History revert or
    recover, a list edit) with a redirect, and a form with errors or a confirmation page with
    a 200, so a redirect after a POST is the one sign, for every model present and future,
    that public content may have changed. The bump happens before the admin answers.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code in (301, 302, 303):
            content_version_bump()
        return response

    return wrapper
