"""Benchmark (issue 16): the weekly digest to N subscribers through a real Redis broker and 1, 2 and
4 real Celery workers, to a local SMTP sink (aiosmtpd) that accepts every message.

    .venv/bin/python bench/digest_fanout.py --database-url postgres://postgres@127.0.0.1:54329/<bench db> \\
        --redis-url redis://127.0.0.1:63790/<db> --subscribers 10000 --workers 1,2,4

The database gets 2,500 synthetic recommendations and the subscribers once (a database of its own:
it is written to). Each round deletes the week's delivery records, starts the workers, queues
``send_weekly_digest`` and times until every delivery is recorded sent, and reads the CPU time the
workers used (``/proc``): emails per worker CPU-second that stay the same as workers are added mean
the work splits evenly, and the wall time then follows the cores there are. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = datetime.date(2026, 11, 23)  # a Monday


class Sink:
    """Accepts every message and counts it."""

    received = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.received += 1
        return "250 OK"


def _setup(database_url: str, redis_url: str, var: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="tracker.settings.local", DATABASE_URL=database_url, CELERY_BROKER_URL=redis_url, TRACKER_VAR_DIR=var)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare(subscribers: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from importer.synthetic import synthetic_dataset_generate

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(email__startswith="subscriber").exists():  # one dataset per database
        synthetic_dataset_generate(recommendations=2500, seed=16, anchor=ANCHOR, subscribers=subscribers)


def _workers(count: int, env: dict, log_folder: Path) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool", "solo", "--loglevel", "WARNING",
               "--without-heartbeat", "--without-gossip", "--without-mingle"]  # fmt: skip
    return [
        subprocess.Popen(
            [*command, "--hostname", f"bench{n}-{uuid.uuid4().hex[:6]}@%h"],
            cwd=ROOT,
            env=env,
            stdout=(log_folder / f"worker{n}.log").open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for n in range(count)
    ]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14 and 15)


def _round(workers: int, *, redis_url: str, smtp_port: int, database_url: str, var: str, batch_size: int) -> tuple[float, int, float]:
    from celery import Celery

    from responses.models import DigestDelivery

    DigestDelivery.objects.all().delete()
    queue = f"bench-digest-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "bench.digest_worker_settings", "CELERY_BROKER_URL": redis_url,
           "CELERY_TASK_DEFAULT_QUEUE": queue, "DATABASE_URL": database_url, "TRACKER_VAR_DIR": var, "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp_port), "DIGEST_BATCH_SIZE": str(batch_size)}  # fmt: skip
    processes = _workers(workers, env, Path(var))
    client = Celery("bench", broker=redis_url)
    try:
        time.sleep(4)  # the workers start (imports, connections) before the clock starts
        cpu_before = sum(_cpu_seconds(process.pid) for process in processes)
        Sink.received = 0
        start = time.perf_counter()
        client.send_task("responses.send_weekly_digest", kwargs={"today": ANCHOR.isoformat()}, queue=queue)
        expected = None
        while True:
            time.sleep(0.25)
            if expected is None and DigestDelivery.objects.exists():
                time.sleep(0.5)
                expected = DigestDelivery.objects.count()
            done = DigestDelivery.objects.exclude(status__in=[DigestDelivery.Status.PENDING, DigestDelivery.Status.SENDING]).count()
            if expected and done >= expected:
                return time.perf_counter() - start, Sink.received, sum(_cpu_seconds(process.pid) for process in processes) - cpu_before
            if time.perf_counter() - start > 1800:
                raise SystemExit("gave up after 30 minutes")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="tracker-bench-fanout-")
    _setup(args.database_url, args.redis_url, var)
    _prepare(args.subscribers)
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command otherwise
    controller = Controller(Sink(), hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    print(f"{os.cpu_count()} CPU cores; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    try:
        for workers in [int(n) for n in args.workers.split(",")]:
            seconds, sent, cpu = _round(workers, redis_url=args.redis_url, smtp_port=port, database_url=args.database_url, var=var, batch_size=args.batch_size)
            print(f"{workers} worker(s): {sent:,} emails in {seconds:.1f} s ({sent / seconds:.0f}/s);"
                  f" the workers used {cpu:.1f} CPU-seconds ({sent / cpu if cpu else 0:.0f} emails per worker CPU-second)", flush=True)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
