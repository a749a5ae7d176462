from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """Listed before the admin, so its admin/base_site.html can add the two-factor banner."""

    default = True
    name = "advocacy.staff"
    label = "staff"
    verbose_name = "Staff accounts"


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site (two-factor login) as the default ``admin.site``."""

    default = False
    default_site = "advocacy.staff.admin_site.StaffAdminSite"
