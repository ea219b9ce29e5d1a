"""Contact details removed from what was imported before the importer removed them itself
(importer/parsing/privacy.py): consultation documents' full text, their submissions and
asks, and every document's uploaded file name. Reversing leaves them removed: they are gone."""

from django.db import migrations, models

CONSULTATION_KINDS = ["consultation_submission", "consultation_compilation"]


def _remove(model, queryset, fields):
    from importer.parsing.privacy import redact_contact_details

    for row in queryset.values("pk", *fields).iterator():
        changed = {name: redact_contact_details(row[name]) for name in fields}
        changed = {name: value for name, value in changed.items() if value != row[name]}
        if changed:
            model.objects.filter(pk=row["pk"]).update(**changed)


def _remove_contact_details(apps, schema_editor):
    Document = apps.get_model("recommendations", "Document")
    Submission = apps.get_model("responses", "Submission")
    Ask = apps.get_model("responses", "Ask")
    _remove(Document, Document.objects.filter(kind__in=CONSULTATION_KINDS), ["text", "title"])
    _remove(Document, Document.objects.all(), ["source_file"])
    _remove(Submission, Submission.objects.all(), ["respondent", "label", "subject", "text"])
    _remove(Ask, Ask.objects.all(), ["text", "section"])


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0006_overdue_count_index"),
        ("responses", "0005_commitment_recommendation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="submission",
            name="text",
            field=models.TextField(
                help_text="As received, without contact details (removed at import: see importer/parsing/privacy.py)."
            ),
        ),
        migrations.RunPython(_remove_contact_details, migrations.RunPython.noop),
    ]
