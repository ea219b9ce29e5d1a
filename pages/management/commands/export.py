"""Export open data (recommendations, responses, commitments, submissions, reports, consultations,
asks) as JSON Lines for programs (codes, lists as arrays) or CSV for spreadsheets (as the pages'
downloads: a byte order mark, labels, lists as "A; B")."""

import sys

from pages.exports import DATASETS, csv_lines, jsonl_lines
from pages.spreadsheet import LABELS
from tracker.clock import today as london_today
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = "Write one dataset to standard output (or --output), one record per line, with stable ids."
    unavailable_note = "The export is incomplete."

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=sorted(DATASETS))
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--today", help="Deadline status as of this date, YYYY-MM-DD (default: today in London).")

    def handle(self, *args, dataset: str, format: str, output: str | None, today: str | None, **options):
        import datetime

        day = datetime.date.fromisoformat(today) if today else london_today()
        model, records, fields = DATASETS[dataset]
        rows = records(model.objects.all(), today=day)
        lines = jsonl_lines(rows) if format == "jsonl" else csv_lines(rows, fields, LABELS.get(dataset))
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for line in lines:
                stream.write(line)
        except BrokenPipeError:  # piped into head: stop quietly
            sys.stderr.close()
        finally:
            if output:
                stream.close()
