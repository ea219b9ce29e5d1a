from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0007_pendingimport_parsed"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingimport",
            name="review",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
