"""Celery tasks for alerts: thin wrappers that read ``today`` once and call a service."""

from __future__ import annotations

import smtplib

from celery import shared_task

from tracker import clock

from . import services


@shared_task(
    name="alerts.notify_watchers",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=8,
)
def notify_watchers(recommendation_ids=(), report_ids=()) -> int:
    """Email the watchers of these recommendations and reports what changed; returns how many changes went."""
    return services.watchers_notify(recommendation_ids=recommendation_ids, report_ids=report_ids, today=clock.today())


@shared_task(
    name="alerts.sweep_watchers",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=8,
)
def sweep_watchers() -> int:
    """Daily, after the overdue flags: email every watcher what they have not been told (see
    ``services.watchers_notify_all``); returns how many changes went."""
    return services.watchers_notify_all(today=clock.today())
