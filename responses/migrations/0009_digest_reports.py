from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_organisation_aliases"),
        ("responses", "0008_response_stated_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="digestsubscription",
            name="reports",
            field=models.ManyToManyField(
                blank=True,
                help_text="Only items of these reports; none chosen means every report.",
                related_name="digest_subscriptions",
                to="recommendations.report",
            ),
        ),
    ]
