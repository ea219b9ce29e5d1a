"""Back up the whole database (every table) to one file: see README, Backups."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from tracker.backup import BackupError, backup_write
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = (
        "Copy the whole database (every table: users, groups, history, notes, flags, digest deliveries, "
        "pending imports, sessions) and a manifest to PATH, a .tar.gz file or a folder to put a dated one in. "
        "Safe while the site runs. Restore with `restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file to write, or a folder for tracker-YYYYMMDD-HHMMSSZ.tar.gz.")
        parser.add_argument("--without-sessions", action="store_true", help="Leave out who is signed in (everyone signs in again after a restore).")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, path: Path, without_sessions: bool, database: str, **options):
        try:
            written, manifest = backup_write(path=path, now=timezone.now(), without_sessions=without_sessions, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up to {written} ({size / 1_000_000:.1f} MB): {manifest.describe()}."))
