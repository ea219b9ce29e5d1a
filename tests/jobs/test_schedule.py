"""When the jobs run: flags daily at 06:00 and the digest on Mondays at 08:00, London time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tracker.celery import app

LONDON = ZoneInfo("Europe/London")


def _next_run(entry: str, after: datetime.datetime) -> datetime.datetime:
    """The first minute after ``after`` (London time) at which beat would run the entry."""
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]["schedule"]
    schedule.app = app
    moment = after.replace(second=0, microsecond=0)
    for _ in range(8 * 24 * 60):
        moment += datetime.timedelta(minutes=1)
        if (
            moment.minute in schedule.minute
            and moment.hour in schedule.hour
            and moment.isoweekday() % 7 in schedule.day_of_week
        ):
            return moment
    raise AssertionError("never runs")


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Summer time (BST) and winter (GMT): 06:00 on the London clock either way.
        (datetime.datetime(2026, 7, 1, 6, 0, tzinfo=LONDON), datetime.datetime(2026, 7, 2, 6, 0, tzinfo=LONDON)),
        (datetime.datetime(2026, 11, 22, 5, 30, tzinfo=LONDON), datetime.datetime(2026, 11, 22, 6, 0, tzinfo=LONDON)),
    ],
)
def test_overdue_flags_are_refreshed_daily_at_six(after, expected):
    assert settings.CELERY_BEAT_SCHEDULE["flag-overdue-daily"]["task"] == "responses.flag_overdue"
    assert _next_run("flag-overdue-daily", after) == expected


def test_the_digest_goes_on_monday_at_eight_in_london_time():
    assert settings.CELERY_BEAT_SCHEDULE["send-digest-weekly"]["task"] == "responses.send_weekly_digest"
    sunday = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=LONDON)
    assert _next_run("send-digest-weekly", sunday) == datetime.datetime(2026, 11, 23, 8, 0, tzinfo=LONDON)
    assert str(app.timezone) == "Europe/London"


def test_the_scheduled_tasks_exist():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
