"""The chaser home with many reports overdue: the bodies first, then the reports longest overdue
first, a page at a time, each with its number of recommendations, in the same number of queries
whatever the number of reports."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.views import REPORTS_PER_PAGE
from recommendations.models import Organisation
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=LONDON), tick=False)
    return datetime.date(2026, 3, 3)


def _overdue_reports(count: int, *, start: int = 0, mopac=None) -> None:
    """``count`` reports published a day apart from 1 January 2024 (all replies overdue), the
    ``n``-th with ``n % 3 + 1`` recommendations; each report's first addressed to MOPAC with a passed deadline."""
    for n in range(start, start + count):
        report = ReportFactory(slug=f"report-{n:03d}", title=f"Report {n:03d}", published=datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
        for number in range(1, n % 3 + 2):
            rec = RecommendationFactory(report=report, number=number, deadline=datetime.date(2025, 6, 30) if number == 1 else None)
            if number == 1 and mopac:
                rec.addressees.add(mopac)


def _rows(html: str) -> list[tuple[str, str]]:
    who = r'<td data-label="Who" class="govuk-table__cell">\s*(.*?)\s*</td>'
    items = r'\s*<td data-label="Overdue items" class="govuk-table__cell">(\d+)</td>'
    return re.findall(who + items, html)


def test_the_bodies_then_a_page_of_reports_longest_overdue_first(client_for, today):
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac", kind=Organisation.Kind.MOPAC)
    _overdue_reports(REPORTS_PER_PAGE + 7, mopac=mopac)
    editor = client_for("editor")

    first = editor.get("/manage/chasers/").content.decode()
    rows = _rows(first)
    assert rows[0] == ("Mayor&#x27;s Office for Policing and Crime", str(REPORTS_PER_PAGE + 7))
    reports = rows[1:]
    assert len(reports) == REPORTS_PER_PAGE
    assert reports[:3] == [("The Mayor's reply to ‘Report 000’", "1"), ("The Mayor's reply to ‘Report 001’", "2"), ("The Mayor's reply to ‘Report 002’", "3")]
    assert f"<strong>{REPORTS_PER_PAGE + 7}</strong> reports with an overdue reply" in first

    second = _rows(editor.get("/manage/chasers/?page=2").content.decode())
    assert [who for who, _ in second] == [f"The Mayor's reply to ‘Report {n:03d}’" for n in range(REPORTS_PER_PAGE, REPORTS_PER_PAGE + 7)]
    assert editor.get("/manage/chasers/?page=3").status_code == 404


def test_the_chaser_home_reads_as_many_rows_with_three_times_the_reports(client_for, today):
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac", kind=Organisation.Kind.MOPAC)
    editor = client_for("editor")
    editor.get("/manage/chasers/")  # the session and permissions read once

    def queries_and_rows() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            html = editor.get("/manage/chasers/").content.decode()
        return len(queries), len(_rows(html))

    _overdue_reports(REPORTS_PER_PAGE + 5, mopac=mopac)
    fewer = queries_and_rows()
    _overdue_reports(2 * REPORTS_PER_PAGE, start=REPORTS_PER_PAGE + 5, mopac=mopac)

    assert queries_and_rows() == fewer == (fewer[0], REPORTS_PER_PAGE + 1)


def test_the_count_of_reports_is_the_dashboards_stored_figure_kept_current_on_write(client_for, today):
    from pages import figures

    _overdue_reports(REPORTS_PER_PAGE + 2)
    figures.fill(days=[today])
    editor = client_for("editor")
    assert f"<strong>{REPORTS_PER_PAGE + 2}</strong> reports with an overdue reply" in editor.get("/manage/chasers/").content.decode()

    _overdue_reports(1, start=REPORTS_PER_PAGE + 2)  # one more, written after the figures were stored

    page = editor.get("/manage/chasers/?page=2").content.decode()
    assert f"<strong>{REPORTS_PER_PAGE + 3}</strong> reports with an overdue reply" in page
    assert len(_rows(page)) == 3
