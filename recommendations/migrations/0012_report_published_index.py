"""An index in the reports' own order (latest published first, then title).

The list's report choices (the latest ``REPORT_SELECT_LIMIT`` reports) read the first rows of this
index instead of sorting every report, and the year choices jump from one publication year to the
next through it (``ReportQuerySet.publication_years``). Database-only, like 0004: the model does not
declare it, so ``makemigrations`` sees no change.
"""

from django.db import migrations

NAME = "report_published_idx"


def create(apps, schema_editor):
    quote = schema_editor.quote_name
    schema_editor.execute(f"CREATE INDEX {quote(NAME)} ON {quote('recommendations_report')} (published DESC, title)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0011_dashboard_figures")]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunPython(create, drop)]),
    ]
