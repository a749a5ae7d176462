from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminSite

from staff.forms import StaffLoginForm


class StaffAdminSite(OTPAdminSite):
    """django-otp's admin site (only staff verified by a TOTP code get in), with our login
    form (throttled, one message for any wrong detail) and a development switch:
    ``STAFF_REQUIRE_TWO_FACTOR`` off lets staff in on their password alone, and says so."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def __init__(self, name="admin"):
        super().__init__(name)  # OTPAdminSite names itself "otpadmin"; URLs say "admin:"

    def has_permission(self, request):
        # A session logged in before two-factor was switched on must log in again.
        if settings.STAFF_REQUIRE_TWO_FACTOR:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def each_context(self, request):
        context = super().each_context(request)
        context["two_factor_required"] = settings.STAFF_REQUIRE_TWO_FACTOR
        return context
