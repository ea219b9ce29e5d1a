"""Celery tasks: thin wrappers that read ``today`` once and call a service.

Scheduled in ``CELERY_BEAT_SCHEDULE`` (settings): ``flag_overdue`` daily at 06:00 and
``send_weekly_digest`` on Mondays at 08:00, London time. ``send_weekly_digest`` records this week's
deliveries and queues one ``deliver_digest`` per subscriber, so one subscriber's SMTP trouble is
retried with backoff on its own without holding up (or resending) anyone else's.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, IntegrityError
from kombu.exceptions import OperationalError as BrokerError

from tracker import clock
from tracker.commands import first_line

from . import services

logger = logging.getLogger(__name__)

# Run after each day's flags with that day: the public pages register storing the dashboard's
# counts and working out its page (pages/apps.py), so this app renders none of their pages.
AFTER_DAILY_FLAGS: list[Callable[[datetime.date], None]] = []


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else clock.today()


# Two runs at once take turns (flags_refresh takes a lock); the retry on the one-open-flag
# constraint is only a backstop for a run that bypassed it.
@shared_task(name="responses.flag_overdue", autoretry_for=(IntegrityError,), max_retries=3, default_retry_delay=30)
def flag_overdue(today: str | None = None) -> str:
    """Raise and resolve overdue flags for ``today`` (ISO date; default: today in London), then
    work out the day's dashboard into the page cache, so its first visitor does not wait."""
    day = _day(today)
    result = services.flags_refresh(today=day)
    for after in AFTER_DAILY_FLAGS:
        after(day)
    return str(result)


@shared_task(name="responses.send_weekly_digest")
def send_weekly_digest(today: str | None = None) -> int:
    """Record this ISO week's digest deliveries and queue each one not yet sent; returns how many
    were queued. With the broker down the rest stay recorded as pending (logged in one line)."""
    deliveries = services.digest_deliveries_prepare(today=_day(today))
    size = settings.DIGEST_BATCH_SIZE
    for queued in range(0, len(deliveries), size):
        try:
            deliver_digest_batch.delay([delivery.pk for delivery in deliveries[queued : queued + size]])
        except BrokerError as error:
            # The deliveries are recorded: nothing is lost, so say so in one line, not a traceback.
            logger.error(
                "The Celery broker is unavailable (%s): %d of %d digests were not queued; they stay "
                "pending and go when this task runs again or `manage.py send_digest --commit` is run.",
                first_line(error), len(deliveries) - queued, len(deliveries),
            )
            return queued
    return len(deliveries)


@shared_task(
    bind=True,
    name="responses.deliver_digest",
    autoretry_for=(smtplib.SMTPException, OSError),  # OSError: refused, reset, timed out
    retry_backoff=settings.DIGEST_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=settings.DIGEST_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=settings.DIGEST_MAX_RETRIES,
)
def deliver_digest(self, delivery_id: int) -> str:
    """Send one subscriber's digest unless it has been sent. Failures are recorded on the delivery
    and logged by the service, then retried here with exponential backoff; after the last retry the
    delivery stays ``failed`` (visible in the admin, and ``send_digest`` sends it when run again)."""
    outcome = services.digest_deliver(delivery_id=delivery_id)
    if outcome == services.DeliveryOutcome.BUSY:
        # Another worker claimed it. Look again once that claim would have gone stale: if that
        # worker died before sending, this delivery is still sent, not dropped.
        raise self.retry(countdown=settings.DIGEST_CLAIM_TIMEOUT_SECONDS + 1)
    return str(outcome)


@shared_task(name="responses.deliver_digest_batch", autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def deliver_digest_batch(delivery_ids: list[int]) -> str:
    """Send a batch of the week's deliveries: the content built once, one SMTP session. Each is
    claimed before it is sent, so running a batch again (a retry, a redelivery after a worker died:
    ``CELERY_TASK_ACKS_LATE``) sends only what nobody sent. A delivery that failed, or that another
    worker holds, goes on as its own ``deliver_digest`` task, with that task's retries."""
    outcomes = services.digest_deliver_batch(delivery_ids=delivery_ids)
    again = {
        delivery_id: settings.DIGEST_RETRY_BACKOFF_SECONDS if isinstance(outcome, Exception) else settings.DIGEST_CLAIM_TIMEOUT_SECONDS + 1
        for delivery_id, outcome in outcomes.items()
        if isinstance(outcome, Exception) or outcome == services.DeliveryOutcome.BUSY
    }
    for delivery_id, countdown in again.items():
        try:
            # The batch made the first attempt: the single task has the retries left (``retries=1``).
            deliver_digest.apply_async((delivery_id,), countdown=countdown, retries=1)
        except BrokerError as error:  # recorded as failed or pending: the next weekly run sends it
            logger.error("The Celery broker is unavailable (%s): digest delivery %d is left for the next run.", first_line(error), delivery_id)
    sent = sum(outcome == services.DeliveryOutcome.SENT for outcome in outcomes.values())
    return f"{sent} sent, {len(again)} left to single retries, of {len(delivery_ids)}"
