"""Issue 16: a digest batch costs a fixed number of queries plus one per delivery (its outcome,
recorded as soon as its email has gone): the batch's rows are claimed in one UPDATE, and the
deliveries, subscriptions and windows are read once per batch. Claims are still per delivery:
a batch run again sends nothing twice, and a delivery another worker holds is left to it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from responses.models import DigestDelivery
from responses.services import DeliveryOutcome, digest_deliver, digest_deliver_batch, digest_deliveries_prepare, flags_refresh
from tests.factories import RecommendationFactory, ReportFactory
from tests.jobs.test_end_to_end import _overdue_recommendation
from tracker import pagecache

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def deliveries(settings, actors, subscriber):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _overdue_recommendation(actors)

    def make(count: int) -> list[int]:
        start = DigestDelivery.objects.count()
        for n in range(start, start + count):
            subscriber(f"reader{n:03d}@example.org", organisations=[actors["MOPAC"]] if n % 2 else ())
        return [d.pk for d in digest_deliveries_prepare(today=TODAY)][-count:]

    return make


def _queries(delivery_ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as queries:
        outcomes = digest_deliver_batch(delivery_ids=delivery_ids)
    assert set(outcomes.values()) == {DeliveryOutcome.SENT}
    return len(queries.captured_queries)


def test_one_more_delivery_costs_one_more_query(deliveries):
    pagecache.data_changed()  # nothing kept from before: this batch works the week's content out
    small = _queries(deliveries(4))
    pagecache.data_changed()
    large = _queries(deliveries(24))
    assert large - small == 20
    # Per batch: the claim, deliveries, subscriptions (with their bodies and reports), windows, the
    # overdue flags' state and the week's content (most of it, ``test_digest_content``), built once;
    # before issue 16's third pass each delivery took 7.
    assert small - 4 <= 24
    assert len(mail.outbox) == 28


def test_the_next_batch_in_a_worker_reuses_the_weeks_content_until_the_data_changes(deliveries, actors):
    """A worker keeps the week's content between batches (``digest_content_kept``): the next batch
    reads only its own rows. A write, or a new overdue flag, makes the next batch read it again,
    and its emails say what changed."""
    first, second, third = deliveries(3), deliveries(3), deliveries(3)
    before = _queries(first)
    kept = _queries(second)
    # The claim, the deliveries, the subscriptions with their bodies and reports, the windows, the flags' state.
    assert kept - 3 <= 7 < before - 3
    later = RecommendationFactory(report=ReportFactory(title="Stop and search"), number=1, text="MOPAC should publish the review.",
                                  deadline=TODAY - datetime.timedelta(days=2))
    later.addressees.set([actors["MOPAC"]])
    assert _queries(third) - 3 > 7
    assert "Stop and search" in mail.outbox[-1].body and "Stop and search" not in mail.outbox[0].body
    flags_refresh(today=TODAY)  # raises flags (no data version): the content is read again
    assert _queries(deliveries(2)) - 2 > 7


def test_a_batch_run_again_sends_nothing_and_leaves_a_held_delivery_alone(deliveries):
    ids = deliveries(5)
    held = ids[2]
    DigestDelivery.objects.filter(pk=held).update(status=DigestDelivery.Status.SENDING, claimed_at=timezone.now())  # another worker's
    outcomes = digest_deliver_batch(delivery_ids=ids)
    assert outcomes[held] == DeliveryOutcome.BUSY
    assert [outcomes[pk] for pk in ids if pk != held] == [DeliveryOutcome.SENT] * 4
    assert set(digest_deliver_batch(delivery_ids=ids).values()) == {DeliveryOutcome.DONE_BEFORE, DeliveryOutcome.BUSY}
    assert len(mail.outbox) == 4
    assert sorted(DigestDelivery.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == [0, 1, 1, 1, 1]


def test_claims_older_than_half_the_timeout_are_renewed_before_the_next_email(deliveries, settings, time_machine):
    settings.DIGEST_CLAIM_TIMEOUT_SECONDS = 60
    ids = deliveries(3)
    time_machine.move_to(timezone.now())
    sent, other_worker = [], []
    original = mail.EmailMultiAlternatives.send

    def slow_send(message, *args, **kwargs):
        sent.append(message.to[0])
        time_machine.shift(40)  # each email takes 40 s: the batch's first claims go stale at 60 s
        if len(sent) == 2:  # 80 s in: another worker tries the batch's last delivery
            other_worker.append(digest_deliver(delivery_id=ids[2]))
        return original(message, *args, **kwargs)

    mail.EmailMultiAlternatives.send = slow_send
    try:
        outcomes = digest_deliver_batch(delivery_ids=ids)
    finally:
        mail.EmailMultiAlternatives.send = original
    assert list(outcomes.values()) == [DeliveryOutcome.SENT] * 3
    assert other_worker == [DeliveryOutcome.BUSY]  # the claim was renewed at 40 s: still fresh at 80 s
    assert len(mail.outbox) == 3
    # Renewed, not taken again: one attempt each.
    assert list(DigestDelivery.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == [1, 1, 1]


def test_a_batch_stopped_early_gives_back_what_it_never_tried(deliveries, monkeypatch):
    from responses.services import jobs

    ids = deliveries(4)
    calls = []

    def stops_on_the_third(delivery, **kwargs):
        calls.append(delivery.pk)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the worker shutting down mid-send: this one may have gone
        return original(delivery, **kwargs)

    original = jobs._send_claimed
    monkeypatch.setattr(jobs, "_send_claimed", stops_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        digest_deliver_batch(delivery_ids=ids)
    status = dict(DigestDelivery.objects.filter(pk__in=ids).values_list("pk", "status"))
    sent, stopped, never = ids[:2], ids[2], ids[3]
    assert [status[pk] for pk in sent] == [DigestDelivery.Status.SENT] * 2
    assert status[stopped] == DigestDelivery.Status.SENDING  # left claimed: sent again only once stale
    assert status[never] == DigestDelivery.Status.PENDING  # given back at once, its attempt undone
    assert DigestDelivery.objects.get(pk=never).attempts == 0
    assert digest_deliver_batch(delivery_ids=ids)[never] == DeliveryOutcome.SENT
