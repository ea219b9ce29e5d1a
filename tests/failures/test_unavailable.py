"""Every management command of ours, with the database unreachable or lost mid-run: one clear line
on standard error, exit status 1, no traceback, and nothing written."""

from __future__ import annotations

import socket
import threading

import pytest
from django.db import connection

from recommendations.models import Document

from .conftest import ROOT, database_url, run_command

LETTER = ROOT / "fixtures" / "sources" / "manifest.json"  # any readable file: the database fails first


def _closed_port() -> int:
    """A loopback port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _assert_one_clear_line(result, expected: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"CommandError: {expected}"), lines[0]
    return lines[0]


COMMANDS = [
    ("import_sources", "--commit"),
    ("import_document", str(LETTER), "--commit"),
    ("flag_overdue", "--commit"),
    ("send_digest", "--commit"),
    ("export", "recommendations"),
    ("ensure_admin",),
    ("load_seed_data",),
    ("generate_synthetic", "--recommendations", "10", "--commit"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_command_against_a_database_that_refuses_connections_says_so_in_one_line(command):
    url = f"postgres://postgres@127.0.0.1:{_closed_port()}/tracker"
    result = run_command(*command, DATABASE_URL=url)
    line = _assert_one_clear_line(result, "the database is unavailable (")
    assert "Connection refused" in line
    if command[0] == "send_digest":
        assert line.endswith("Digests already sent are recorded as sent; run it again to send the rest.")
    elif command[0] != "export":
        assert line.endswith("Nothing was written.")


def test_write_fixtures_with_a_database_file_that_cannot_be_opened_writes_no_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'tracker.sqlite3'}"
    result = run_command("write_fixtures", "--folder", str(tmp_path), DATABASE_URL=url)
    line = _assert_one_clear_line(result, "the database is unavailable (unable to open database file)")
    assert line.endswith("Nothing was written.")
    assert list(tmp_path.glob("*.json")) == []


# --- The database lost mid-import ----------------------------------------------------------------


class CuttingProxy:
    """A TCP relay to PostgreSQL that cuts every connection once the client has sent ``limit``
    bytes: the server going away in the middle of an import."""

    def __init__(self, target: tuple[str, int], limit: int) -> None:
        self.target, self.limit = target, limit
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            sent = [0]
            threading.Thread(target=self._pump, args=(client, server, sent), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, None), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, sent: list | None) -> None:
        try:
            while data := source.recv(65536):
                if sent is not None:
                    sent[0] += len(data)
                    if sent[0] > self.limit:
                        self.cut.set()
                        break
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self.listener.close()


def _lose_the_database_mid_import_postgresql() -> tuple:
    db = connection.settings_dict
    proxy = CuttingProxy((db["HOST"] or "localhost", int(db["PORT"] or 5432)), limit=300_000)
    try:
        url = database_url().replace(f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/", f"@127.0.0.1:{proxy.port}/")
        result = run_command("import_sources", "--commit", DATABASE_URL=url)
    finally:
        proxy.close()
    assert proxy.cut.is_set()
    return result, "the database is unavailable (server closed the connection unexpectedly)"


def _lose_the_database_mid_import_sqlite() -> tuple:
    # Another process holds SQLite's write lock for longer than the import will wait for it.
    import sqlite3

    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run_command("import_sources", "--commit", DATABASE_URL=database_url())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return result, "the database is busy (database is locked: another process is writing; try again)."


@pytest.mark.django_db(transaction=True)
def test_an_import_that_loses_the_database_part_way_says_so_in_one_line_and_writes_nothing():
    lose = {"postgresql": _lose_the_database_mid_import_postgresql, "sqlite": _lose_the_database_mid_import_sqlite}
    result, expected = lose[connection.vendor]()
    line = _assert_one_clear_line(result, expected)
    assert line.endswith("Nothing was written.")
    assert not Document.objects.exists()


# --- The broker down when the weekly digest queues its deliveries --------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_weekly_digest_task_with_the_broker_down_says_so_in_one_line_and_keeps_the_deliveries(django_user_model):
    from responses.models import DigestDelivery
    from responses.services import digest_subscription_update

    for name in ("ann", "bob"):
        user = django_user_model.objects.create_user(username=name, email=f"{name}@example.org", password="x" * 16)
        digest_subscription_update(user=user, subscribed=True)
    script = (
        "from responses.tasks import send_weekly_digest; "
        "print('queued', send_weekly_digest('2026-12-07'))"
    )
    result = run_command(
        "shell", "-c", script, DATABASE_URL=database_url(), CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0",
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("The Celery broker is unavailable (") and "2 of 2 digests were not queued" in errors[0]
    assert result.stdout.splitlines()[-1] == "queued 0"
    assert list(DigestDelivery.objects.values_list("status", flat=True)) == [DigestDelivery.Status.PENDING] * 2


def _empty_database_url(tmp_path) -> str:
    """A database that exists but was never migrated, on the engine the suite runs on."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"
    import psycopg2

    settings_dict = connection.settings_dict
    name = f"never_migrated_{tmp_path.name[-12:].lower()}".replace("-", "_")
    admin = psycopg2.connect(
        dbname="postgres", user=settings_dict["USER"], password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"] or "localhost", port=settings_dict["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return database_url().rsplit("/", 1)[0] + f"/{name}"


def test_a_command_against_a_database_never_migrated_says_run_migrate_in_one_line(tmp_path):
    result = run_command("import_document", str(LETTER), DATABASE_URL=_empty_database_url(tmp_path))
    line = _assert_one_clear_line(result, "the database is not set up (")
    assert line.endswith("run manage.py migrate. Nothing was written.")
