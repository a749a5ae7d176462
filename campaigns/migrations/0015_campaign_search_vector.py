"""Full-text search on campaigns, on PostgreSQL only: a stored, generated tsvector of the
public fields campaigns registers with core.search (campaigns/search.py) and its GIN index,
as stories' 0008_search_vectors (the code is copied: a migration must not change later)."""

from django.db import migrations

# table: (title column, other public text columns)
SEARCHED = {"campaigns_campaign": ("title", ["summary", "ask", "why_it_matters"])}


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
    dependencies = [("campaigns", "0014_campaign_managers_fulfil_booklets")]

    operations = [migrations.RunPython(add_vectors, drop_vectors, elidable=False)]
