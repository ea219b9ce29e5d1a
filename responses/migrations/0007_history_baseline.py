"""Every existing report, recommendation, reply and commitment gets a "created" history record if
it has none (seeded with ``loaddata``, or bulk-inserted), so its first change can be reverted; and
editors may delete (and so undo the creation of) replies and commitments."""

from django.db import migrations

from responses.services.baseline import history_baseline_create

EDITOR_DELETE = [("responses", "delete_response"), ("responses", "delete_commitment")]


def baseline(apps, schema_editor):
    history_baseline_create(apps, reason="History begins: the record as it was")


def editors_may_delete(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    for app_label, codename in EDITOR_DELETE:
        editors.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def editors_may_not_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="responses", codename__in=[c for _, c in EDITOR_DELETE])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0006_contact_details_removed"),
        ("recommendations", "0009_report_published_source"),
        ("recommendations", "0003_roles"),
    ]

    operations = [
        migrations.RunPython(baseline, migrations.RunPython.noop),
        migrations.RunPython(editors_may_delete, editors_may_not_delete),
    ]
