"""The recommendation list sorts by where each recommendation stands, in the statuses' own order
(as the "Where it stands" filter lists them), not alphabetically by code."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest

from recommendations.dates import DatePrecision
from responses.models import Assessment, ImplementationStatus
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def four(db, time_machine):
    """On 2 March 2026, in one report: Implemented (number 1), Not accepted (2), No reply yet (3), Reply overdue (4)."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False)
    report = ReportFactory(title="Hate crime", slug="hate-crime", published=D(2026, 2, 1))  # its reply due 1 April
    recs = {}
    for number, (name, deadline) in enumerate(
        [("Implemented", D(2025, 12, 31)), ("Declined", D(2025, 12, 31)), ("Waiting", D(2026, 6, 30)), ("Late", D(2026, 1, 31))], start=1
    ):
        recs[name] = RecommendationFactory(
            report=report, number=number, text=f"{name} recommendation text.", deadline=deadline, deadline_precision=DatePrecision.DAY
        )
    ResponseFactory(recommendation=recs["Implemented"], date_received=D(2026, 1, 5), implementation_status=ImplementationStatus.IMPLEMENTED)
    ResponseFactory(recommendation=recs["Declined"], date_received=D(2026, 1, 5), assessment=Assessment.NOT_ACCEPTED)
    return recs


def _order(client, query: str) -> list[str]:
    page = client.get(f"/recommendations/?{query}")
    assert page.status_code == 200
    return re.findall(r"(Implemented|Declined|Waiting|Late) recommendation text", page.content.decode())


def test_the_list_sorts_by_where_it_stands(four, client):
    assert _order(client, "sort=progress") == ["Waiting", "Late", "Declined", "Implemented"]  # no reply yet, reply overdue, not accepted, implemented
    assert _order(client, "sort=-progress") == ["Implemented", "Declined", "Late", "Waiting"]
    assert _order(client, "") == ["Implemented", "Declined", "Waiting", "Late"]  # report and number, as before


def test_the_sort_is_offered_on_the_page_and_combines_with_the_filters(four, client):
    page = client.get("/recommendations/").content.decode()
    assert '<option value="progress">Where it stands (no reply yet first)</option>' in page
    assert _order(client, "sort=progress&response=answered") == ["Declined", "Implemented"]
    assert client.get("/recommendations/?format=csv&sort=progress").status_code == 200
