"""The publishing workflow's permissions (core.workflow): Editors publish what is not
sensitive, Campaign managers publish campaigns, Safeguarding reviewers approve (and so
publish) sensitive items. Writing and submitting stay with change_<model>."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

STORIES = ("story", "spokesperson", "prayerrequest")
TRAIL = {("core", "transition"): ("view_transition",)}  # everyone reads the audit trail

# Frozen here, as a migration must be; tests/staff/test_staff_accounts.py pins them.
GRANTS = {
    "Editors": {**TRAIL, **{("stories", model): (f"publish_{model}",) for model in STORIES}},
    "Campaign managers": {**TRAIL, ("campaigns", "campaign"): ("publish_campaign",)},
    "Safeguarding reviewers": {
        **TRAIL,
        **{("stories", model): (f"approve_sensitive_{model}",) for model in STORIES},
        # To read a campaign they approve.
        ("campaigns", "campaign"): ("view_campaign", "approve_sensitive_campaign"),
    },
}


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
        ("advocacy", "0005_safeguarding_models_moved"),
        ("stories", "0006_workflow"),
        ("campaigns", "0008_workflow"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
