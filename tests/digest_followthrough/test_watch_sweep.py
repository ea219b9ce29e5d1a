"""The daily sweep of watches (Celery beat, after the overdue flags): a watcher hears that what they
watch became overdue, and gets an email the broker lost, each once, through a real SMTP server."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.conf import settings

from alerts import tasks as alert_tasks
from alerts.services import watch_start
from recommendations.dates import DatePrecision
from responses import tasks as response_tasks
from responses.models import Assessment, ImplementationStatus
from responses.services import response_assess
from tests.factories import RecommendationFactory, ResponseFactory
from tests.jobs.test_schedule import _next_run

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def watched(db, time_machine):
    """wat@example.org watches recommendation 4, due 20 November 2026, from 1 November 2026."""
    time_machine.move_to(datetime.datetime(2026, 11, 1, 12, tzinfo=LONDON), tick=False)
    rec = RecommendationFactory(
        report__title="Policing the night-time economy",
        report__published=D(2026, 10, 1),
        number=4,
        deadline=D(2026, 11, 20),
        deadline_text="by 20 November 2026",
        deadline_precision=DatePrecision.DAY,
    )
    watch_start(email="wat@example.org", target=rec, today=D(2026, 11, 1))
    return rec


def test_an_item_the_daily_job_finds_overdue_reaches_its_watcher_once(smtp, watched, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 21, 6, 0, tzinfo=LONDON), tick=False)
    response_tasks.flag_overdue.delay()
    assert smtp.received == []  # a flag has no history record: nothing is emailed on the spot

    time_machine.move_to(datetime.datetime(2026, 11, 21, 6, 30, tzinfo=LONDON), tick=False)
    assert alert_tasks.sweep_watchers.delay().get() == 1
    [message] = smtp.to("wat@example.org")
    assert message["Subject"].strip() == "1 change to Policing the night-time economy – recommendation 4"
    assert "Became overdue" in _body(message)

    assert alert_tasks.sweep_watchers.delay().get() == 0  # the next day's sweep does not repeat it
    assert len(smtp.to("wat@example.org")) == 1


def test_a_change_whose_email_the_broker_lost_goes_on_the_next_sweep(smtp, watched, time_machine, monkeypatch, django_capture_on_commit_callbacks, caplog):
    reply = ResponseFactory(recommendation=watched, date_received=D(2026, 11, 2), text="MOPAC will review licensing.")
    smtp.received.clear()

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(alert_tasks.notify_watchers, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response_assess(
            response=reply,
            assessment=Assessment.ACCEPTED,
            rationale="It agrees.",
            implementation_status=ImplementationStatus.IN_PROGRESS,
            evidence="Published in the annual report.",
            user=None,
        )
    assert "Could not queue the watchers' emails" in caplog.text
    assert smtp.to("wat@example.org") == []

    monkeypatch.undo()
    assert alert_tasks.sweep_watchers.delay().get() >= 1
    [message] = smtp.to("wat@example.org")
    assert "Status changed" in _body(message) and "In progress" in _body(message)


def test_the_sweep_runs_daily_after_the_overdue_flags():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-watchers-daily"]
    assert entry["task"] == alert_tasks.sweep_watchers.name
    for after in (datetime.datetime(2026, 7, 1, 5, 0, tzinfo=LONDON), datetime.datetime(2026, 12, 1, 5, 0, tzinfo=LONDON)):
        assert _next_run("flag-overdue-daily", after) < _next_run("sweep-watchers-daily", after) < after + datetime.timedelta(days=1)
