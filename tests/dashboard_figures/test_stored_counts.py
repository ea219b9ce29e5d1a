"""Issue 16: the dashboard's counts are stored per day (``pages.figures``) and kept
current on every write, so a request reads a few rows instead of counting every recommendation.
Whatever the write, the stored figures must equal the counts worked out afresh, and the dashboard
must show them; London midnight needs no write (the daily job stores tomorrow as well)."""

import datetime

import pytest
from django.urls import reverse

from importer.synthetic import synthetic_dataset_generate
from pages import figures
from recommendations.models import DashboardFigures, Recommendation, Report
from responses.models import Response
from responses.tasks import flag_overdue
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory
from tracker import pagecache

D = datetime.date
TODAY = D(2026, 5, 31)  # the last day of a month, a Sunday
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.DUE_SOON_DAYS = 30
    settings.PAGE_CACHE_SECONDS = 0  # what the page shows is what is stored, not a kept page


@pytest.fixture
def world():
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met", slug="met")
    report = ReportFactory(published=D(2025, 11, 1))
    recs = {}
    for name, deadline, to in [("A", D(2026, 5, 30), mopac), ("B", D(2026, 5, 31), mopac), ("C", D(2026, 6, 30), met), ("D", None, met)]:
        recs[name] = RecommendationFactory(report=report, deadline=deadline, text=f"Recommendation {name}.")
        recs[name].addressees.add(to)
    return {"mopac": mopac, "met": met, "report": report, **recs}


def stored(day: datetime.date) -> dict:
    """What is stored for ``day``, as (organisation id, column) -> count, zeros left out."""
    rows = DashboardFigures.objects.filter(day=day, due_soon_days=30)
    columns = figures.REC_COLUMNS + figures.REPORT_COLUMNS
    return {(row.organisation_id, column): getattr(row, column) for row in rows for column in columns if getattr(row, column)}


def live(day: datetime.date) -> dict:
    return {key: count for key, count in figures.compute(day, 30).items() if count}


def assert_current(*days):
    for day in days:
        assert stored(day), f"nothing stored for {day}"
        assert stored(day) == live(day), day


def test_the_daily_job_stores_today_and_tomorrow_equal_to_counting_afresh(world):
    flag_overdue(TODAY.isoformat())
    assert_current(TODAY, TODAY + datetime.timedelta(days=1))
    assert stored(TODAY)[0, "overdue"] == 1  # A, due yesterday
    assert stored(TODAY + datetime.timedelta(days=1))[0, "overdue"] == 2  # and B from midnight


def test_london_midnight_needs_no_write_and_no_count(world, client, time_machine, django_assert_max_num_queries):
    time_machine.move_to(datetime.datetime(2026, 5, 31, 23, 0, tzinfo=datetime.UTC))  # 00:00 on 1 June in London (BST)
    flag_overdue(TODAY.isoformat())  # the job ran on 31 May
    tomorrow = TODAY + datetime.timedelta(days=1)
    # The stored figures for 1 June are read (two queries: the figures and the organisations' names).
    with django_assert_max_num_queries(2):
        numbers = figures.dashboard_numbers(today=tomorrow, due_soon_days=30)
    assert numbers.counts["overdue"] == 2
    assert [(row.organisation.short_name, row.overdue) for row in numbers.addressees] == [("MOPAC", 2), ("Met", 0)]
    text = client.get(reverse("dashboard")).content.decode()
    assert "2</span>" in text or ">2<" in text  # the page shows two overdue on 1 June
    assert_current(tomorrow)


def test_a_reply_a_moved_reply_and_a_deleted_reply_keep_the_counts_current(world):
    flag_overdue(TODAY.isoformat())
    tomorrow = TODAY + datetime.timedelta(days=1)
    reply = ResponseFactory(recommendation=world["A"], date_received=D(2026, 5, 20))
    assert_current(TODAY, tomorrow)
    assert (0, "overdue") not in stored(TODAY) and stored(TODAY)[0, "answered"] == 1
    reply.recommendation = world["B"]
    reply.save()
    assert_current(TODAY, tomorrow)
    assert stored(TODAY)[0, "overdue"] == 1
    reply.delete()
    assert_current(TODAY, tomorrow)
    assert (0, "answered") not in stored(TODAY)


