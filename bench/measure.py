"""What the benchmark measures and how it reports it, independent of the servers it runs against.

- ``request_plan``: every request type the benchmark times, built from a dataset's ids.
- ``wrk_command`` / ``parse_wrk``: wrk at a fixed concurrency for a fixed time (``wrk_report.lua``
  prints p50, p95, requests/s and errors as JSON).
- ``python_load``: a bounded load generator in pure Python (threads and ``http.client``), used when
  wrk is missing and by the small test that keeps the benchmark from rotting.
- ``ratios`` and ``results_markdown``: the three ratios against the issue's targets, and
  ``bench/RESULTS.md``.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field

WRK_SCRIPT = __file__.rsplit("/", 1)[0] + "/wrk_report.lua"


@dataclass(frozen=True)
class Request:
    key: str  # stable name, used to pair the same request across datasets and with the admin
    label: str
    path: str
    signed_in: bool = False  # sends the superuser's session cookie (the admin)
    slow: bool = False  # may take seconds: a longer timeout, a single connection
    cache_off: bool = False  # sent to the dataset's second server, run with PAGE_CACHE_SECONDS=0
    nothing_kept: bool = False  # sent to a third, which keeps no filter choices either (FILTER_CHOICES_CACHE_SECONDS=0)
    download: bool = False  # a whole-data download (CSV, calendar, JSON): its size grows with the data


@dataclass
class Timing:
    """One request type under load: latency percentiles in milliseconds, throughput, failures."""

    key: str
    label: str
    path: str
    requests: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    rps: float = 0.0
    errors: int = 0
    timeouts: int = 0
    status: str = ""
    note: str = ""

    @property
    def answered(self) -> bool:
        return self.requests > 0 and self.p50_ms is not None


@dataclass
class DatasetInfo:
    """What a dataset holds and the ids the requests use."""

    recommendations: int
    generate_seconds: float
    counts: dict = field(default_factory=dict)
    report_slug: str = ""
    recommendation_id: int = 0
    addressee_slug: str = ""
    addressee_id: int = 0
    csv_addressee_slug: str = ""
    search_term: str = ""
    session_cookie: str = ""
    document_id: int = 0
    response_id: int = 0
    commitment_id: int = 0
    consultation_slug: str = ""


def request_plan(info: DatasetInfo) -> list[Request]:
    """Every request type, in the order they are measured."""
    q = urllib.parse.quote(info.search_term)
    kept = [
        Request("dashboard", "Dashboard", "/"),
        Request("list", "Recommendations list, unfiltered", "/recommendations/"),
        Request("list_overdue", "List filtered: overdue", "/recommendations/?status=overdue"),
        Request("list_addressee", "List filtered: addressee MOPAC", f"/recommendations/?addressee={info.addressee_slug}"),
        Request("list_search", f"List search: q={info.search_term}", f"/recommendations/?q={q}"),
    ]
    # The same pages worked out on every request: what the first visitor after a write, or anyone
    # asking for a filter or search term nobody asked for since, waits for.
    cold = [Request(r.key + COLD, r.label + ", page cache off", r.path, cache_off=True) for r in kept]
    # The page cache off keeps the filters' choices (reports, bodies, chapters) until a write to
    # what they are read from: the first visitor after an import or a corrected report also reads them.
    cold.append(Request(NOTHING_KEPT, "Recommendations list, unfiltered, nothing kept (filter choices read too)", "/recommendations/",
                        cache_off=True, nothing_kept=True))
    return [
        # The floor: the cheapest request Django serves (no database, no cache); /healthz asks both.
        Request("floor", "Floor: /livez (plain Django view)", "/livez"),
        Request("healthz", "Health check: /healthz (database and cache)", "/healthz"),
        *kept,
        *cold,
        Request("recommendation", "Recommendation page", f"/recommendations/{info.recommendation_id}/"),
        Request("report", "Report page", f"/reports/{info.report_slug}/"),
        Request("csv", "CSV export, addressee filter", f"/recommendations/?format=csv&addressee={info.csv_addressee_slug}", slow=True),
        Request("calendar", "iCalendar feed (/calendar.ics)", "/calendar.ics", slow=True),
        Request("admin_list", "Admin changelist, unfiltered", "/admin/recommendations/recommendation/", signed_in=True, slow=True),
        Request(
            "admin_addressee", "Admin changelist: addressee MOPAC",
            f"/admin/recommendations/recommendation/?addressees__id__exact={info.addressee_id}", signed_in=True, slow=True,
        ),
        Request(
            "admin_search", f"Admin changelist search: q={info.search_term}",
            f"/admin/recommendations/recommendation/?q={q}", signed_in=True, slow=True,
        ),
    ]


COLD = "_cold"  # key suffix of a request measured with the page cache off
NOTHING_KEPT = "list_nothing_kept" + COLD  # the list with neither pages nor filter choices kept


# --- Every page, one request at a time -------------------------------------------------------------

def sweep_plan(info: DatasetInfo) -> list[Request]:
    """Every page a reader or an editor can open, once each, against the page-cache-off server:
    the timed plan above covers the busiest pages under load; this covers the rest, where a page
    nobody timed can grow with the data unnoticed (issue 16: every cold page under 100 ms)."""
    q = urllib.parse.quote(info.search_term)
    rec, report = info.recommendation_id, info.report_slug
    anonymous = [
        ("Dashboard", "/"), ("Recommendations list", "/recommendations/"), ("Recommendation page", f"/recommendations/{rec}/"),
        ("Reports", "/reports/"), ("Report page", f"/reports/{report}/"), ("Search everything", f"/search/?q={q}"),
        ("Documents", "/documents/"), ("Document page", f"/documents/{info.document_id}/"), ("Commitments", "/commitments/"),
        ("Consultations", "/consultations/"), ("Consultation page", f"/consultations/{info.consultation_slug}/"),
        ("What changed", "/changes/"), ("What changed (Atom feed)", "/changes.atom"), ("Subscribe", "/subscribe/"),
        ("Watch a recommendation", f"/watch/recommendation/{rec}/"), ("Watch a report", f"/watch/report/{report}/"),
        ("Report calendar", f"/reports/{report}/calendar.ics"),
        ("API: recommendations", "/api/recommendations/"), ("API: responses", "/api/responses/"),
        ("API: commitments", "/api/commitments/"), ("API: a recommendation's history", f"/api/recommendations/{rec}/history/"),
        ("Items like this one", f"/similar/recommendation/{rec}/"),
    ]
    staff = [
        ("Digest preferences", "/preferences/"), ("Staff home", "/manage/"), ("Enter a reply", "/manage/replies/new/"),
        ("Replies promised, not received", "/manage/replies/missing/"), ("Assess a reply", f"/manage/replies/{info.response_id}/assess/"),
        ("Add a commitment", f"/manage/replies/{info.response_id}/commitments/new/"),
        ("Revise a commitment", f"/manage/commitments/{info.commitment_id}/revise/"),
        ("Add a note", f"/manage/recommendations/{rec}/notes/new/"), ("Change a deadline", f"/manage/recommendations/{rec}/deadline/"),
        ("Report reply due", f"/manage/reports/{report}/reply-due/"), ("Report published", f"/manage/reports/{report}/published/"),
        ("Import a document", "/manage/import/"), ("Bulk replies", "/manage/bulk/"), ("Chasers", "/manage/chasers/"),
        ("New chaser", f"/manage/chasers/new/addressee/{info.addressee_slug}/"),
    ]
    downloads = [
        # A calendar holds every open item whatever its age (issue 15): an addressee's is as big as
        # what is addressed to it (a third of everything, for MOPAC in the synthetic data). It streams.
        ("Calendar of everything", "/calendar.ics", False), ("Addressee calendar", f"/addressees/{info.addressee_slug}/calendar.ics", False),
        ("API: events", "/api/events/", False),
        ("CSV export, addressee filter", f"/recommendations/?format=csv&addressee={info.csv_addressee_slug}", False),
        ("Bulk replies spreadsheet", "/manage/bulk/replies.csv", True),
    ]
    return [
        # Keyed by label: the two datasets' pages have different slugs and ids, and the table
        # puts each page's two sizes side by side.
        *(Request(f"sweep:{label}", label, path, cache_off=True) for label, path in anonymous),
        *(Request(f"sweep:{label}", label, path, signed_in=True, cache_off=True) for label, path in staff),
        *(Request(f"sweep:{label}", label, path, signed_in=signed, cache_off=True, slow=True, download=True) for label, path, signed in downloads),
    ]


@dataclass
class PageTiming:
    """One page requested alone, several times: median milliseconds to the last byte, and its size."""

    key: str
    label: str
    path: str
    download: bool
    status: str = ""
    p50_ms: float | None = None
    kilobytes: float | None = None


def sweep_one(base_url: str, request: Request, *, cookie: str, repeat: int, timeout: float) -> PageTiming:
    """``request`` once to warm up, then ``repeat`` times in turn (none at once)."""
    timing = PageTiming(request.key, request.label, request.path, request.download)
    parts = urllib.parse.urlsplit(base_url)
    headers = {"Cookie": f"sessionid={cookie}"} if request.signed_in else {}
    times = []
    for _ in range(repeat + 1):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        start = time.perf_counter()
        try:
            connection.request("GET", request.path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except OSError as error:  # timed out, refused, reset
            timing.status = f"no answer within {timeout:.0f} s" if isinstance(error, TimeoutError) else type(error).__name__
            return timing
        finally:
            connection.close()
        times.append((time.perf_counter() - start) * 1000)
        timing.status, timing.kilobytes = str(response.status), len(body) / 1024
    timing.p50_ms = percentile(times[1:], 50)
    return timing


PAGE_MS, PAGE_KB = 100, 100  # issue 16: every cold page at 250,000 under 100 ms; pages under 100 KB


def sweep_checks(large: dict[str, PageTiming]) -> list[Check]:
    """Every page (downloads apart) answers 200 at the large size, in under ``PAGE_MS`` and
    ``PAGE_KB``; downloads answer 200 within the timeout."""
    pages = [t for t in large.values() if not t.download]
    downloads = [t for t in large.values() if t.download]
    slow = [t for t in pages if t.status != "200" or t.p50_ms is None or t.p50_ms >= PAGE_MS]
    heavy = [t for t in pages if t.kilobytes is not None and t.kilobytes >= PAGE_KB]
    failed = [t for t in downloads if t.status != "200"]

    def named(timings: list[PageTiming]) -> str:
        return ", ".join(f"{t.path} ({t.status if t.status != '200' else _ms(t.p50_ms) + ' ms, ' + f'{t.kilobytes:.0f} KB'})" for t in timings)

    return [
        Check(f"Every page alone (large, page cache off): {len(pages)} pages", None, f"< {PAGE_MS} ms",
              not slow, named(slow) or "all"),
        Check(f"Every page's HTML (large): {len(pages)} pages", None, f"< {PAGE_KB} KB", not heavy, named(heavy) or "all"),
        Check(f"Downloads of everything answer (large): {len(downloads)}", None, "200", not failed, named(failed) or "all"),
    ]


def sweep_table(small: dict[str, PageTiming], large: dict[str, PageTiming], small_n: int, large_n: int) -> list[str]:
    lines = [
        f"| Page | {small_n:,}: ms | KB | {large_n:,}: ms | KB | large/small |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, s in small.items():
        g = large.get(key)

        def cells(t: PageTiming | None) -> str:
            if t is None or t.p50_ms is None:
                return f"{t.status if t else '—'} | —"
            flag = "" if t.status == "200" else f" (HTTP {t.status})"
            return f"{_ms(t.p50_ms)}{flag} | {t.kilobytes:,.0f}"

        ratio = f"{g.p50_ms / s.p50_ms:.2f}×" if g and g.p50_ms and s.p50_ms else "—"
        paths = f"`{s.path}`" if g is None or g.path == s.path else f"`{s.path}`, `{g.path}`"
        label = f"{s.label}{' (download)' if s.download else ''}: {paths}"
        lines.append(f"| {label} | {cells(s)} | {cells(g)} | {ratio} |")
    return lines

# Which admin request each of ours is compared with (same filter, same search).
ADMIN_PAIRS = {"list": "admin_list", "list_addressee": "admin_addressee", "list_search": "admin_search"}


def wrk_command(base_url: str, request: Request, *, cookie: str, threads: int, connections: int, duration: int, timeout: int) -> list[str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s", "-s", WRK_SCRIPT]
    if request.signed_in:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    return command + [base_url + request.path]


def parse_wrk(output: str, request: Request) -> Timing:
    """The JSON line ``wrk_report.lua`` prints, as a Timing."""
    line = next((text for text in output.splitlines() if text.startswith("{\"bench\"")), None)
    timing = Timing(request.key, request.label, request.path)
    if line is None:
        timing.note = "wrk printed no report"
        return timing
    data = json.loads(line)["bench"]
    timing.requests = data["requests"]
    timing.errors = data["errors"]
    timing.timeouts = data["timeouts"]
    timing.rps = data["rps"]
    if timing.requests > 0:
        timing.p50_ms, timing.p95_ms = data["p50_us"] / 1000, data["p95_us"] / 1000
    return timing


def python_load(
    base_url: str, request: Request, *, cookie: str = "", connections: int = 2, duration: float = 2.0,
    max_requests: int = 200, timeout: float = 30.0,
) -> Timing:
    """A bounded load generator: ``connections`` threads, each with a keep-alive connection, send
    the request back to back until ``duration`` seconds pass or ``max_requests`` are sent."""
    parts = urllib.parse.urlsplit(base_url)
    headers = {"Cookie": f"sessionid={cookie}"} if request.signed_in else {}
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    sent = [0]
    deadline = time.perf_counter() + duration

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if sent[0] >= max_requests:
                        return
                    sent[0] += 1
                start = time.perf_counter()
                try:
                    conn.request("GET", request.path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        failures.append(type(error).__name__)
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                    continue
                elapsed = time.perf_counter() - start
                with lock:
                    if response.status == 200:
                        latencies.append(elapsed)
                    else:
                        failures.append(str(response.status))
        finally:
            conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    timing = Timing(request.key, request.label, request.path, requests=len(latencies), errors=len(failures))
    timing.rps = len(latencies) / wall if wall else 0.0
    if latencies:
        timing.p50_ms = percentile(latencies, 50) * 1000
        timing.p95_ms = percentile(latencies, 95) * 1000
    if failures:
        timing.note = "failures: " + ", ".join(sorted(set(failures)))
    return timing


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (what wrk reports)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


# --- Ratios against the targets ------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    name: str
    value: float | None
    target: str
    met: bool | None  # None: could not be measured
    detail: str = ""


def _ratio(a: Timing | None, b: Timing | None) -> float | None:
    if a is None or b is None or not a.answered or not b.answered or not b.p50_ms:
        return None
    return a.p50_ms / b.p50_ms


def ratio_checks(small: dict[str, Timing], large: dict[str, Timing]) -> list[Check]:
    """The issue's page targets, on p50 latency, all from one run."""
    checks = []
    page_limits = (("list", 1.3), ("list_overdue", 1.3), ("list_addressee", 1.3), ("recommendation", 1.3),
                   ("report", 1.3), ("dashboard", 2.0), ("list_search", 1.5))
    # Worked out afresh (issue 16): lists and search alike at 1.3×.
    cold_limits = tuple((key + COLD, 1.3 if key.startswith("list") else limit) for key, limit in page_limits if key + COLD in small)
    # As served (the page cache on), then the same pages worked out afresh on every request.
    for key, limit in page_limits + cold_limits:
        value = _ratio(large.get(key), small.get(key))
        checks.append(Check(f"{large[key].label if key in large else key}: large vs small", value, f"≤ {limit}×",
                            None if value is None else value <= limit))
    for ours, admin in ADMIN_PAIRS.items():
        for key in (ours, ours + COLD):
            a, o = large.get(admin), large.get(key)
            value = _ratio(a, o)
            label = f"{a.label if a else admin} vs ours{', page cache off' if key.endswith(COLD) else ''} (large)"
            if value is None and o is not None and o.answered and a is not None and not a.answered:
                checks.append(Check(label, None, "≥ 3× slower", True, f"admin gave no answer within the timeout ({a.note or 'timed out'})"))
                continue
            checks.append(Check(label, value, "≥ 3× slower", None if value is None else value >= 3))
    for key in ("list", "list" + COLD, NOTHING_KEPT):
        for dataset, timings in (("small", small), ("large", large)):
            value = _ratio(timings.get(key), timings.get("floor"))
            cold = ", nothing kept" if key == NOTHING_KEPT else ", page cache off" if key.endswith(COLD) else ""
            limit = 30 if cold else 20  # issue 16: worked out afresh, 30× the floor (kept pages, 20×)
            checks.append(Check(f"List page vs floor ({dataset}{cold})", value, f"≤ {limit}×", None if value is None else value <= limit))
    value = _ratio(large.get("recommendation"), large.get("floor"))
    checks.append(Check("Recommendation page vs floor (large)", value, "≤ 15×", None if value is None else value <= 15))
    # Every page worked out afresh at the large size answers in under 100 ms (p50).
    for key in [key for key in large if key.endswith(COLD)] + ["recommendation", "report"]:
        timing = large.get(key)
        if timing is not None:
            answered = timing.answered and timing.p50_ms is not None
            checks.append(Check(f"{timing.label} (large): p50", None, "< 100 ms",
                                timing.p50_ms < 100 if answered else None, f"{timing.p50_ms:.1f} ms" if answered else ""))
    return checks


