"""Restore a backup made by `backup`: previews by default, writes only with --commit."""

from pathlib import Path

from django.core.management.base import CommandError

from tracker.backup import BackupError, backup_restore, restore_plan
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = (
        "Replace the whole database with a backup made by `backup PATH` (same engine only). Previews by "
        "default; --commit restores; a database that already holds data is replaced only with --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A backup file written by `manage.py backup`.")
        parser.add_argument("--commit", action="store_true", help="Restore (without it: say what would happen, change nothing).")
        parser.add_argument("--replace", action="store_true", help="Replace a database that already holds data.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, path: Path, commit: bool, replace: bool, database: str, **options):
        try:
            plan = restore_plan(path=path, using=database)
            for line in plan.lines():
                self.stdout.write(line)
            if not commit:
                if not (plan.target_is_empty or replace):
                    self.stdout.write("It holds data: the restore needs --replace as well as --commit.")
                self.stdout.write("Preview only: nothing was changed. Run again with --commit to restore.")
                return
            backup_restore(plan=plan, replace=replace, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(plan.manifest.tables)} tables, {plan.manifest.rows:,} rows; every table's row count matches the backup."
            )
        )
        if plan.migrations_behind:
            self.stdout.write(self.style.WARNING("Now run `manage.py migrate`: the backup is older than this code."))
