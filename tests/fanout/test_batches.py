"""Issue 16: the weekly digest goes out as batch tasks (``deliver_digest_batch``: the week's content
built once, one SMTP session per batch) spread across Celery workers, and still exactly once per
subscriber per week: with a real worker, a refused message retried through the broker, and every
batch task run twice (as a retried or redelivered task would be)."""

from __future__ import annotations

import pytest

from responses.models import DigestDelivery
from tests.jobs.test_end_to_end import _overdue_recommendation, _wait_for

SUBSCRIBERS = 11
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batches_of_three(monkeypatch):
    monkeypatch.setenv("DIGEST_BATCH_SIZE", "3")  # read by the worker's settings: 4 batches for 11 people


def _addresses() -> list[str]:
    return [f"subscriber{n:02d}@example.org" for n in range(SUBSCRIBERS)]


def test_every_subscriber_gets_one_digest_when_batches_run_twice_and_a_message_is_refused(batches_of_three, worker, smtp_server, actors, subscriber):
    _controller, smtp = smtp_server
    _overdue_recommendation(actors)
    for address in _addresses():
        subscriber(address)
    smtp.refuse_next = 2  # two messages refused: those two go on as single tasks and are retried

    worker("responses.send_weekly_digest", today="2026-11-23")
    _wait_for(lambda: DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count() == SUBSCRIBERS, worker)
    # Every batch again, as a retry or a redelivery after a lost worker would run it.
    ids = list(DigestDelivery.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 3):
        worker("responses.deliver_digest_batch", delivery_ids=ids[start : start + 3])
    worker("responses.send_weekly_digest", today="2026-11-23")  # and the weekly task itself
    worker("responses.flag_overdue", today="2026-11-23")  # queued behind them: once it has run, so have they
    _wait_for(lambda: "responses.flag_overdue" in worker.log.read_text() and "succeeded" in worker.log.read_text().split("responses.flag_overdue")[-1], worker)

    received = sorted(rcpt for rcpts, _ in smtp.received for rcpt in rcpts)
    assert received == _addresses()  # each once, nobody twice
    assert smtp.refused == 2
    assert sorted(DigestDelivery.objects.values_list("attempts", flat=True)) == [1] * (SUBSCRIBERS - 2) + [2, 2]
    log = worker.log.read_text()
    assert log.count("responses.deliver_digest_batch") >= 8  # the batches ran (4 queued by the weekly task, 4 by hand)
    # Each email carries the same week's digest (the overdue recommendation), whichever batch sent it.
    subjects = {message["Subject"] for _, message in smtp.received}
    assert len(subjects) == 1 and "2 still overdue" in subjects.pop()  # the recommendation and its report's reply
