"""``/healthz`` (readiness): for load balancers, the run command's readiness check and operators;
``/livez`` (liveness): the process answers, asking nothing of the database or the cache (a
container's liveness probe, and the benchmark's floor: the cheapest request Django serves).

The first line is ``ok`` (200) while the process can serve pages, that is while the database
answers; then one line per part. The cache going away only makes pages slower (they are worked
out afresh, tracker/pagecache.py), so it is reported but keeps the 200: a load balancer keeps the
instance. The database not answering is a 503.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpResponse

from tracker import pagecache


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def healthz(request):
    database = database_answers()
    lines = [
        "ok" if database else "unavailable",
        "database: ok" if database else "database: unavailable",
        "cache: ok" if pagecache.cache_answers() else "cache: unavailable (pages worked out afresh)",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain", status=200 if database else 503)


def livez(request):
    return HttpResponse("ok\n", content_type="text/plain")
