"""A member's support for a parliamentary action gains its kind and date (ActionSupport).

The table the plain many-to-many made is kept, with its rows and its unique pair: the model
takes it over in the migration state only, then two columns are added (existing rows: signed,
no date).
"""

import django.db.models.deletion
from django.db import migrations, models

KINDS = [
    ("signed", "Signed it (early day motion or motion)"),
    ("backed", "Backed it (voted for or supported the motion)"),
    ("spoke", "Spoke for it in the debate"),
    ("asked", "Asked or supported the question"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0018_pacing_slots_office_hours_time_zone"),
        ("campaigns", "0016_letter_reply_and_source"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ActionSupport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "action",
                            models.ForeignKey(
                                db_column="parliamentaryaction_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supports",
                                to="campaigns.parliamentaryaction",
                            ),
                        ),
                        (
                            "representative",
                            models.ForeignKey(
                                help_text="The member. Search by name or constituency.",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supports",
                                to="campaigns.representative",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "member's support",
                        "verbose_name_plural": "members' support",
                        "db_table": "campaigns_parliamentaryaction_supporters",
                        "ordering": ["action", "id"],
                        "unique_together": {("action", "representative")},
                    },
                ),
                migrations.AlterField(
                    model_name="parliamentaryaction",
                    name="supporters",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Members who have signed or spoken for it. They are sent the "
                        "thank-you letter instead of the ask.",
                        related_name="supported_actions",
                        through="campaigns.ActionSupport",
                        to="campaigns.representative",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="actionsupport",
            name="kind",
            field=models.CharField(
                choices=KINDS, default="signed", help_text="How they supported it.", max_length=20
            ),
        ),
        migrations.AddField(
            model_name="actionsupport",
            name="date",
            field=models.DateField(
                blank=True,
                help_text="When they signed, backed or spoke. The results page counts a member "
                "as having supported it after being written to only when this is after the "
                "first letter; blank if unknown.",
                null=True,
            ),
        ),
        migrations.AlterModelOptions(
            name="actionsupport",
            options={
                "ordering": ["action", "date", "id"],
                "verbose_name": "member's support",
                "verbose_name_plural": "members' support",
            },
        ),
    ]
