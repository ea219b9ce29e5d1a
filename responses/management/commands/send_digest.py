"""Send this week's overdue-deadline digest: the weekly Celery job, run by hand."""

import datetime

from django.core.management.base import CommandError

from responses.services import digest_send, in_flight_notice
from tracker import clock
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = (
        "Send the weekly digest to every subscriber who has not had it this ISO week, and print who "
        "got what. Running it again sends nothing new; after a failure it sends only what was not sent. "
        "A digest left 'being sent' by a worker that stopped is named, and sent again (same Message-ID) "
        "once its claim is DIGEST_CLAIM_TIMEOUT_SECONDS old."
    )
    unavailable_note = "Digests already sent are recorded as sent; run it again to send the rest."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today in London).")
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; send and write nothing.")

    def handle(self, *args, today: datetime.date | None, dry_run: bool, **options):
        day = today or clock.today()
        lines = digest_send(today=day, dry_run=dry_run)
        self.stdout.write(f"Digest for {day:%A %-d %B %Y} (ISO week {day:%G-W%V}){' – dry run' if dry_run else ''}:")
        if not lines:
            self.stdout.write("  no subscribers")
        for line in lines:
            self.stdout.write(f"  {line}")
        notice = in_flight_notice(lines)
        if notice:
            self.stdout.write(self.style.WARNING(notice))
        failed = [line for line in lines if line.outcome == "FAILED"]
        if failed:
            raise CommandError(f"{len(failed)} digest(s) failed; they are recorded and logged. Run again to retry them.")
