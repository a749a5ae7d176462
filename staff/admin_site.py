from django.conf import settings
from django.contrib import admin

from staff.forms import StaffLoginForm


class StaffAdminSite(admin.AdminSite):
    """The admin: with ``STAFF_REQUIRE_TWO_FACTOR``, only staff verified by a TOTP code get in."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        # A session logged in before two-factor was switched on must log in again.
        return not settings.STAFF_REQUIRE_TWO_FACTOR or request.user.is_verified()

    def each_context(self, request):
        context = super().each_context(request)
        context["two_factor_required"] = settings.STAFF_REQUIRE_TWO_FACTOR
        return context
