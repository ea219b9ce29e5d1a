"""A task goes through a real broker to a real Celery worker in its own process, which reads the
test's database and sends the digest to the test's SMTP server.

The broker is Redis when ``REDIS_URL`` is set (``.ci/run`` starts one) and otherwise kombu's
filesystem broker in a temporary folder: the test runs either way, never skipped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from recommendations.dates import DatePrecision
from responses.models import DigestDelivery, OverdueFlag
from tests.factories import RecommendationFactory, ReportFactory

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 90  # how long to wait for the worker before failing with its log; not a timing assertion


def _database_url() -> str:
    db = connection.settings_dict  # after setup, NAME is the test database's
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    assert connection.vendor == "postgresql"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker(tmp_path):
    """(broker URL, transport options, queue): Redis when REDIS_URL is set, else a folder."""
    queue = f"tracker-e2e-{uuid.uuid4().hex[:12]}"
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        yield redis_url, {}, queue
        import redis

        client = redis.Redis.from_url(redis_url)
        client.delete(queue, *client.scan_iter(f"*{queue}*"))
        client.close()
        return
    folders = {name: tmp_path / "celery" / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    # The same folders tracker/settings/base.py derives from TRACKER_VAR_DIR for the worker.
    yield "filesystem://", {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }, queue


@pytest.fixture
def worker(broker, smtp_server, tmp_path, site_url):
    """A real ``celery worker`` process on the broker, the test database and the test's SMTP
    server; yields a function that sends a task to it by name."""
    url, transport_options, queue = broker
    controller, _handler = smtp_server
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "TRACKER_VAR_DIR": str(tmp_path),
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": controller.hostname,
        "EMAIL_PORT": str(controller.port),
        "SITE_URL": site_url,
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    client = Celery("e2e-client", broker=url)
    client.conf.broker_transport_options = transport_options

    def send(name: str, **kwargs) -> None:
        client.send_task(name, kwargs=kwargs, queue=queue)

    send.log = log
    send.process = process
    try:
        yield send
    finally:
        process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then stop
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        client.close()
        connection.close()  # the worker's writes are committed; start the teardown afresh


def _wait_for(condition, worker) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"The worker did not finish the job. Its log:\n{worker.log.read_text()}")


def _overdue_recommendation(actors):
    rec = RecommendationFactory(
        report=ReportFactory(published=None, title="Domestic abuse"),
        number=4,
        text="MOPAC should report back to this Committee, by May 2020, on training.",
        deadline="2020-05-31",
        deadline_text="by May 2020",
        deadline_precision=DatePrecision.MONTH,
    )
    rec.addressees.set([actors["MOPAC"]])
    return rec


@pytest.mark.django_db(transaction=True)
def test_the_daily_flag_task_runs_in_a_real_worker_through_the_broker(worker, actors):
    rec = _overdue_recommendation(actors)

    worker("responses.flag_overdue", today="2026-11-22")
    _wait_for(lambda: OverdueFlag.objects.filter(recommendation=rec).exists(), worker)

    flag = OverdueFlag.objects.get(recommendation=rec)
    assert (str(flag.raised_on), flag.is_open) == ("2026-11-22", True)
    # The recommendation, and the Mayor's reply to its report of unknown publication date, due
    # by 31 July 2020 at the latest (two months after its deadline).
    assert "raised 2, resolved 0, open 2" in worker.log.read_text()


@pytest.mark.django_db(transaction=True)
def test_the_weekly_digest_goes_from_broker_to_worker_to_smtp_once_retrying_a_refusal(
    worker, smtp_server, actors, subscriber, site_url
):
    _controller, smtp = smtp_server
    _overdue_recommendation(actors)
    subscriber("ann@example.org")
    subscriber("bob@example.org")
    smtp.refuse_next = 1  # the first message is refused: the worker must retry it through the broker

    worker("responses.send_weekly_digest", today="2026-11-23")
    _wait_for(lambda: DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count() == 2, worker)

    # Run the weekly task again: the deliveries are recorded as sent, so nothing more goes out.
    worker("responses.send_weekly_digest", today="2026-11-23")
    worker("responses.flag_overdue", today="2026-11-23")  # queued behind it: once this is done, so is that
    _wait_for(lambda: OverdueFlag.objects.exists(), worker)

    assert smtp.refused == 1
    assert sorted(rcpt for rcpts, _ in smtp.received for rcpt in rcpts) == ["ann@example.org", "bob@example.org"]
    text = smtp.received[0][1].get_body(("plain",)).get_content()
    # Overdue for years: summarised with a link to the list, not relisted.
    assert "Overdue for longer: 1 item" in text and site_url + "/recommendations/?status=overdue" in text
    assert sorted(DigestDelivery.objects.values_list("attempts", flat=True)) == [1, 2]
    assert "failed on attempt 1" in worker.log.read_text()
