"""Full-text search columns on PostgreSQL: a stored, generated tsvector and its GIN index.

The database computes each row's ``search_vector`` from its public fields on every save, so
the index is never out of date. Only on PostgreSQL (other databases have no tsvector; the
search there reads the fields themselves, core.search._contains), and outside the model state,
so ``makemigrations`` sees nothing to do on any database. The fields are those stories
registers with core.search (stories/search.py); the title weighs most.
"""

from django.db import migrations

# table: (title column, other public text columns)
SEARCHED = {
    "stories_story": ("title", ["standfirst", "body"]),
    "stories_prayerrequest": ("title", ["introduction"]),
    "stories_country": ("name", ["summary"]),
    "stories_spokesperson": ("name", ["role", "biography"]),
}


def vector_sql(title, others):
    """setweight(title, A) || setweight(the rest, B); HTML tags stripped from the text."""
    rest = " || ' ' || ".join(
        f"regexp_replace(coalesce({column}, ''), '<[^>]*>', ' ', 'g')" for column in others
    )
    return (
        f"setweight(to_tsvector('english'::regconfig, coalesce({title}, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, {rest}), 'B')"
    )


def add_vectors(apps, schema_editor, searched=SEARCHED):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (title, others) in searched.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({vector_sql(title, others)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)"
        )


def drop_vectors(apps, schema_editor, searched=SEARCHED):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in searched:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("stories", "0007_pending_change")]

    operations = [migrations.RunPython(add_vectors, drop_vectors, elidable=False)]
