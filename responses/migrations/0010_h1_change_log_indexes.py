# Indexes for the change log (/changes/, its feed, the digest's "what changed"): its replies and
# overdue flags newest first, read a page at a time instead of sorting every row.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0009_digest_reports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="response",
            index=models.Index(fields=["-date_received", "-id"], name="response_received_newest"),
        ),
        migrations.AddIndex(
            model_name="overdueflag",
            index=models.Index(fields=["-raised_on", "-id"], name="overdueflag_raised_newest"),
        ),
    ]
