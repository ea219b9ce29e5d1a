"""Keeps the benchmark (``bench/run``) from rotting: the same preparation, request plan, load
generator, job timings, export measurement and reporting, on a tiny dataset against the live test
server (the Python load generator stands in for wrk; the bench itself needs PostgreSQL, gunicorn
and wrk). Runs on whichever database the suite runs on. Asserts that everything answers, not how
fast: timings belong in the benchmark."""

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


def test_every_request_the_bench_times_answers_under_load(live_server, dataset):
    small, large = {}, {}
    for request in measure.request_plan(dataset):
        timing = measure.python_load(live_server.url, request, cookie=dataset.session_cookie,
                                     connections=2, duration=0.5, max_requests=6)
        assert timing.answered and timing.errors == 0, (request.path, timing.note)
        assert timing.p50_ms <= timing.p95_ms
        small[request.key] = timing
        large[request.key] = timing
    checks = measure.ratio_checks(small, large)
    assert {c.name for c in checks} >= {"List page vs floor (large)", "Dashboard: large vs small"}
    assert all(c.value is not None for c in checks)
    table = "\n".join(measure.timings_table(small, large, 120, 120) + measure.checks_table(checks))
    assert "Admin changelist search" in table and "| Check |" in table


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
    command = measure.wrk_command("http://127.0.0.1:1", measure.Request("a", "A", "/admin/", signed_in=True),
                                  cookie="abc", threads=2, connections=4, duration=10, timeout=30)
    assert "Cookie: sessionid=abc" in command and command[-1] == "http://127.0.0.1:1/admin/"
    output = "documents: 5, runs: 3\nparse only:        best 0.101 s, worst 0.2 s\nparse and import:  best 0.412 s, worst 0.5 s (target < 2 s)\n"
    assert parse_import(output) == {"best_seconds": 0.412, "parse_seconds": 0.101}
    assert measure.percentile([1, 2, 3, 4], 50) == 2 and measure.percentile([5], 95) == 5
