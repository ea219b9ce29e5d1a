"""Editors draft chasers and judge links between items; pg_trgm for trigram similarity on
PostgreSQL (measured in bench/SIMILARITY.md; a no-op on SQLite)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

EDITOR_PERMISSIONS = ["send_chaser", "add_chaser", "change_chaser", "delete_chaser", "add_similaritylink", "change_similaritylink", "delete_similaritylink"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("followup")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="followup", codename__in=EDITOR_PERMISSIONS))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="followup"))


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("recommendations", "0003_roles"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(grant, revoke),
    ]
