"""How each database engine copies itself out and back in: one class per engine, listed in ENGINES.

Both copy the whole database (every table, index, sequence, and on PostgreSQL the search
document's functions and triggers), not rows through Django's serialisers, so nothing Django's
models do not declare is lost.

- SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a consistent
  picture of the file while the site keeps running, and the same API in reverse to restore.
- PostgreSQL: ``pg_dump --format=custom`` inside a read-only snapshot (the row counts and
  migrations in the manifest are read from the same snapshot), and ``pg_restore --clean
  --if-exists --no-owner --no-privileges --single-transaction`` (all or nothing).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.request import pathname2url

from django.db import transaction


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line saying why."""


@dataclass(frozen=True)
class Contents:
    """What a copy of the database holds: rows per table and the migrations applied."""

    tables: dict[str, int]
    migrations: list[str]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_contents(cursor, tables: list[str]) -> Contents:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    return Contents(tables=counts, migrations=migrations)


def site_contents(connection) -> Contents:
    with connection.cursor() as cursor:
        return read_contents(cursor, connection.introspection.table_names(cursor))


class SqliteEngine:
    name = "sqlite"
    label = "SQLite"
    member = "database.sqlite3"

    def __init__(self, connection):
        self.connection = connection

    def describe(self) -> str:
        return f"SQLite database {self._path()}"

    def _path(self) -> Path:
        name = str(self.connection.settings_dict["NAME"] or "")
        if not name or name == ":memory:" or "mode=memory" in name:
            raise BackupError("The SQLite database is in memory: there is no file to back up or restore into.")
        return Path(name)

    def contents(self) -> Contents:
        """What the site's database holds now (nothing, on a new machine with no file yet)."""
        if not self._path().exists():
            return Contents(tables={}, migrations=[])
        return site_contents(self.connection)

    def dump(self, target: Path, *, without_sessions: bool) -> Contents:
        path = self._path()
        if not path.is_file():
            raise BackupError(f"There is no SQLite database at {path}.")
        try:
            return self._copy(path, target, without_sessions=without_sessions)
        except sqlite3.Error as error:
            raise BackupError(f"Could not back up {path}: {error}.") from error

    @staticmethod
    def _copy(path: Path, target: Path, *, without_sessions: bool) -> Contents:
        source = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(target)
        with closing(source), closing(copy):
            source.backup(copy)  # in one step: a consistent picture even while the site writes
            if without_sessions:
                copy.execute("DELETE FROM django_session")
                copy.commit()
                copy.execute("VACUUM")  # the deleted sessions' pages go too
            tables = [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            return read_contents(copy.cursor(), tables)

    def load(self, source: Path) -> None:
        path = self._path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection.close()
        backup = sqlite3.connect(f"file:{pathname2url(str(source))}?mode=ro", uri=True)
        database = sqlite3.connect(path, timeout=30)
        with closing(backup), closing(database):
            try:
                backup.backup(database)  # replaces every page of the database, in one step
            except sqlite3.Error as error:
                raise BackupError(f"Could not restore into {path}: {error}.") from error


def client_program(name: str, *, major: int) -> str:
    """The PostgreSQL client program ``name`` matching the server's major version (Debian keeps
    each version's in /usr/lib/postgresql/N/bin), else the one on PATH."""
    beside_server = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(beside_server) if os.access(beside_server, os.X_OK) else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found in /usr/lib/postgresql/{major}/bin or on PATH: install the PostgreSQL {major} "
            f"client programs (Debian: apt-get install postgresql-client-{major})."
        )
    return found


class PostgresEngine:
    name = "postgresql"
    label = "PostgreSQL"
    member = "database.pgdump"

    def __init__(self, connection):
        self.connection = connection

    def describe(self) -> str:
        settings = self.connection.settings_dict
        where = f" on {settings['HOST']}" if settings.get("HOST") else ""
        return f"PostgreSQL database {settings['NAME']}{where}"

    def contents(self) -> Contents:
        return site_contents(self.connection)

    def _tool(self, name: str) -> str:
        self.connection.ensure_connection()
        return client_program(name, major=self.connection.pg_version // 10000)

    def _environment(self) -> dict[str, str]:
        """Connection details for the PostgreSQL programs (the password in the environment, not argv)."""
        settings = self.connection.settings_dict
        environment = dict(os.environ)
        for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
            if settings.get(key):
                environment[variable] = str(settings[key])
        if settings.get("OPTIONS", {}).get("sslmode"):
            environment["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
        return environment

    def _run(self, arguments: list[str]) -> None:
        finished = subprocess.run(arguments, env=self._environment(), capture_output=True, text=True, check=False)  # noqa: S603
        if finished.returncode != 0:
            lines = [line for line in finished.stderr.splitlines() if line.strip()]
            why = lines[-1] if lines else f"exit status {finished.returncode}"
            raise BackupError(f"{Path(arguments[0]).name} failed: {why}")

    def dump(self, target: Path, *, without_sessions: bool) -> Contents:
        if self.connection.in_atomic_block:
            raise BackupError("A backup reads its own snapshot: it cannot be taken inside a transaction.")
        pg_dump = self._tool("pg_dump")
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            contents = read_contents(cursor, self.connection.introspection.table_names(cursor))
            # pg_dump reads the same snapshot, so it holds exactly the rows counted above. (Not
            # compressed: the archive around it is.)
            self._run(
                [pg_dump, "--format=custom", "--compress=0", f"--snapshot={snapshot}", "--no-password", f"--file={target}"]
                + (["--exclude-table-data=django_session"] if without_sessions else [])
                + [f"--dbname={self.connection.settings_dict['NAME']}"]
            )
        if without_sessions and "django_session" in contents.tables:
            contents.tables["django_session"] = 0
        return contents

    def load(self, source: Path) -> None:
        pg_restore = self._tool("pg_restore")
        self.connection.close()
        self._run(
            [
                pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                "--exit-on-error", "--no-password", f"--dbname={self.connection.settings_dict['NAME']}", str(source),
            ]
        )


ENGINES = {engine.name: engine for engine in (SqliteEngine, PostgresEngine)}
LABELS = {name: engine.label for name, engine in ENGINES.items()}


def engine_for(connection) -> SqliteEngine | PostgresEngine:
    engine = ENGINES.get(connection.vendor)
    if engine is None:
        raise BackupError(f"Backups support SQLite and PostgreSQL; this site uses {connection.vendor}.")
    return engine(connection)
