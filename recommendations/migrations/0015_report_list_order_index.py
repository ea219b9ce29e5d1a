"""An index in the order reports are listed (latest published first, undated last, then title and
id): the dashboard's 40 most recent reports and each page of /reports/ are read from its first
rows. ``report_published_idx`` (0012) puts undated reports first, as the filter choices want, so
this order had to sort every report (13 ms of the dashboard at 16,640 reports). Database-only,
like 0012: the model does not declare it, so ``makemigrations`` sees no change. PostgreSQL only:
SQLite takes no NULLS LAST in an index (and the embedded default's few reports sort in no time).
"""

from django.db import migrations

NAME = "report_list_order_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(NAME)} ON {quote('recommendations_report')} (published DESC NULLS LAST, title, id)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0014_search_word_counts")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
