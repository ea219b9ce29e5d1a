"""Pages at the boundaries: London midnight with the page cache on, a report nothing can date,
and fixed query counts with reports of unknown publication date."""

import datetime

import pytest
from django.urls import reverse

from recommendations.dates import DatePrecision
from recommendations.models import Report
from tests.factories import CommitteeFactory, RecommendationFactory, ReportFactory

from .conftest import LONDON, page_text

pytestmark = pytest.mark.django_db


def _unknown_report(*, deadline=None, title="Unknown date report"):
    report = ReportFactory(title=title, published=None, published_precision=DatePrecision.UNKNOWN)
    RecommendationFactory(report=report, deadline=deadline, deadline_text="by May 2020" if deadline else "")
    return report


def _dashboard(client) -> str:
    return page_text(client.get(reverse("dashboard")).content.decode())


def test_overdue_from_london_midnight_with_the_page_cache_on(client, settings, time_machine):
    settings.PAGE_CACHE_SECONDS = 3600
    _unknown_report(deadline=datetime.date(2020, 5, 31))  # due 31 July 2020 at the latest
    # 23:30 BST on 31 July is 22:30 UTC; 00:30 BST on 1 August is still 31 July in UTC.
    time_machine.move_to(datetime.datetime(2020, 7, 31, 23, 30, tzinfo=LONDON), tick=False)
    assert "0 of 1 reports with the Mayor's reply overdue" in _dashboard(client)
    time_machine.move_to(datetime.datetime(2020, 8, 1, 0, 30, tzinfo=LONDON), tick=False)
    assert datetime.datetime.now(datetime.UTC).date() == datetime.date(2020, 7, 31)
    text = _dashboard(client)  # the page kept yesterday is not today's
    assert "1 of 1 reports with the Mayor's reply overdue" in text
    assert "Awaiting a reply, at least 1 day overdue." in text


def test_a_report_nothing_can_date(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 12, tzinfo=LONDON), tick=False)
    report = _unknown_report(title="Undated report")
    text = _dashboard(client)
    assert "0 of 1 reports with the Mayor's reply overdue" in text
    assert "1 awaiting a reply with its due date unknown" in text
    assert "Not drawn, because the publication date is not known" in text and "Undated report" in text
    text = page_text(client.get(report.get_absolute_url()).content.decode())
    assert "Published Not known" in text and "Not known (before" not in text
    assert "Reply due Due date unknown." in text
    assert "Awaiting a reply; due date unknown (publication date not known)." in text


def test_the_chart_marks_only_uncertain_bars(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 12, tzinfo=LONDON), tick=False)
    ReportFactory(title="Dated report", published=datetime.date(2026, 11, 1))
    _unknown_report(deadline=datetime.date(2026, 10, 31), title="Bounded report")
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count('class="tracker-chart__bar ') == 2
    assert html.count('class="tracker-chart__uncertain"') == 1
    assert "at least 1 month" in html  # 31 October to 2 December
    assert "1 month+" in html  # the dated report: 1 November to 2 December
    assert "style=" not in html.split('id="timeliness-heading"')[1]  # classes only (CSP: no inline styles)


@pytest.fixture
def undated_reports(db):
    committee = CommitteeFactory()
    for n in range(45):
        report = Report.objects.create(
            slug=f"undated-{n}", title=f"Undated report {n}", committee=committee, published_precision=DatePrecision.UNKNOWN
        )
        RecommendationFactory(report=report, deadline=datetime.date(2020, 1, 31) + datetime.timedelta(days=n))


def test_query_counts_stay_fixed_with_undated_reports(client, undated_reports, time_machine, django_assert_max_num_queries):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 12, tzinfo=LONDON), tick=False)
    with django_assert_max_num_queries(12):  # as tests/pages/test_query_counts.py asserts
        html = client.get(reverse("dashboard")).content.decode()
    assert html.count('class="tracker-chart__uncertain"') == 40
    assert "45 of 45 reports with the Mayor's reply overdue" in page_text(html)
    with django_assert_max_num_queries(1):
        text = page_text(client.get(reverse("report-list")).content.decode())
    assert text.count("Not known (before") == 45
    with django_assert_max_num_queries(5):
        text = page_text(client.get(reverse("report-detail", args=["undated-3"])).content.decode())
    assert "It was published before 3 February 2020" in text
    rec = Report.objects.get(slug="undated-3").recommendations.get()
    with django_assert_max_num_queries(6):
        text = page_text(client.get(rec.get_absolute_url()).content.decode())
    assert "Due by 3 April 2020 at the latest." in text
