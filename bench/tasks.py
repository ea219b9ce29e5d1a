"""The Django side of the benchmark: prepare a dataset, time the jobs, measure the CSV export's
memory. Each runs inside a configured Django (the driver calls ``python -m bench.tasks NAME`` in a
subprocess with the database's environment; the small test calls the functions in-process).

Prints one JSON object on stdout when run as a command.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEARCH_TERM = "knife"  # about 4% of generated recommendations mention knife crime
CSV_ADDRESSEE = "home-office"  # about 4% of recommendations: 10,000 rows at 250,000
LARGE_CSV_ADDRESSEE = "mayors-office-for-policing-and-crime"  # about 48%: 120,000 rows at 250,000


def prepare(*, recommendations: int, anchor: datetime.date, seed: int = 1, subscribers: int = 1000, vacuum: bool = True) -> dict:
    """Generate the dataset (timed), VACUUM ANALYZE it as autovacuum would, sign a superuser in."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from importer.synthetic import synthetic_dataset_generate
    from recommendations.models import Document, Organisation, Recommendation, Report
    from responses.models import Commitment, Consultation

    start = time.perf_counter()
    dataset = synthetic_dataset_generate(recommendations=recommendations, seed=seed, anchor=anchor, subscribers=subscribers)
    generate_seconds = time.perf_counter() - start
    if vacuum and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True, "email": "bench@localhost"})
    client = Client()
    client.force_login(admin)
    mopac = Organisation.objects.get(short_name="MOPAC")
    # A report and a recommendation from the middle of the data, with a reply where there is one.
    reports = Report.objects.filter(slug__startswith=f"synthetic-{seed}-").order_by("pk")
    report = reports[reports.count() // 2]
    rec = Recommendation.objects.filter(report__in=reports, responses__isnull=False).order_by("pk").first()
    reply = rec.responses.order_by("pk").first()
    commitment = Commitment.objects.order_by("pk").first()
    consultation = Consultation.objects.order_by("pk").first()
    return {
        "recommendations": recommendations,
        "generate_seconds": round(generate_seconds, 2),
        "counts": dataset.counts,
        "report_slug": report.slug,
        "recommendation_id": rec.pk,
        "addressee_slug": mopac.slug,
        "addressee_id": mopac.pk,
        "csv_addressee_slug": CSV_ADDRESSEE,
        "search_term": SEARCH_TERM,
        "session_cookie": client.cookies["sessionid"].value,
        "document_id": reply.letter_id if reply else Document.objects.values_list("pk", flat=True).order_by("pk").first() or 0,
        "response_id": reply.pk if reply else 0,
        "commitment_id": commitment.pk if commitment else 0,
        "consultation_slug": consultation.slug if consultation else "",
    }


def flag_job(*, today: datetime.date) -> dict:
    """The overdue-flag job over every row: the first run raises every flag, the second finds
    nothing new (the daily steady state)."""
    from responses.services import flags_refresh

    runs = []
    for _ in range(2):
        start = time.perf_counter()
        result = flags_refresh(today=today)
        runs.append({"seconds": round(time.perf_counter() - start, 3), "raised": result.raised, "resolved": result.resolved, "open": result.open})
    return {"first": runs[0], "second": runs[1]}


def digest(*, today: datetime.date) -> dict:
    """The weekly digest to every subscriber, through whatever EMAIL_BACKEND is configured (the
    driver points it at a local SMTP sink)."""
    from responses.models import DigestDelivery
    from responses.services import digest_send

    start = time.perf_counter()
    lines = digest_send(today=today)
    seconds = time.perf_counter() - start
    sent = DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count()
    return {"seconds": round(seconds, 2), "subscribers": len(lines), "sent": sent,
            "failed": sum(1 for line in lines if line.outcome == "FAILED")}


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def export_memory(*, query: str) -> dict:
    """Stream ``/recommendations/?format=csv&<query>`` through the real view and report rows, time
    and this process's peak memory before and after. Run each size in its own process."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    # A first export of a few rows loads the code, templates and connection before the baseline,
    # so the difference is what the rows themselves cost.
    warm = client.get(f"/recommendations/?format=csv&{query}&q=nowordlikethis")
    b"".join(warm.streaming_content)
    before = _maxrss_mb()
    start = time.perf_counter()
    response = client.get(f"/recommendations/?format=csv&{query}")
    rows = size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    return {"query": query, "status": response.status_code, "rows": rows - 1, "bytes": size,
            "seconds": round(seconds, 2), "maxrss_before_mb": round(before, 1), "maxrss_after_mb": round(_maxrss_mb(), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["migrate", "prepare", "flags", "digest", "export"])
    parser.add_argument("--recommendations", type=int)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--today", type=datetime.date.fromisoformat)
    parser.add_argument("--query", default="")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings.production")
    import django

    django.setup()
    from tracker import clock

    today = args.today or clock.today()
    if args.task == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        result = {"ok": True}
    elif args.task == "prepare":
        result = prepare(recommendations=args.recommendations, anchor=today, subscribers=args.subscribers)
    elif args.task == "flags":
        result = flag_job(today=today)
    elif args.task == "digest":
        result = digest(today=today)
    else:
        result = export_memory(query=args.query)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
