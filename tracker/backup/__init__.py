"""Backups of everything the tracker stores, and restoring them (``manage.py backup``/``restore``).

A backup is one ``.tar.gz`` file holding ``manifest.json`` (the engine, when, the tracker's and
Django's versions, the migrations applied and every table's row count) and the database copied
whole by its engine (``engines.py``). Uploaded files are not stored on disk: an upload waiting
for confirmation is a row (``PendingImport``), so the database is everything.

A backup restores only into the same engine, and not into a database made by an older version
of the tracker than the backup's; the restore checks afterwards that every table holds the
manifest's number of rows.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import django
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from tracker.backup.engines import LABELS, BackupError, Contents, engine_for
from tracker.pagecache import data_changed

__all__ = ["BackupError", "Manifest", "RestorePlan", "backup_write", "backup_restore", "restore_plan"]

FORMAT = 1
MANIFEST = "manifest.json"
# Rows these tables hold after `migrate` alone: a database holding only them is empty.
FILLED_BY_MIGRATE = {"django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    app_version: str
    django_version: str
    migrations: list[str]
    tables: dict[str, int]
    sessions: bool
    format: int = FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def describe(self) -> str:
        sessions = "sessions included" if self.sessions else "no sessions"
        return (
            f"{LABELS.get(self.engine, self.engine)} database, made {self.created_at} by tracker {self.app_version} "
            f"(Django {self.django_version}): {len(self.tables)} tables, {self.rows:,} rows, {sessions}"
        )


def _app_version() -> str:
    try:
        return metadata.version("recommendation-tracker")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- The archive ---------------------------------------------------------------------------------


def _write_archive(path: Path, manifest: Manifest, database: Path, member: str, *, now: datetime.datetime) -> None:
    """Write the archive beside ``path`` and move it into place: a crash leaves no half backup.
    Readable by its owner only: it holds password hashes and personal data."""
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz", compresslevel=6) as archive:
        text = json.dumps(asdict(manifest), indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(text), int(now.timestamp()), 0o600
        archive.addfile(info, io.BytesIO(text))
        archive.add(database, arcname=member)
    os.replace(partial, path)


def _open_archive(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    try:
        return tarfile.open(path, mode="r:*")
    except tarfile.TarError as error:
        raise BackupError(f"{path} is not a tracker backup (not a .tar.gz archive).") from error


def manifest_read(path: Path) -> Manifest:
    with _open_archive(path) as archive:
        try:
            data = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError, tarfile.TarError) as error:
            raise BackupError(f"{path} is not a tracker backup (no readable {MANIFEST}).") from error
    if data.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup in format {data.get('format')}; this version of the tracker reads format {FORMAT}.")
    try:
        return Manifest(**data)
    except TypeError as error:
        raise BackupError(f"{path} has an incomplete {MANIFEST}.") from error


def _extract_database(path: Path, member: str, folder: Path) -> Path:
    target = folder / member
    with _open_archive(path) as archive:
        try:
            source = archive.extractfile(member)
        except KeyError:
            source = None
        if source is None:
            raise BackupError(f"{path} holds no {member}: the backup is damaged.")
        with source, open(target, "wb") as file:
            shutil.copyfileobj(source, file)
    return target


# --- Backing up ----------------------------------------------------------------------------------


def backup_write(*, path: Path, now: datetime.datetime, without_sessions: bool = False, using: str = "default") -> tuple[Path, Manifest]:
    """Copy the whole database to a backup at ``path`` (a file, or a folder to put a dated file in)."""
    if path.is_dir():
        path = path / f"tracker-{now.astimezone(datetime.UTC):%Y%m%d-%H%M%SZ}.tar.gz"
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the backup into.")
    engine = engine_for(connections[using])
    with tempfile.TemporaryDirectory(prefix="tracker-backup-") as folder:
        database = Path(folder) / engine.member
        contents = engine.dump(database, without_sessions=without_sessions)
        manifest = Manifest(
            engine=engine.name,
            created_at=now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            app_version=_app_version(),
            django_version=django.get_version(),
            migrations=contents.migrations,
            tables=contents.tables,
            sessions=not without_sessions,
        )
        _write_archive(path, manifest, database, engine.member, now=now)
    return path, manifest


# --- Restoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestorePlan:
    """What a restore of ``path`` into the site's database would do."""

    path: Path
    manifest: Manifest
    target: str
    target_rows: dict[str, int]  # rows in tables migrate does not fill
    migrations_behind: list[str] = field(default_factory=list)  # the code has these; the backup not

    @property
    def target_is_empty(self) -> bool:
        return not any(self.target_rows.values())

    def lines(self) -> list[str]:
        lines = [f"Backup: {self.manifest.describe()}."]
        if self.target_is_empty:
            lines.append(f"Into: {self.target}, which is empty.")
        else:
            held = {table: rows for table, rows in self.target_rows.items() if rows}
            lines.append(f"Into: {self.target}, which holds {sum(held.values()):,} rows in {len(held)} tables: all of it will be replaced.")
        if self.migrations_behind:
            lines.append(f"The backup is {len(self.migrations_behind)} migrations behind this code: run `manage.py migrate` after restoring.")
        return lines


def _migrations_in_code() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def restore_plan(*, path: Path, using: str = "default") -> RestorePlan:
    """Read the backup's manifest and the site's database; refuse what cannot be restored here."""
    manifest = manifest_read(path)
    engine = engine_for(connections[using])
    if manifest.engine != engine.name:
        raise BackupError(
            f"{path} is a backup of a {LABELS.get(manifest.engine, manifest.engine)} database and this site uses "
            f"{engine.label}: restore it into a {LABELS.get(manifest.engine, manifest.engine)} site (see README, Backups)."
        )
    in_code = _migrations_in_code()
    unknown = sorted(set(manifest.migrations) - in_code)
    if unknown:
        raise BackupError(
            f"{path} was made by a newer version of the tracker (tracker {manifest.app_version}; migrations this code "
            f"does not have: {', '.join(unknown)}): restore it with that version."
        )
    current = engine.contents()
    return RestorePlan(
        path=path,
        manifest=manifest,
        target=engine.describe(),
        target_rows={table: rows for table, rows in current.tables.items() if table not in FILLED_BY_MIGRATE},
        migrations_behind=sorted(in_code - set(manifest.migrations)),
    )


def backup_restore(*, plan: RestorePlan, replace: bool, using: str = "default") -> Contents:
    """Replace the site's database with the backup's copy, then check every table's row count."""
    if not plan.target_is_empty and not replace:
        held = sum(plan.target_rows.values())
        raise BackupError(f"{plan.target} already holds {held:,} rows: add --replace to replace all of it with the backup.")
    engine = engine_for(connections[using])
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as folder:
        engine.load(_extract_database(plan.path, engine.member, Path(folder)))
    # No page kept from the database as it was may be shown; its stored dashboard counts came back
    # with it, as consistent as the rest.
    data_changed(derived=False)
    restored = engine.contents()
    wrong = sorted(table for table, rows in plan.manifest.tables.items() if restored.tables.get(table) != rows)
    if wrong:
        raise BackupError(f"The restored database does not match the backup's manifest in {len(wrong)} tables: {', '.join(wrong)}.")
    return restored
