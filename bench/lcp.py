"""Benchmark (issue 16): Largest Contentful Paint of the list and recommendation pages in Chromium,
a Lighthouse-style check on loopback (target: under 1 s at 250,000 recommendations).

    .venv/bin/python bench/lcp.py --database-url postgres://postgres@127.0.0.1:54329/<bench db> \\
        [--path /recommendations/ --path /recommendations/1/] [--repeat 5] [--cache-off]

Serves the app as the bench does (gunicorn, production settings, static files collected, on a free
loopback port), then loads each page ``--repeat`` times in a fresh browser context (no HTTP cache,
no cookies: a first visit) with Debian's Chromium (``/usr/bin/chromium``, never a downloaded
browser) and reads, from the page itself:

- ``largest-contentful-paint``: a ``PerformanceObserver`` with ``buffered: true`` (the last entry
  is the LCP; nothing is typed or clicked, so it is final when read);
- the navigation timing: time to first byte, DOMContentLoaded, load; and the HTML's size.

``--cache-off`` runs the server with ``PAGE_CACHE_SECONDS=0`` (every page worked out afresh: the
cold path); otherwise the first load fills the page cache and the others are served from it.
Prints one JSON line per page (medians, milliseconds) and a Markdown table. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
CHROMIUM = "/usr/bin/chromium"

# Reads what the page recorded: the buffered LCP entries (the last is the largest so far) and the
# navigation entry. Evaluated through the DevTools protocol, so the site's CSP stays as it is.
READ_TIMINGS = """() => new Promise((resolve) => {
    const navigation = performance.getEntriesByType('navigation')[0];
    new PerformanceObserver((list) => {
        const entries = list.getEntries();
        const last = entries[entries.length - 1];
        resolve({
            lcp: last.startTime,
            lcp_element: last.element ? last.element.tagName.toLowerCase() + (last.element.id ? '#' + last.element.id : '') : '',
            lcp_size: last.size,
            ttfb: navigation.responseStart,
            dom_content_loaded: navigation.domContentLoadedEventEnd,
            load: navigation.loadEventEnd,
            html_bytes: navigation.decodedBodySize,
        });
    }).observe({type: 'largest-contentful-paint', buffered: true});
})"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(database_url: str, work: Path, *, cache_off: bool, workers: int) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
        "TRACKER_VAR_DIR": str(work / "var"),
        "STATIC_ROOT": str(work / "static"),
        "CACHE_URL": f"filecache://{work / 'cache'}",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",  # as bench/run serves: a connection per worker, not per request
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    if cache_off:
        env["PAGE_CACHE_SECONDS"] = "0"
    (work / "var").mkdir(exist_ok=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env={**env, "DATABASE_URL": "sqlite:///:memory:"}, check=True)
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=open(work / "gunicorn.log", "a"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
                if response.status == 200:
                    return process, base
        except OSError:  # refused while starting
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"gunicorn did not start; see {work / 'gunicorn.log'}")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass


def measure(browser, url: str, repeat: int, *, warm_up: int = 2) -> dict:
    """Median timings of ``repeat`` first visits, after ``warm_up`` visits not counted (each gunicorn
    worker's first request imports and connects)."""
    runs = []
    for attempt in range(warm_up + repeat):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            raise RuntimeError(f"{url} answered {response.status if response else 'nothing'}")
        timings = page.evaluate(READ_TIMINGS)
        context.close()
        if attempt >= warm_up:
            runs.append(timings)
    numbers = ("lcp", "ttfb", "dom_content_loaded", "load", "html_bytes")
    summary = {key: round(statistics.median(run[key] for run in runs), 1) for key in numbers}
    summary["lcp_max"] = round(max(run["lcp"] for run in runs), 1)
    summary["lcp_element"] = runs[-1]["lcp_element"]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--path", action="append", help="page to load (repeatable); default: the list and recommendation 1")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache-off", action="store_true", help="PAGE_CACHE_SECONDS=0: every page worked out afresh")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    paths = args.path or ["/recommendations/", "/recommendations/1/"]

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="tracker-lcp-"))
    process, base = serve(args.database_url, work, cache_off=args.cache_off, workers=args.workers)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                for path in paths:
                    results[path] = measure(browser, base + path, args.repeat)
                    print(json.dumps({"path": path, "cache_off": args.cache_off, **results[path]}), flush=True)
            finally:
                browser.close()
    finally:
        stop(process)
    print("\n| Page | LCP p50 (max) | TTFB | DOMContentLoaded | load | HTML |")
    print("|---|---:|---:|---:|---:|---:|")
    for path, r in results.items():
        print(
            f"| `{path}` | {r['lcp']:.0f} ms ({r['lcp_max']:.0f}) | {r['ttfb']:.0f} ms | {r['dom_content_loaded']:.0f} ms | "
            f"{r['load']:.0f} ms | {r['html_bytes'] / 1024:.0f} KB |"
        )


if __name__ == "__main__":
    main()
