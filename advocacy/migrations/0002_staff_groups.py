"""Staff groups with least privilege. Only Campaign managers see supporters' letters."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

CRUD = ("add", "change", "delete", "view")

# Frozen here, as a migration must be; tests/staff/test_staff_accounts.py pins them.
GROUPS = {
    "Editors": {
        "stories": {
            "story": CRUD,
            "spokesperson": CRUD,
            "prayerrequest": CRUD,
            "prayerpoint": CRUD,
            "pullquote": CRUD,
            "country": CRUD,
            "watchlistentry": CRUD,
        },
    },
    "Campaign managers": {
        "campaigns": {
            # change_campaign also releases, retries and pauses sending.
            "campaign": (*CRUD, "export_letters"),
            "lettertemplate": CRUD,
            "parliamentaryaction": CRUD,
            # Supporters' letters: read and export only; the admin allows nothing more.
            "letter": ("view",),
            "parliament": ("view",),
            "area": ("view",),
            "representative": ("view",),
        },
        # To link a campaign to its stories, prayer and spokesperson.
        "stories": {
            "story": ("view",),
            "spokesperson": ("view",),
            "prayerrequest": ("view",),
        },
    },
    "Safeguarding reviewers": {
        # To read and approve anything that could identify a person at risk.
        "stories": {
            "story": ("view", "change"),
            "spokesperson": ("view", "change"),
            "prayerrequest": ("view", "change"),
            "prayerpoint": ("view", "change"),
            "pullquote": ("view", "change"),
            "country": ("view",),
        },
    },
}


def codenames(actions, model):
    return [action if "_" in action else f"{action}_{model}" for action in actions]


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate finishes; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, app_models in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, models in app_models.items():
            for model, actions in models.items():
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename__in=codenames(actions, model),
                    )
                )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0001_withheld_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("campaigns", "0006_sent_for_you_once_per_member"),
        ("stories", "0004_spokesperson_photo_caption"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
