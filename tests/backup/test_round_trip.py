"""A backup restored into an empty database gives back every table, row for row: users, groups and
permissions, sessions, django-axes' records, the history, notes, revisions, flags, subscriptions,
deliveries, pending uploads, and on PostgreSQL the search document with its triggers."""

import datetime

from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

from recommendations.models import Note, Recommendation
from responses.services import note_add, response_record
from tests.backup.conftest import every_row, schema
from tracker.backup import manifest_read

LIST = "/recommendations/"


def test_every_table_comes_back_row_for_row(everything, empty_database, tmp_path, capsys):
    before, definitions = every_row(), schema()
    empty = sorted(table for table, rows in before.items() if not rows and table != "pg_sequences")
    assert empty == [], f"one of everything should fill every table; these are empty: {empty}"

    call_command("backup", str(tmp_path))
    [archive] = tmp_path.glob("tracker-*.tar.gz")
    with empty_database():
        assert connection.introspection.table_names() == []
        call_command("restore", str(archive), "--commit")
        after, restored_definitions = every_row(), schema()
    assert sorted(after) == sorted(before)  # every table, none left out and none added
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    assert restored_definitions == definitions
    assert "every table's row count matches the backup" in capsys.readouterr().out
    manifest = manifest_read(archive)  # what the backup says it holds, read before restoring
    assert manifest.engine == connection.vendor
    assert manifest.tables == {table: len(rows) for table, rows in before.items() if table not in ("sqlite_sequence", "pg_sequences")}
    assert "recommendations.0005_search_document" in manifest.migrations


def test_the_restored_site_keeps_working(everything, empty_database, tmp_path, client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the search is under test here, not the page cache
    call_command("backup", str(tmp_path / "site.tar.gz"))
    last_note = Note.objects.latest("pk").pk
    recommendation = Recommendation.objects.filter(responses=None).order_by("pk").first()
    with empty_database():
        call_command("restore", str(tmp_path / "site.tar.gz"), "--commit")
        # New rows get new ids (the sequences came back too) and a new reply is searchable at once
        # (on PostgreSQL: the search document's triggers came back).
        note = note_add(recommendation=recommendation, text="Written after the restore.", author=everything)
        response_record(
            recommendation=recommendation, text="MOPAC will commission a zebracrossing review.",
            date_received=datetime.date(2025, 1, 6), letter_title="A later letter", user=everything,
        )
        found = client.get(LIST, {"q": "zebracrossing"})
    assert note.pk > last_note
    assert found.status_code == 200
    assert [rec.pk for rec in found.context["object_list"]] == [recommendation.pk]


def test_a_backup_without_sessions_signs_everyone_out_and_keeps_the_rest(everything, empty_database, tmp_path):
    before = every_row()
    call_command("backup", str(tmp_path / "no-sessions.tar.gz"), "--without-sessions")
    with empty_database():
        call_command("restore", str(tmp_path / "no-sessions.tar.gz"), "--commit")
        after = every_row()
    assert before["django_session"] and after["django_session"] == []
    assert {t: r for t, r in after.items() if t != "django_session"} == {t: r for t, r in before.items() if t != "django_session"}


def test_nothing_is_kept_outside_the_database():
    """Uploads are rows (PendingImport), not files in MEDIA_ROOT, so the backup of the database is
    the backup of everything. A model with a file field would need its files backed up too."""
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert file_fields == [], "files in MEDIA_ROOT are not in the backup: add them to tracker/backup"