def test_editing_adding_and_deleting_recommendations_and_addressees(world):
    flag_overdue(TODAY.isoformat())
    tomorrow = TODAY + datetime.timedelta(days=1)
    world["C"].deadline = D(2026, 1, 1)
    world["C"].save()
    assert_current(TODAY, tomorrow)
    newcomer = OrganisationFactory(name="London Fire Brigade", short_name="LFB", slug="lfb")
    world["C"].addressees.add(newcomer)
    assert_current(TODAY, tomorrow)
    assert stored(TODAY)[newcomer.pk, "overdue"] == 1
    world["C"].addressees.remove(newcomer)
    assert_current(TODAY, tomorrow)
    added = RecommendationFactory(report=world["report"], deadline=D(2026, 2, 1))
    added.addressees.add(world["met"])
    assert_current(TODAY, tomorrow)
    world["met"].delete()  # its addressee links go with it, with no m2m signal
    assert_current(TODAY, tomorrow)
    world["A"].delete()
    assert_current(TODAY, tomorrow)


def test_a_report_changed_and_then_deleted_with_everything_in_it(world):
    flag_overdue(TODAY.isoformat())
    ResponseFactory(recommendation=world["B"], date_received=D(2026, 5, 1))
    other = ReportFactory(published=None)
    RecommendationFactory(report=other, deadline=D(2026, 3, 1))
    assert_current(TODAY)
    report = Report.objects.get(pk=world["report"].pk)
    report.published = D(2026, 5, 1)  # published later: the reply is not due yet
    report.save()
    assert_current(TODAY)
    report.delete()  # its recommendations and their replies go with it (one cascade)
    assert_current(TODAY)
    assert stored(TODAY)[0, "reports"] == 1 and stored(TODAY)[0, "recommendations"] == 1
    assert not Response.objects.exists()


def test_a_day_nobody_stored_is_worked_out_once_then_read(world, django_assert_max_num_queries):
    day = D(2026, 7, 1)
    first = figures.dashboard_numbers(today=day, due_soon_days=30)
    assert_current(day)
    with django_assert_max_num_queries(2):
        again = figures.dashboard_numbers(today=day, due_soon_days=30)
    assert again == first


def test_bulk_writes_clear_what_is_stored_and_it_is_worked_out_afresh(world):
    flag_overdue(TODAY.isoformat())
    synthetic_dataset_generate(recommendations=60, seed=3, anchor=TODAY, subscribers=0)  # COPY: no model signals
    assert not DashboardFigures.objects.exists()
    Recommendation.objects.filter(pk=world["D"].pk).update(deadline=D(2026, 1, 1))
    pagecache.data_changed()  # as every bulk writer does
    assert figures.dashboard_numbers(today=TODAY, due_soon_days=30).counts["overdue"] == live(TODAY)[0, "overdue"]
    assert_current(TODAY)


def test_figures_that_cannot_be_stored_meanwhile_are_shown_and_the_transaction_goes_on(world, monkeypatch):
    """A writer holding the figures' lock past the wait (PostgreSQL refuses the lock with an
    OperationalError): the dashboard shows the figures worked out afresh without storing them, and
    whatever transaction asked for it (a command, the test's own) can still read and write."""
    from django.db import OperationalError

    def locked(*, wait):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(figures, "_lock_for_filling", locked)
    day = D(2026, 7, 1)

    numbers = figures.dashboard_numbers(today=day, due_soon_days=30)

    assert numbers.counts == {column: live(day).get((figures.ALL, column), 0) for column in figures.REC_COLUMNS + figures.REPORT_COLUMNS}
    assert not stored(day)
    RecommendationFactory(report=world["report"], number=99)  # the transaction goes on
    assert Recommendation.objects.filter(number=99).exists()
