from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """Staff accounts: the two-factor admin site, login throttling, sessions and groups."""

    default = True
    name = "staff"
    label = "staff"
    verbose_name = "Staff accounts"


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site (two-factor login) as the default ``admin.site``."""

    default = False
    default_site = "staff.admin_site.StaffAdminSite"
