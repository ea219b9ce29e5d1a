# A held upload keeps the one reading of its document (text and parse) made at upload.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("recommendations", "0006_overdue_count_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingimport",
            name="parsed",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
