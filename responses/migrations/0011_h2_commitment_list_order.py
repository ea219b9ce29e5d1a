"""An index in /commitments/' own order (due date with empty dates last, document, position, id):
a page's ids are read from the index alone instead of sorting every commitment with its columns
(43,804 at 250,000 recommendations; a deep page took seconds)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("responses", "0010_h1_change_log_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["due_date", "document", "position", "id"], name="commitment_list_order"),
        ),
    ]
