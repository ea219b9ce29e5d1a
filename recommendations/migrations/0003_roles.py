"""The two staff roles, as groups with their permissions (superusers manage users).

- Scrutiny officers: assess replies and set implementation status, add notes, read everything.
- Editors: everything officers do, plus import documents and enter or correct responses,
  recommendations, deadlines, reports' response due dates and commitments.
"""

from django.db import migrations

OFFICER_PERMISSIONS = [
    ("responses", "assess_response"),
    ("recommendations", "add_note"),
    ("recommendations", "view_note"),
    ("recommendations", "view_recommendation"),
    ("recommendations", "view_report"),
    ("recommendations", "view_document"),
    ("responses", "view_response"),
    ("responses", "view_commitment"),
    ("responses", "view_submission"),
]
EDITOR_PERMISSIONS = OFFICER_PERMISSIONS + [
    ("recommendations", "import_documents"),
    ("recommendations", "add_document"),
    ("recommendations", "change_recommendation"),
    ("recommendations", "change_report"),
    ("responses", "add_response"),
    ("responses", "change_response"),
    ("responses", "add_commitment"),
    ("responses", "change_commitment"),
    ("responses", "add_commitmentrevision"),
]
ROLES = {"Scrutiny officers": OFFICER_PERMISSIONS, "Editors": EDITOR_PERMISSIONS}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename) for app_label, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0002_history_notes_pending_imports"),
        ("responses", "0003_history_and_commitment_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
