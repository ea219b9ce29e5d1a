"""Raise and resolve overdue flags: the daily Celery job, run by hand. A preview unless --commit."""

import datetime

from django.db import transaction

from responses.services import flags_refresh
from tracker import clock
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = (
        "Flag every recommendation whose deadline passed without a reply, every report whose reply is "
        "overdue and every commitment past due and not done; resolve flags whose item is no longer "
        "overdue. Prints 'raised N, resolved M, open K'. With --commit, the same as the daily 06:00 job; "
        "without it, a preview that writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today in London).")
        parser.add_argument("--commit", action="store_true", help="Write the flags (default: say what would change, write nothing).")

    def handle(self, *args, today: datetime.date | None, commit: bool, **options):
        day = today or clock.today()
        with transaction.atomic():
            result = flags_refresh(today=day)
            if not commit:
                transaction.set_rollback(True)
        prefix = "" if commit else "preview, nothing written (--commit to write): "
        self.stdout.write(f"{prefix}{result}")
