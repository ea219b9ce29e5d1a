"""Full-text indexes for the search page (``/search/``): replies by their text, commitments by
their text and due words, consultation asks by their text and section. PostgreSQL only and
database-only, like 0004: the model does not declare them, and other databases search with LIKE.

Each index is on the very expression ``pages.search.search_fields`` writes
(``SearchVector(*fields, config="english")``), so the search reads the matching rows from the
index instead of working out every row's words (2.6 s for a word at 250,000 recommendations)."""

from django.db import migrations

# (model, index name, fields): the fields in the order pages.search.search_results passes them.
INDEXES = [
    ("Response", "response_text_search_idx", ("text",)),
    ("Commitment", "commitment_text_search_idx", ("text", "due_text")),
    ("Ask", "ask_text_search_idx", ("text", "section")),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for model_name, name, fields in INDEXES:
        model = apps.get_model("responses", model_name)
        schema_editor.execute(GinIndex(SearchVector(*fields, config="english"), name=name).create_sql(model, schema_editor))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model, name, _fields in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("responses", "0011_h2_commitment_list_order")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
