"""The dashboard with stored counts (issue 16): the counts worked out afresh, the daily fill, the
page read from stored counts, an editor's save adjusting them, and a check that stored == live.

    .venv/bin/python bench/dashboard_figures.py postgres://postgres@127.0.0.1:54329/<database with a synthetic dataset>

It writes: one recommendation's deadline changes. Use a bench database, never a real one.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY = datetime.date(2026, 12, 2)  # the synthetic datasets' anchor


def _setup(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tracker.settings.production", SECRET_KEY="bench", DEBUG="false", ALLOWED_HOSTS="*",
        SECURE_SSL_REDIRECT="false", TRACKER_VAR_DIR="/tmp/tracker-bench-var", STATIC_ROOT="/tmp/tracker-bench-static",
        LOG_LEVEL="WARNING", PAGE_CACHE_SECONDS="0", CACHE_URL="locmemcache://", DATABASE_URL=database_url,
    )  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _ms(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def main(database_url: str) -> None:
    _setup(database_url)
    import time_machine
    from django.test import Client

    from pages import figures
    from recommendations.models import DashboardFigures, Recommendation

    client = Client()

    def page() -> float:
        return statistics.median(_ms(lambda: client.get("/")) for _ in range(5))

    def stored() -> dict:
        columns = figures.REC_COLUMNS + figures.REPORT_COLUMNS
        return {(row.organisation_id, c): getattr(row, c) for row in DashboardFigures.objects.filter(day=DAY) for c in columns if getattr(row, c)}

    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC), tick=True):
        DashboardFigures.objects.all().delete()
        print(f"counts worked out afresh: {_ms(lambda: figures.compute(DAY, 30)):.0f} ms")
        print(f"daily fill of two days: {_ms(lambda: figures.fill(days=[DAY, DAY + datetime.timedelta(days=1)])):.0f} ms")
        print(f"dashboard, stored counts: {page():.0f} ms p50")
        recommendation = Recommendation.objects.order_by("pk")[1000]
        recommendation.deadline = datetime.date(2026, 1, 1)
        print(f"a recommendation's save, stored counts adjusted: {_ms(recommendation.save):.0f} ms")
        assert stored() == {key: count for key, count in figures.compute(DAY, 30).items() if count}
        print("stored == worked out afresh after the write")
        print(f"dashboard after the write: {page():.0f} ms p50")


if __name__ == "__main__":
    main(sys.argv[1])
