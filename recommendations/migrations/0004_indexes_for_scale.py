"""Indexes the list, its filters and its search need at hundreds of thousands of rows.

Database-only (``SeparateDatabaseAndState`` with no state change): the models do not declare these
indexes, so nothing here changes what ``makemigrations`` sees. The full-text index is PostgreSQL's
GIN over exactly the expression ``pages.filters.search_vector()`` builds; other databases
get only the plain indexes.
"""

from django.db import migrations

PLAIN = [
    # The list's default order is report title then number: with this index PostgreSQL walks
    # reports in title order and stops after a page instead of sorting every recommendation.
    ("recommendations_report", "report_title_idx", "title, id"),
    # The chapter filter's choices: a skip scan over this index finds the distinct chapters.
    ("recommendations_recommendation", "recommendation_chapter_idx", "chapter"),
]
SEARCH_INDEX = "recommendation_search_idx"


def create(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, name, columns in PLAIN:
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({columns})")
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex
        from django.contrib.postgres.search import SearchVector

        # Must stay the same expression as pages.filters.search_vector().
        vector = SearchVector("text", "short_text", "chapter", config="english")
        model = apps.get_model("recommendations", "Recommendation")
        schema_editor.execute(GinIndex(vector, name=SEARCH_INDEX).create_sql(model, schema_editor))


def drop(apps, schema_editor):
    names = [name for _table, name, _columns in PLAIN]
    if schema_editor.connection.vendor == "postgresql":
        names.append(SEARCH_INDEX)
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_roles")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
