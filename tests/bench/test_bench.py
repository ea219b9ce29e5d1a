"""Keeps the benchmark (``bench/run``) from rotting: the same preparation, request plan, load
generator, job timings, export measurement and reporting, on a tiny dataset against the live test
server (the Python load generator stands in for wrk; the bench itself needs PostgreSQL, gunicorn
and wrk). Runs on whichever database the suite runs on. Asserts that everything answers, not how
fast: timings belong in the benchmark."""

import dataclasses

import pytest

from bench import measure, tasks
from bench.driver import parse_import
from tracker import clock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dataset(settings):
    settings.DIGEST_SEND_WHEN_EMPTY = True  # every subscriber gets an email, whatever the dates
    info = tasks.prepare(recommendations=120, anchor=clock.today(), subscribers=12, vacuum=False)
    return measure.DatasetInfo(**info)


def _measure_plan(url: str, dataset: measure.DatasetInfo) -> dict[str, measure.Timing]:
    timings = {}
    for request in measure.request_plan(dataset):
        timing = measure.python_load(url, request, cookie=dataset.session_cookie, connections=2, duration=0.5, max_requests=6)
        assert timing.answered and timing.errors == 0, (request.path, timing.note)
        assert timing.p50_ms <= timing.p95_ms
        timings[request.key] = timing
    return timings


def test_every_request_the_bench_times_answers_under_load(live_server, dataset):
    # "small" and "large" are two runs over different amounts of data, as in bench/run: the
    # second after a second synthetic dataset three times the size has been added.
    small = _measure_plan(live_server.url, dataset)
    tasks.prepare(recommendations=360, anchor=clock.today(), seed=2, subscribers=1, vacuum=False)
    large = _measure_plan(live_server.url, dataset)
    assert set(small) == set(large) and all(small[key] is not large[key] for key in small)

    checks = {c.name: c for c in measure.ratio_checks(small, large)}
    assert {"List page vs floor (large)", "List page vs floor (small)", "Dashboard: large vs small"} <= set(checks)
    assert all(c.value is not None for c in checks.values() if c.target != "< 100 ms")  # those give milliseconds
    assert all(c.met is not None for c in checks.values())
    # Each ratio divides the large run's figure by the small run's (or by the floor of the same run).
    assert checks["Dashboard: large vs small"].value == large["dashboard"].p50_ms / small["dashboard"].p50_ms
    assert checks["List page vs floor (small)"].value == small["list"].p50_ms / small["floor"].p50_ms
    assert checks["List page vs floor (large)"].value == large["list"].p50_ms / large["floor"].p50_ms
    table = "\n".join(measure.timings_table(small, large, 120, 480) + measure.checks_table(checks.values()))
    assert "Admin changelist search" in table and "| Check |" in table and "480: p50 ms" in table


def _timing(key: str, p50: float) -> measure.Timing:
    return measure.Timing(key=key, label=key.title(), path=f"/{key}/", requests=10, p50_ms=p50, p95_ms=p50 * 2)


def test_the_ratio_checks_compare_the_large_run_with_the_small_one():
    """A page three times slower on the large dataset misses its target; one barely slower meets it."""
    small = {"floor": _timing("floor", 1.0), "list": _timing("list", 10.0), "dashboard": _timing("dashboard", 10.0)}
    large = {"floor": _timing("floor", 1.0), "list": _timing("list", 12.0), "dashboard": _timing("dashboard", 30.0)}
    checks = {c.name: c for c in measure.ratio_checks(small, large)}
    assert (checks["Dashboard: large vs small"].value, checks["Dashboard: large vs small"].met) == (3.0, False)
    assert (checks["List: large vs small"].value, checks["List: large vs small"].met) == (1.2, True)
    assert (checks["List page vs floor (small)"].value, checks["List page vs floor (large)"].value) == (10.0, 12.0)


def test_the_cold_path_targets_of_issue_16():
    """Worked out afresh: a list 40 times the floor and a recommendation page 20 times miss their
    targets (30× and 15×), a cold page of 120 ms misses "under 100 ms"; 25× and 12× meet them."""
    def run(list_ms, recommendation_ms):
        return {
            "floor": _timing("floor", 1.0),
            "list": _timing("list", 5.0),
            "list_cold": _timing("list_cold", list_ms),
            "recommendation": _timing("recommendation", recommendation_ms),
        }

    slow = {c.name: c for c in measure.ratio_checks(run(40.0, 20.0), run(40.0, 20.0))}
    assert slow["List page vs floor (large, page cache off)"].met is False
    assert slow["Recommendation page vs floor (large)"].met is False
    fast = {c.name: c for c in measure.ratio_checks(run(25.0, 12.0), run(25.0, 12.0))}
    assert fast["List page vs floor (large, page cache off)"].met is True
    assert fast["Recommendation page vs floor (large)"].met is True
    assert fast["List_Cold (large): p50"].met is True
    too_slow = {c.name: c for c in measure.ratio_checks(run(25.0, 12.0), run(120.0, 12.0))}
    assert too_slow["List_Cold (large): p50"].met is False and too_slow["List_Cold (large): p50"].detail == "120.0 ms"


