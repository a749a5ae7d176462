"""Campaign managers fulfil booklet orders (the queue, CSV and labels) and set the most copies
an order may ask for and the edition posted. Editors and Safeguarding reviewers see no orders."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

# Frozen here, as a migration must be; tests/staff/test_staff_accounts.py pins them.
GRANTS = {
    "Campaign managers": {
        ("campaigns", "bookletorder"): ("fulfil_bookletorder",),
        ("campaigns", "bookletsettings"): ("view_bookletsettings", "change_bookletsettings"),
    }
}


def _permissions(Permission, app_label, model, codenames):
    return Permission.objects.filter(
        content_type__app_label=app_label, content_type__model=model, codename__in=codenames
    )


def grant(apps, schema_editor):
    # Permissions are normally made after migrate finishes; the group needs them now.
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
        ("campaigns", "0013_booklet_orders"),
        ("advocacy", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
