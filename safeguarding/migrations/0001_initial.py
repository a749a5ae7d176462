"""The withheld names and allowed words move here from the advocacy app, keeping their tables.

Nothing changes in the database but the two content types' app label, so the permissions
granted on them (Safeguarding reviewers may allow words) follow the models. advocacy 0005
then forgets the models on its side.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("withheldname", "allowedword")


def relabel_content_types(apps, schema_editor, old="advocacy", new="safeguarding"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        moving = ContentType.objects.filter(app_label=old, model=model).first()
        if moving is None:
            continue
        existing = ContentType.objects.filter(app_label=new, model=model).first()
        if existing is not None:  # made by an earlier migrate: keep the old grants on it
            for permission in Permission.objects.filter(content_type=moving):
                Permission.objects.filter(
                    content_type=existing, codename=permission.codename
                ).delete()
                permission.content_type = existing
                permission.save(update_fields=["content_type"])
            # Whatever else names the old one (the admin's history of the allowed words) follows
            # it too: deleting it would empty their content type, or cascade.
            for relation in ContentType._meta.related_objects:
                if relation.one_to_many and relation.related_model is not Permission:
                    relation.related_model._base_manager.filter(
                        **{relation.field.name: moving}
                    ).update(**{relation.field.name: existing})
            moving.delete()
        else:
            moving.app_label = new
            moving.save(update_fields=["app_label"])


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, old="safeguarding", new="advocacy")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("advocacy", "0004_safeguarding_allows_words"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AllowedWord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(help_text="HMAC-SHA256 of the word's canonical form, in hex.", max_length=64, unique=True)),
                        ("key_id", models.CharField(help_text="Tells which key made the digest, to detect a changed key.", max_length=16)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("allowed_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "advocacy_allowedword", "ordering": ["-created_at"]},
                ),
                migrations.CreateModel(
                    name="WithheldName",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(db_index=True, help_text="HMAC-SHA256 of the canonical form, in hex.", max_length=64)),
                        ("length", models.PositiveSmallIntegerField(help_text="How many letters the canonical form has; empty for names recorded before canonical forms, whose digest is of their words.", null=True)),
                        ("words", models.PositiveSmallIntegerField(help_text="How many words the name has.")),
                        ("key_id", models.CharField(help_text="Tells which key made the digest, to detect a changed key.", max_length=16)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                    ],
                    options={
                        "db_table": "advocacy_withheldname",
                        "constraints": [
                            models.UniqueConstraint(fields=("content_type", "object_id", "digest"), name="withheld_name_once_per_owner"),
                            models.CheckConstraint(condition=models.Q(("words__gte", 1)), name="withheld_name_has_words"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
