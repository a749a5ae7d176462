"""Redirects (core.models.Redirect): Editors and Campaign managers add, change and remove the
old addresses that lead to their pages."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

CRUD = ("add_redirect", "change_redirect", "delete_redirect", "view_redirect")
REDIRECTS = {("core", "redirect"): CRUD}

# Frozen here, as a migration must be; tests/staff/test_staff_accounts.py pins them.
GRANTS = {"Editors": REDIRECTS, "Campaign managers": REDIRECTS}


def _permissions(Permission, app_label, model, codenames):
    return Permission.objects.filter(
        content_type__app_label=app_label, content_type__model=model, codename__in=codenames
    )


def grant(apps, schema_editor):
    # Permissions are normally made after migrate finishes; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):  # a group deleted stays deleted
        for (app_label, model), codenames in GRANTS[group.name].items():
            group.permissions.add(*_permissions(Permission, app_label, model, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        for (app_label, model), codenames in GRANTS[group.name].items():
            group.permissions.remove(*_permissions(Permission, app_label, model, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0006_workflow_permissions"),
        ("core", "0002_redirect"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
