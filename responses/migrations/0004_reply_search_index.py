"""PostgreSQL's full-text index over replies, for the recommendation list's search (which also
finds a recommendation by its reply's words). Database-only and PostgreSQL-only: the model does
not declare it, and other databases search with LIKE instead."""

from django.db import migrations

NAME = "response_search_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # Must stay the same expression as pages.filters.reply_search_vector().
    vector = SearchVector("text", config="english")
    model = apps.get_model("responses", "Response")
    schema_editor.execute(GinIndex(vector, name=NAME).create_sql(model, schema_editor))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [("responses", "0003_history_and_commitment_revisions")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
