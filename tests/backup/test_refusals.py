"""What a restore refuses, each with one line saying why, changing nothing: a backup from the other
engine, a database that already holds data (without --replace), a backup from a newer version,
a file that is not a backup; and the preview, which changes nothing."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from recommendations.models import Note
from responses.services import note_add
from tests.factories import RecommendationFactory
from tracker.backup import BackupError
from tracker.backup.engines import client_program

ROOT = Path(__file__).resolve().parents[2]
OTHER_ENGINE = {"sqlite": ("postgresql", "PostgreSQL", "SQLite"), "postgresql": ("sqlite", "SQLite", "PostgreSQL")}


@pytest.fixture
def noted(transactional_db, django_user_model):
    """A committed database with one note in it."""
    author = django_user_model.objects.create_user("olive", password="a-long-test-passphrase-41")
    return note_add(recommendation=RecommendationFactory(), text="Before the backup.", author=author)


@pytest.fixture
def backup(noted, tmp_path) -> Path:
    call_command("backup", str(tmp_path / "site.tar.gz"))
    return tmp_path / "site.tar.gz"


def rewritten(backup: Path, **changes) -> Path:
    """A copy of ``backup`` whose manifest says something else."""
    target = backup.with_name("changed.tar.gz")
    with tarfile.open(backup) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest.update({key: value(manifest[key]) if callable(value) else value for key, value in changes.items()})
                data = json.dumps(manifest).encode()
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


def refusal(*arguments) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", *map(str, arguments))
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_backup_from_the_other_engine_is_refused_in_one_line(backup, noted):
    other, other_label, this_label = OTHER_ENGINE[connection.vendor]
    message = refusal(rewritten(backup, engine=other), "--commit", "--replace")
    assert f"backup of a {other_label} database and this site uses {this_label}" in message
    assert list(Note.objects.values_list("text", flat=True)) == ["Before the backup."]


def test_the_command_line_says_so_in_one_line_and_fails(backup, tmp_path):
    other, other_label, this_label = OTHER_ENGINE[connection.vendor]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings.test", "TRACKER_VAR_DIR": str(tmp_path)}
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(rewritten(backup, engine=other)), "--commit"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )
    assert finished.returncode != 0
    lines = [line for line in finished.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and other_label in lines[0] and this_label in lines[0], finished.stderr


def test_a_database_holding_data_is_replaced_only_when_asked(backup, noted, capsys):
    note_add(recommendation=noted.recommendation, text="After the backup.", author=noted.author)
    assert "add --replace to replace all of it" in refusal(backup, "--commit")
    assert Note.objects.count() == 2

    call_command("restore", str(backup), "--replace")  # a preview
    output = capsys.readouterr().out
    assert "all of it will be replaced" in output and "Preview only: nothing was changed" in output
    assert Note.objects.count() == 2

    call_command("restore", str(backup), "--replace", "--commit")
    assert list(Note.objects.values_list("text", flat=True)) == ["Before the backup."]


def test_a_backup_from_a_newer_version_is_refused(backup, noted):
    newer = rewritten(backup, migrations=lambda applied: [*applied, "recommendations.9999_from_the_future"])
    message = refusal(newer, "--commit", "--replace")
    assert "newer version of the tracker" in message and "recommendations.9999_from_the_future" in message
    assert Note.objects.count() == 1


def test_a_backup_from_an_older_version_says_to_migrate(backup, capsys):
    older = rewritten(backup, migrations=lambda applied: [name for name in applied if name != "responses.0005_commitment_recommendation"])
    call_command("restore", str(older), "--replace")
    assert "1 migrations behind this code: run `manage.py migrate` after restoring" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("not a backup")
    assert "is not a tracker backup" in refusal(tmp_path / "notes.txt")
    assert "There is no backup at" in refusal(tmp_path / "missing.tar.gz")
    with tarfile.open(tmp_path / "other.tar.gz", "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("something.txt"), io.BytesIO(b""))
    assert "no readable manifest.json" in refusal(tmp_path / "other.tar.gz")


def test_a_backup_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup", str(tmp_path / "nowhere" / "site.tar.gz"))


def test_missing_postgresql_programs_are_named_in_one_line(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(BackupError) as missing:
        client_program("pg_dump", major=99)
    assert str(missing.value) == (
        "pg_dump was not found in /usr/lib/postgresql/99/bin or on PATH: install the PostgreSQL 99 client "
        "programs (Debian: apt-get install postgresql-client-99)."
    )