# --- RESULTS.md ------------------------------------------------------------------------------------

def _ms(value: float | None) -> str:
    return "—" if value is None else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


def timings_table(small: dict[str, Timing], large: dict[str, Timing], small_n: int, large_n: int) -> list[str]:
    lines = [
        f"| Request | {small_n:,}: p50 ms | p95 ms | req/s | {large_n:,}: p50 ms | p95 ms | req/s | large/small (p50) | ×floor (large) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    floor = large.get("floor")
    for key, s in small.items():
        g = large.get(key)
        ratio = _ratio(g, s)
        vs_floor = _ratio(g, floor) if key != "floor" else None
        notes = "; ".join(n for n in (s.note, g.note if g else "") if n)
        label = s.label + (f" ({notes})" if notes else "")
        lines.append(
            f"| {label} | {_ms(s.p50_ms)} | {_ms(s.p95_ms)} | {s.rps:.1f} | "
            f"{_ms(g.p50_ms if g else None)} | {_ms(g.p95_ms if g else None)} | {g.rps if g else 0:.1f} | "
            f"{'—' if ratio is None else f'{ratio:.2f}×'} | {'—' if vs_floor is None else f'{vs_floor:.1f}×'} |"
        )
    return lines


def checks_table(checks: list[Check]) -> list[str]:
    lines = ["| Check | Measured | Target | Met |", "|---|---:|---|---|"]
    for c in checks:
        value = "—" if c.value is None else f"{c.value:.2f}×"
        met = "n/a" if c.met is None else ("yes" if c.met else "**no**")
        lines.append(f"| {c.name} | {value}{' (' + c.detail + ')' if c.detail else ''} | {c.target} | {met} |")
    return lines


def to_json(obj) -> str:
    return json.dumps(obj, default=lambda o: asdict(o), indent=2)
