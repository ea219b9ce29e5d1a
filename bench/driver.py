"""The benchmark, end to end (``bench/run`` starts PostgreSQL, then runs this).

For each dataset size: create a database, migrate, generate the synthetic data (timed), run the
overdue-flag job over every row (timed; a deployment runs it daily, so pages are measured with
flags in place), start gunicorn with the production settings on loopback, and time every request
type in ``measure.request_plan`` with wrk (or the Python load generator when wrk is missing).
Then, on the largest dataset: the weekly digest for every subscriber through a local SMTP sink, and
the CSV export's peak memory at two sizes. Finally the import of the five source documents, and
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import measure
from bench.measure import DatasetInfo, Request, Timing

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def _debian_version() -> str:
    debian = Path("/etc/debian_version")
    return debian.read_text().strip() if debian.exists() else "?"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        self.today = datetime.date.today()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tracker.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
            "TRACKER_VAR_DIR": str(self.work / "var"),
            "STATIC_ROOT": str(self.work / "static"),
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        (self.work / "var").mkdir()

    # --- PostgreSQL -------------------------------------------------------------------------

    def db_url(self, name: str) -> str:
        return f"{self.args.pg_url.rstrip('/')}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(self.db_url("postgres"))
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.db_url(name)

    def pg_version(self) -> str:
        import psycopg2

        conn = psycopg2.connect(self.db_url("postgres"))
        with conn.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            buffers = cursor.fetchone()[0]
        conn.close()
        return f"{version} (shared_buffers {buffers})"

    # --- Django-side tasks in a subprocess -----------------------------------------------------

    def cache_url(self, db_url: str) -> str:
        """Each dataset's own page cache (as each deployment has its own): two datasets sharing
        one would be served each other's pages."""
        return f"filecache://{self.work / 'cache' / db_url.rsplit('/', 1)[-1]}?max_entries=5000"

    def task(self, db_url: str, *arguments: str, extra_env: dict | None = None) -> dict:
        env = {**self.env, "DATABASE_URL": db_url, "CACHE_URL": self.cache_url(db_url), **(extra_env or {})}
        done = subprocess.run(
            [PYTHON, "-m", "bench.tasks", *arguments, "--today", self.today.isoformat()],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench.tasks {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # --- gunicorn -----------------------------------------------------------------------------

    def start_gunicorn(self, db_url: str, *, cache_off: bool = False, nothing_kept: bool = False) -> tuple[subprocess.Popen, str]:
        port = free_port()
        env = {**self.env, "DATABASE_URL": db_url, "CACHE_URL": self.cache_url(db_url)}
        if cache_off or nothing_kept:
            env["PAGE_CACHE_SECONDS"] = "0"
        if nothing_kept:
            env["FILTER_CHOICES_CACHE_SECONDS"] = "0"
        process = subprocess.Popen(
            [GUNICORN, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(self.args.workers),
             "--timeout", "300", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=open(self.work / "gunicorn.log", "a"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
                    if response.status == 200:
                        return process, base
            except OSError:  # refused while starting, or slow to answer
                time.sleep(0.1)
        process.terminate()
        raise RuntimeError(f"gunicorn did not start; see {self.work / 'gunicorn.log'}")

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    # --- Measuring ----------------------------------------------------------------------------

    def single(self, base: str, request: Request, cookie: str, timeout: float) -> tuple[int | str, float]:
        headers = {"Cookie": f"sessionid={cookie}"} if request.signed_in else {}
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(urllib.request.Request(base + request.path, headers=headers), timeout=timeout) as response:
                response.read()
                status: int | str = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:  # timed out, refused, reset
            status = f"no answer ({type(error).__name__})"
        return status, time.perf_counter() - start

    def measure_one(self, base: str, request: Request, info: DatasetInfo) -> Timing:
        # One request first: checks it answers 200, warms caches, and times a request alone.
        status, alone = self.single(base, request, info.session_cookie, timeout=self.args.slow_timeout)
        if status != 200:
            timing = Timing(request.key, request.label, request.path, status=str(status),
                            note=f"no answer within {self.args.slow_timeout} s" if isinstance(status, str) else f"HTTP {status}")
            log(f"  {request.label}: {timing.note}")
            return timing
        duration = self.args.duration
        timeout = self.args.slow_timeout if request.slow else 10
        if shutil.which("wrk") and not self.args.python_load:
            command = measure.wrk_command(base, request, cookie=info.session_cookie, threads=self.args.threads,
                                          connections=self.args.connections, duration=duration, timeout=timeout)
            done = subprocess.run(command, capture_output=True, text=True)
            timing = measure.parse_wrk(done.stdout, request)
        else:
            timing = measure.python_load(base, request, cookie=info.session_cookie, connections=self.args.connections,
                                         duration=duration, max_requests=100_000, timeout=timeout)
        timing.status = "200"
        if not timing.answered:
            # Nothing completed under load: report the lone request's time instead.
            timing.p50_ms = timing.p95_ms = alone * 1000
            timing.requests = 1
            timing.note = (timing.note + "; " if timing.note else "") + "one request alone (none completed under load)"
        elif timing.errors:
            timing.note = (timing.note + "; " if timing.note else "") + f"{timing.errors} errors/timeouts"
        log(f"  {request.label}: p50 {timing.p50_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms, {timing.rps:.1f} req/s")
        return timing

    # --- The run ------------------------------------------------------------------------------

    def run(self) -> None:
        args = self.args
        log(f"work folder {self.work}")
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env={**self.env, "DATABASE_URL": "sqlite:///:memory:"}, check=True)
        datasets: dict[int, dict] = {}
        for size in args.sizes:
            log(f"dataset of {size:,} recommendations")
            db_url = self.create_database(f"bench_{size}")
            self.task(db_url, "migrate")
            prepared = self.task(db_url, "prepare", "--recommendations", str(size), "--subscribers", str(args.subscribers))
            log(f"  generated in {prepared['generate_seconds']} s")
            flags = self.task(db_url, "flags")
            log(f"  flag job: {flags}")
            datasets[size] = {"info": DatasetInfo(**prepared), "flags": flags, "db_url": db_url, "timings": {}}

        # Every dataset's server runs at once and each request type is measured on each in turn,
        # for several rounds, keeping each one's best round: the ratios then compare measurements
        # taken moments apart, so other load on the machine skews them as little as possible.
        servers = {}
        try:
            for size in args.sizes:
                servers[size] = self.start_gunicorn(datasets[size]["db_url"])
                servers[size, "cache off"] = self.start_gunicorn(datasets[size]["db_url"], cache_off=True)
                servers[size, "nothing kept"] = self.start_gunicorn(datasets[size]["db_url"], nothing_kept=True)
            self.load_before = os.getloadavg()
            plans = {size: measure.request_plan(datasets[size]["info"]) for size in args.sizes}
            for index in range(len(plans[args.sizes[0]])):
                for round_number in range(args.rounds):
                    for size in args.sizes:
                        request = plans[size][index]
                        log(f"{size:,}, round {round_number + 1}:")
                        server = servers[(size, "nothing kept") if request.nothing_kept else (size, "cache off") if request.cache_off else size]
                        timing = self.measure_one(server[1], request, datasets[size]["info"])
                        best = datasets[size]["timings"].get(request.key)
                        if best is None or (timing.answered and (not best.answered or timing.p50_ms < best.p50_ms)):
                            datasets[size]["timings"][request.key] = timing
            # Then every page once at a time, on the page-cache-off servers (measure.sweep_plan).
            for size in args.sizes:
                log(f"{size:,}: every page, one request at a time")
                info = datasets[size]["info"]
                datasets[size]["sweep"] = {
                    request.key: measure.sweep_one(servers[size, "cache off"][1], request, cookie=info.session_cookie,
                                                   repeat=args.sweep_repeat, timeout=args.slow_timeout)
                    for request in measure.sweep_plan(info)
                }
            self.load_after = os.getloadavg()
        finally:
            for process, _base in servers.values():
                self.stop(process)

        largest = max(args.sizes)
        db_url = datasets[largest]["db_url"]
        log("digest to a local SMTP sink")
        smtp_port = free_port()
        sink = subprocess.Popen(
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Sink"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        try:
            time.sleep(1)
            digest = self.task(db_url, "digest", extra_env={
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port), "SITE_URL": "http://127.0.0.1",
            })
        finally:
            self.stop(sink)
        log(f"  {digest}")

        log("CSV export peak memory")
        exports = [
            self.task(db_url, "export", "--query", f"addressee={datasets[largest]['info'].csv_addressee_slug}"),
            self.task(db_url, "export", "--query", "addressee=mayors-office-for-policing-and-crime"),
        ]
        log(f"  {exports}")

        log("importing the five source documents")
        import_url = self.create_database("bench_import")
        done = subprocess.run([PYTHON, "bench/import_sources.py", "--repeat", "3"], cwd=ROOT,
                              env={**self.env, "BENCH_DATABASE_URL": import_url}, capture_output=True, text=True, check=True)
        imports = parse_import(done.stdout)
        log(f"  {imports}")

        write_results(self, datasets, digest=digest, exports=exports, imports=imports)
        log(f"wrote {args.output}")

    def versions(self) -> dict[str, str]:
        def out(command: list[str]) -> str:
            try:
                done = subprocess.run(command, capture_output=True, text=True)
                return (done.stdout or done.stderr).strip().splitlines()[0]
            except (OSError, IndexError):
                return "not found"

        django_version = subprocess.run([PYTHON, "-c", "import django; print(django.get_version())"], capture_output=True, text=True).stdout.strip()
        gunicorn_version = subprocess.run([PYTHON, "-c", "import gunicorn; print(gunicorn.__version__)"], capture_output=True, text=True).stdout.strip()
        python_version = subprocess.run([PYTHON, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True).stdout.strip()
        return {
            "Python": python_version,
            "Django": django_version,
            "PostgreSQL": self.pg_version(),
            "gunicorn": f"{gunicorn_version} ({self.args.workers} sync workers)",
            "wrk": out(["wrk", "-v"]) if shutil.which("wrk") and not self.args.python_load else "not used (Python load generator)",
            "OS": f"{platform.system()} {platform.release()}, Debian {_debian_version()}",
        }


def parse_import(output: str) -> dict:
    best = re.search(r"parse and import:\s+best ([\d.]+) s", output)
    parse = re.search(r"parse only:\s+best ([\d.]+) s", output)
    return {"best_seconds": float(best.group(1)) if best else None, "parse_seconds": float(parse.group(1)) if parse else None}


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = names[0].strip() if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.1f} GiB memory"
    return f"{os.cpu_count()} cores ({cpu}){memory}"


def write_results(bench: Bench, datasets: dict, *, digest: dict, exports: list[dict], imports: dict) -> None:
    args = bench.args
    sizes = sorted(datasets)
    small_n, large_n = sizes[0], sizes[-1]
    small, large = datasets[small_n]["timings"], datasets[large_n]["timings"]
    flags_large = datasets[large_n]["flags"]
    checks = measure.ratio_checks(small, large)
    checks.append(measure.Check(f"Flag job over {large_n:,} recommendations (first run)", None, "< 10 s",
                                flags_large["first"]["seconds"] < 10, f"{flags_large['first']['seconds']:.2f} s"))
    checks.append(measure.Check(f"Digest for {digest['subscribers']:,} subscribers", None, "< 60 s",
                                digest["seconds"] < 60 and not digest["failed"], f"{digest['seconds']:.1f} s, {digest['sent']} sent"))
    small_export, big_export = exports
    growth = big_export["maxrss_after_mb"] - big_export["maxrss_before_mb"]
    growth_small = small_export["maxrss_after_mb"] - small_export["maxrss_before_mb"]
    checks.append(measure.Check("CSV export memory does not grow with rows", None, "flat",
                                growth <= growth_small + 20,
                                f"+{growth_small:.0f} MB for {small_export['rows']:,} rows, +{growth:.0f} MB for {big_export['rows']:,} rows"))
    checks.append(measure.Check("Generate 250,000 recommendations", None, "< 120 s",
                                datasets[large_n]["info"].generate_seconds < 120 if large_n >= 250_000 else None,
                                f"{datasets[large_n]['info'].generate_seconds:.1f} s for {large_n:,}"))
    checks.append(measure.Check("Import the five source documents", None, "< 2 s",
                                None if imports["best_seconds"] is None else imports["best_seconds"] < 2,
                                f"{imports['best_seconds']} s"))

    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC. Do not edit by hand: run it again.",
        "",
        "## Machine and versions",
        "",
        f"- Machine: {machine()}",
    ]
    lines += [f"- {name}: {value}" for name, value in bench.versions().items()]
    lines += [
        "- Settings: `tracker.settings.production` (DEBUG off), `CONN_MAX_AGE=60`, whitenoise, on loopback;"
        " PostgreSQL in a throwaway cluster (fsync off: nothing measured here writes during requests).",
        "- Page cache (`tracker/pagecache.py`): each dataset's server keeps the dashboard's and the list's content in"
        " its own file cache, as a deployment would (`CACHE_URL`); the warm-up request fills it, so the plain rows"
        " measure pages as served between writes. Rows marked \"page cache off\" come from a second server on the"
        " same database with `PAGE_CACHE_SECONDS=0`: every request worked out afresh, as for the first visitor"
        " after a write to replies or commitments, or a filter nobody asked for since; the lists' filter choices"
        " (reports, bodies, chapters) stay kept until a write to what they are read from. The row marked"
        " \"nothing kept\" comes from a third server that keeps no choices either (`FILTER_CHOICES_CACHE_SECONDS=0`):"
        " the first visitor after an import or a corrected report or recommendation.",
        f"- Load: wrk, {args.connections} connections on {args.threads} threads for {args.duration} s per request type"
        f" (timeout 10 s; {args.slow_timeout} s for exports, the calendar and the admin), after one warm-up request;"
        f" both datasets' servers up at once, each request type measured on each in turn, {args.rounds} rounds, best round kept."
        " Latencies are per request; ratios use p50.",
        f"- Load average (1, 5, 15 min) when measuring began: {', '.join(f'{x:.2f}' for x in bench.load_before)};"
        f" when it ended: {', '.join(f'{x:.2f}' for x in bench.load_after)} (other work on the machine shows here).",
        "",
        "## Datasets",
        "",
        "| Recommendations | Generated in | Reports | Replies | Commitments | Copies | Submissions | Subscribers |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        info = datasets[n]["info"]
        c = info.counts
        lines.append(
            f"| {n:,} | {info.generate_seconds:.1f} s | {c.get('reports', 0):,} | {c.get('responses', 0):,} | "
            f"{c.get('commitments', 0):,} | {c.get('recommendation appearances', 0):,} | {c.get('submissions', 0):,} | "
            f"{c.get('digest subscriptions', 0):,} |"
        )
    info = datasets[large_n]["info"]
    lines += [
        "",
        f"Generated by `manage.py generate_synthetic --recommendations N --seed 1 --anchor {bench.today.isoformat()}`"
        f" (deterministic). Requests use addressee `{info.addressee_slug}` (MOPAC), search term `{info.search_term}`,"
        f" CSV filter `addressee={info.csv_addressee_slug}`, report `{info.report_slug}`.",
        "",
        "## Requests",
        "",
    ]
    lines += measure.timings_table(small, large, small_n, large_n)
    lines += [
        "",
        "## Every page, one request at a time",
        "",
        f"Each page the tracker serves, on the page-cache-off servers, requested once to warm up and then {args.sweep_repeat} times"
        " in turn (no load): median milliseconds to the last byte, and size. Staff pages are signed in as a superuser."
        " Downloads of everything (CSV, calendar, JSON) are listed for their time and size; their target is to answer.",
        "",
    ]
    lines += measure.sweep_table(datasets[small_n]["sweep"], datasets[large_n]["sweep"], small_n, large_n)
    checks += measure.sweep_checks(datasets[large_n]["sweep"])
    lines += [
        "",
        "## Targets",
        "",
    ]
    lines += measure.checks_table(checks)
    lines += [
        "",
        "## Jobs",
        "",
        f"- Overdue-flag job, {large_n:,} recommendations: first run {flags_large['first']['seconds']:.2f} s "
        f"(raised {flags_large['first']['raised']:,}), second run {flags_large['second']['seconds']:.2f} s (raised {flags_large['second']['raised']}); "
        f"{small_n:,}: {datasets[small_n]['flags']['first']['seconds']:.2f} s.",
        f"- Weekly digest: {digest['subscribers']:,} subscribers, {digest['sent']:,} sent to a local SMTP sink (aiosmtpd) in {digest['seconds']:.1f} s"
        f" ({digest['failed']} failed).",
        f"- Import of the five source documents (`bench/import_sources.py`, PostgreSQL): best {imports['best_seconds']} s"
        f" (parse only {imports['parse_seconds']} s).",
        "",
        "## CSV export memory",
        "",
        "Each export streamed through the real view in its own process; peak RSS (ru_maxrss) before and after.",
        "",
        "| Filter | Rows | Size | Time | Peak RSS before | after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for e in exports:
        lines.append(
            f"| `{e['query']}` | {e['rows']:,} | {e['bytes'] / 1e6:.1f} MB | {e['seconds']:.1f} s"
            f" | {e['maxrss_before_mb']:.0f} MB | {e['maxrss_after_mb']:.0f} MB |"
        )
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    Path(args.output).write_text("\n".join(lines) + "\n")
    (Path(args.output).with_suffix(".json")).write_text(measure.to_json({
        "sizes": sizes,
        "timings": {n: datasets[n]["timings"] for n in sizes},
        "sweep": {n: datasets[n]["sweep"] for n in sizes},
        "flags": {n: datasets[n]["flags"] for n in sizes},
        "digest": digest, "exports": exports, "imports": imports,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg-url", required=True, help="postgres://user@host:port (databases are created under it)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[2_500, 250_000])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per request type and round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per request type (the best is kept)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--sweep-repeat", type=int, default=5, help="requests per page in the every-page sweep (after one warm-up)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--slow-timeout", type=int, default=30)
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator even if wrk is there")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    bench = Bench(parser.parse_args())
    try:
        bench.run()
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)


if __name__ == "__main__":
    main()
