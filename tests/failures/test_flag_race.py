"""Two overdue-flag runs at once (the daily job and someone running ``flag_overdue`` by hand): the
second waits for the first and raises nothing, rather than failing on the one-open-flag index."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from recommendations.dates import DatePrecision
from responses.models import OverdueFlag
from responses.services import jobs
from tests.factories import RecommendationFactory

TODAY = datetime.date(2026, 11, 22)


def _run_in_thread(results: list, errors: list) -> threading.Thread:
    def run():
        try:
            results.append(jobs.flags_refresh(today=TODAY))
        except Exception as error:  # noqa: BLE001 (the test reports whatever a run raised)
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_two_flag_runs_at_once_make_one_set_of_flags_without_an_error(monkeypatch):
    for number in (1, 2, 3):
        RecommendationFactory(number=number, deadline=datetime.date(2020, 5, 31), deadline_text="by May 2020",
                              deadline_precision=DatePrecision.MONTH)
    # Make the race certain: each run, having read what is overdue, waits for the other to have
    # read too. Without a lock both then insert the same flags; with one, the second run is still
    # waiting for the lock, so the first goes on alone once the meeting is given up.
    meeting = threading.Barrier(2)
    read_overdue = jobs._overdue_on

    def read_then_meet(today):
        overdue = read_overdue(today)
        try:
            meeting.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return overdue

    monkeypatch.setattr(jobs, "_overdue_on", read_then_meet)
    results, errors = [], []
    runs = [_run_in_thread(results, errors) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()

    assert errors == []
    first, second = sorted(results, key=lambda result: -result.raised)
    flags = OverdueFlag.objects.count()
    assert OverdueFlag.objects.filter(kind=OverdueFlag.Kind.RECOMMENDATION).count() == 3
    assert (first.raised, first.open) == (flags, flags)  # the report replies are overdue too
    assert (second.raised, second.resolved, second.open) == (0, 0, flags)
    assert OverdueFlag.objects.open().count() == flags
