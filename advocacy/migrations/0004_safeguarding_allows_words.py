"""Safeguarding reviewers allow words that hold a withheld name by chance, and may take a
country down or put it back (its status), as they can stories."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GRANTS = {
    ("advocacy", "allowedword"): ("view_allowedword", "add_allowedword", "delete_allowedword"),
    ("stories", "country"): ("change_country",),
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Safeguarding reviewers")
    for (app_label, model), codenames in GRANTS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames,
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Safeguarding reviewers"):
        for (app_label, model), codenames in GRANTS.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=codenames,
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0003_canonical_names_and_allowed_words"),
        ("stories", "0005_country_status"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
