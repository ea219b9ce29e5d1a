"""Generate a synthetic dataset of any size for benchmarks. A preview (rolled back) unless --commit."""

import datetime
import time

from django.core.management.base import CommandError

from importer.synthetic import DEFAULT_ANCHOR, synthetic_dataset_generate
from tracker.commands import TrackerCommand


class Command(TrackerCommand):
    help = (
        "Generate N synthetic recommendations with reports, replies, commitments, deadline conflicts, "
        "consultation submissions and digest subscribers. The same --seed and --anchor give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--recommendations", type=int, required=True, help="How many recommendations.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--anchor", type=datetime.date.fromisoformat, default=DEFAULT_ANCHOR,
            help=f"YYYY-MM-DD the dates are spread around (default {DEFAULT_ANCHOR.isoformat()}).",
        )
        parser.add_argument("--subscribers", type=int, default=1000, help="Digest subscribers (default 1000).")
        parser.add_argument("--commit", action="store_true", help="Write to the database (default: preview only).")

    def handle(self, *args, recommendations, seed, anchor, subscribers, commit, **options):
        start = time.perf_counter()
        try:
            dataset = synthetic_dataset_generate(
                recommendations=recommendations, seed=seed, anchor=anchor, subscribers=subscribers, commit=commit
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - start
        verb = "Generated" if commit else "Would generate (nothing written; add --commit)"
        self.stdout.write(f"{verb} in {elapsed:.1f} s, seed {seed}, anchor {anchor.isoformat()}: {dataset}")
