"""Send this week's overdue-deadline digest: the weekly Celery job, run by hand. A preview unless --commit."""

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
        "once its claim is DIGEST_CLAIM_TIMEOUT_SECONDS old. Without --commit, a preview: who would get what, "
        "nothing sent or written."
    )
    unavailable_note = "Digests already sent are recorded as sent; run it again to send the rest."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today in London).")
        parser.add_argument("--commit", action="store_true", help="Send and record the digests (default: print who would get what).")

    def handle(self, *args, today: datetime.date | None, commit: bool, **options):
        day = today or clock.today()
        lines = digest_send(today=day, dry_run=not commit)
        preview = "" if commit else " – preview, nothing sent (--commit to send)"
        self.stdout.write(f"Digest for {day:%A %-d %B %Y} (ISO week {day:%G-W%V}){preview}:")
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