def test_jobs_and_the_export_are_measured(dataset, mailoutbox):
    flags = tasks.flag_job(today=clock.today())
    assert flags["first"]["raised"] > 0 and flags["second"]["raised"] == 0
    digest = tasks.digest(today=clock.today())
    assert digest["subscribers"] == 12 and digest["failed"] == 0
    assert digest["sent"] == len(mailoutbox) > 0
    export = tasks.export_memory(query=f"addressee={dataset.addressee_slug}")
    assert export["status"] == 200 and export["rows"] > 10
    assert export["maxrss_after_mb"] >= export["maxrss_before_mb"] > 0


def test_wrk_and_import_reports_are_parsed():
    request = measure.Request("list", "List", "/recommendations/")
    line = '{"bench": {"requests": 40, "rps": 19.5, "p50_us": 48000, "p95_us": 90000, "max_us": 1, "errors": 1, "timeouts": 0, "status_errors": 1}}'
    timing = measure.parse_wrk("Running 2s test\n" + line + "\n", request)
    assert (timing.requests, timing.p50_ms, timing.p95_ms, timing.errors) == (40, 48.0, 90.0, 1)
    assert not measure.parse_wrk("no report", request).answered
    command = measure.wrk_command(
        "http://127.0.0.1:1", measure.Request("a", "A", "/admin/", signed_in=True), cookie="abc", threads=2, connections=4, duration=10, timeout=30
    )
    assert "Cookie: sessionid=abc" in command and command[-1] == "http://127.0.0.1:1/admin/"
    output = "documents: 5, runs: 3\nparse only:        best 0.101 s, worst 0.2 s\nparse and import:  best 0.412 s, worst 0.5 s (target < 2 s)\n"
    assert parse_import(output) == {"best_seconds": 0.412, "parse_seconds": 0.101}
    assert measure.percentile([1, 2, 3, 4], 50) == 2 and measure.percentile([5], 95) == 5


def test_every_page_of_the_sweep_answers_for_readers_and_staff(live_server, dataset):
    """The every-page sweep opens each page the tracker serves (signed in as the superuser for the
    staff pages), and each answers 200 with a body, its time and size recorded."""
    plan = measure.sweep_plan(dataset)
    assert len({request.path for request in plan}) == len(plan)  # no page twice
    assert {"/documents/", "/changes/", "/manage/replies/new/", "/subscribe/"} <= {request.path for request in plan}
    swept = {request.key: measure.sweep_one(live_server.url, request, cookie=dataset.session_cookie, repeat=2, timeout=60) for request in plan}
    refused = {t.path: t.status for t in swept.values() if t.status != "200"}
    assert not refused
    assert all(t.p50_ms is not None and t.kilobytes > 0 for t in swept.values())
    table = "\n".join(measure.sweep_table(swept, swept, 120, 120))
    assert table.count("\n") == len(plan) + 1 and "(download)" in table


def test_the_sweep_puts_a_page_of_each_size_side_by_side_though_their_slugs_differ(dataset):
    """Each dataset has its own report slug and ids: the table still gives one row per page, with
    both sizes' figures (it showed the large size as missing for every page with a slug)."""

    def timed(info, ms):
        return {r.key: measure.PageTiming(r.key, r.label, r.path, r.download, "200", ms, 5.0) for r in measure.sweep_plan(info)}

    small = timed(dataset, 10.0)
    large = timed(dataclasses.replace(dataset, report_slug="another-report", recommendation_id=dataset.recommendation_id + 1000), 20.0)
    rows = measure.sweep_table(small, large, 2500, 250000)[2:]
    assert len(rows) == len(small) and all("2.00×" in row for row in rows)
    report_row = next(row for row in rows if row.startswith("| Report page:"))
    assert f"`/reports/{dataset.report_slug}/`, `/reports/another-report/`" in report_row


def test_the_sweep_flags_a_slow_or_heavy_page_but_not_a_big_download():
    def page(path: str, ms: float, kb: float, *, download: bool = False, status: str = "200") -> measure.PageTiming:
        return measure.PageTiming(f"sweep:{path}", path, path, download, status, ms, kb)

    fine = {t.key: t for t in (page("/a/", 20, 30), page("/all.csv", 4000, 9000, download=True))}
    assert all(check.met for check in measure.sweep_checks(fine))
    slow, heavy, broken = (
        measure.sweep_checks({**fine, "x": page("/x/", 150, 30)}),
        measure.sweep_checks({**fine, "x": page("/x/", 20, 400)}),
        measure.sweep_checks({**fine, "x": page("/all.ics", None, None, download=True, status="no answer within 60 s")}),
    )
    assert [c.met for c in slow] == [False, True, True] and "/x/ (150 ms, 30 KB)" in slow[0].detail
    assert [c.met for c in heavy] == [True, False, True]
    assert [c.met for c in broken] == [True, True, False] and "no answer within 60 s" in broken[2].detail
