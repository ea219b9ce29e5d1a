"""Raise and resolve overdue flags: the daily Celery job, run by hand."""

import datetime

from django.db import transaction

from responses.services import flags_refresh
from tracker import clock
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = (
        "Flag every recommendation whose deadline passed without a reply, every report whose reply is "
        "overdue and every commitment past due and not done; resolve flags whose item is no longer "
        "overdue. Prints 'raised N, resolved M, open K'. The same as the daily 06:00 job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today in London).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change; write nothing.")

    def handle(self, *args, today: datetime.date | None, dry_run: bool, **options):
        day = today or clock.today()
        with transaction.atomic():
            result = flags_refresh(today=day)
            if dry_run:
                transaction.set_rollback(True)
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{result}")
