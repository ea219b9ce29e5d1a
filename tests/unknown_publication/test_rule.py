"""One rule for the reply's due date, known or latest possible: the Python rule
(``Report.response_due``, which pages, the chart and the digest read) and its SQL form
(``response_overdue``, ``reply_due_before``/``reply_due_from``, the dashboard's counts, the calendar
and the year filter) agree on every day around each boundary."""

import datetime

import pytest

from pages import selectors
from recommendations.dates import DatePrecision, add_months
from recommendations.models import Report
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def _report(*, published=None, deadlines=(), replies=(), override=None):
    report = ReportFactory(
        published=published,
        published_precision=DatePrecision.DAY if published else DatePrecision.UNKNOWN,
        response_due_override=override,
        response_due_override_reason="Agreed with the Mayor's office." if override else "",
    )
    for deadline in deadlines:
        RecommendationFactory(report=report, deadline=deadline, deadline_text="by then", deadline_precision="day")
    for reply in replies:
        ResponseFactory(recommendation=RecommendationFactory(report=report), date_received=reply)
    RecommendationFactory(report=report)  # one without a deadline changes nothing
    return report


def _around(day: datetime.date, span: int = 3):
    return [day + datetime.timedelta(days=n) for n in range(-span, span + 1)]


def _python_overdue(report: Report, today: datetime.date) -> bool:
    row = selectors.reports_with_replies(today=today).get(pk=report.pk)
    return selectors.report_row(row, today=today).timeliness.overdue


def _sql_overdue(report: Report, today: datetime.date) -> bool:
    return Report.objects.response_overdue(today=today).filter(pk=report.pk).exists()


CASES = {
    # the last day of a month: 31 December + 2 months is 29 February in a leap year
    "deadline 31 December": dict(deadlines=[datetime.date(2019, 12, 31), datetime.date(2020, 3, 31)]),
    "deadline 30 June": dict(deadlines=[datetime.date(2020, 6, 30)]),
    "deadline 31 May": dict(deadlines=[datetime.date(2020, 5, 31)]),
    "reply before the deadline": dict(deadlines=[datetime.date(2021, 1, 31)], replies=[datetime.date(2020, 8, 31)]),
    "known date wins": dict(published=datetime.date(2020, 1, 10), deadlines=[datetime.date(2019, 11, 30)]),
    "override wins": dict(override=datetime.date(2020, 4, 15), deadlines=[datetime.date(2019, 11, 30)]),
}


@pytest.mark.parametrize("case", CASES)
def test_sql_and_python_agree_on_every_day_around_the_due_date(case):
    report = _report(**CASES[case])
    due = Report.objects.get(pk=report.pk).response_due.date
    assert due is not None
    for today in _around(due):
        expected = today > due and not (report.recommendations.filter(responses__date_received__lte=today).exists())
        assert _python_overdue(report, today) is expected, (case, today)
        assert _sql_overdue(report, today) is expected, (case, today)
        assert selectors.report_counts(today=today)["reports_response_overdue"] == int(expected), (case, today)
        # The calendar from ``today`` lists the reply exactly when it is due that day or later.
        assert Report.objects.reply_due_from(today).filter(pk=report.pk).exists() is (due >= today), (case, today)
        assert Report.objects.reply_due_before(today).filter(pk=report.pk).exists() is (due < today), (case, today)


@pytest.mark.parametrize(
    "case, due",
    [
        ("deadline 31 December", datetime.date(2020, 2, 29)),
        ("deadline 30 June", datetime.date(2020, 8, 30)),
        ("deadline 31 May", datetime.date(2020, 7, 31)),
        ("reply before the deadline", datetime.date(2020, 10, 31)),
        ("known date wins", datetime.date(2020, 3, 10)),
        ("override wins", datetime.date(2020, 4, 15)),
    ],
)
def test_the_due_date_of_each_case(case, due):
    report = Report.objects.get(pk=_report(**CASES[case]).pk)
    assert report.response_due.date == due
    assert report.response_due.at_the_latest is (report.published is None and report.response_due_override is None)


def test_the_bound_is_a_fact_about_publication_not_about_today():
    # A reply recorded with a date after today still shows the report was published before it,
    # and cannot make an awaited reply overdue any earlier than its deadline does.
    report = _report(deadlines=[datetime.date(2020, 5, 31)], replies=[datetime.date(2020, 9, 15)])
    for today in _around(datetime.date(2020, 7, 31)):
        assert _sql_overdue(report, today) is _python_overdue(report, today) is (today > datetime.date(2020, 7, 31))


def test_a_report_with_no_deadline_and_no_reply_is_due_date_unknown_never_overdue(client):
    report = _report()
    today = datetime.date(2030, 1, 1)
    assert Report.objects.get(pk=report.pk).response_due.date is None
    assert not _sql_overdue(report, today) and not _python_overdue(report, today)
    counts = selectors.report_counts(today=today)
    assert (counts["reports_response_overdue"], counts["reports_reply_due_unknown"]) == (0, 1)
    assert not Report.objects.reply_due_from(datetime.date(1900, 1, 1)).filter(pk=report.pk).exists()
    assert not Report.objects.reply_due_before(today).filter(pk=report.pk).exists()


def test_the_year_of_the_bound_in_sql_is_the_year_of_the_python_bound():
    reports = [
        _report(deadlines=[datetime.date(2020, 12, 31)]),
        _report(deadlines=[datetime.date(2021, 1, 1)], replies=[datetime.date(2020, 12, 31)]),
        _report(deadlines=[datetime.date(2021, 1, 1)]),
        _report(replies=[datetime.date(2019, 1, 1)]),
        _report(),
        _report(published=datetime.date(2018, 6, 1), deadlines=[datetime.date(2017, 1, 31)]),
    ]
    expected_years = {}
    for report in reports:
        report = Report.objects.get(pk=report.pk)
        bound = report.response_due.published_before
        if report.published:
            expected_years.setdefault((report.published.year, True), set()).add(report.pk)
        elif bound:
            expected_years.setdefault((bound.year, False), set()).add(report.pk)
    assert Report.objects.publication_years() == sorted(expected_years, key=lambda pair: (not pair[1], -pair[0]))
    for (year, known), pks in expected_years.items():
        if not known:
            assert set(Report.objects.published_before_in_year(year).values_list("pk", flat=True)) == pks


def test_latest_possible_due_date_follows_response_due_months(settings):
    settings.RESPONSE_DUE_MONTHS = 3
    report = Report.objects.get(pk=_report(deadlines=[datetime.date(2020, 11, 30)]).pk)
    assert report.response_due.date == add_months(datetime.date(2020, 11, 30), 3) == datetime.date(2021, 2, 28)
    assert _sql_overdue(report, datetime.date(2021, 3, 1)) and not _sql_overdue(report, datetime.date(2021, 2, 28))
