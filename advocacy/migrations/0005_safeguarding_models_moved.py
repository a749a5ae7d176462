"""The withheld names and allowed words now belong to the safeguarding app (its 0001), which
keeps their tables: advocacy only forgets them, and changes nothing in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0004_safeguarding_allows_words"),
        ("safeguarding", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AllowedWord"),
                migrations.DeleteModel(name="WithheldName"),
            ],
            database_operations=[],
        ),
    ]
