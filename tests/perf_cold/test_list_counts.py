"""Issue 16: the list's "N recommendations" without counting the matches, where the dashboard's
stored figures already hold that number (no filter, overdue, due soon, an addressee, an addressee
and overdue): the same number as counting, kept current by writes; any other filter still counts.
"""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from importer.synthetic import synthetic_dataset_generate
from pages import figures
from pages.pagination import COUNT_CAP
from recommendations.models import DashboardFigures, Organisation, Recommendation
from responses.models import Response
from tests.factories import RecommendationFactory, ResponseFactory
from tracker.clock import today as london_today

pytestmark = pytest.mark.django_db

STORED = ["", "?status=overdue", "?status=due_soon", "?addressee={slug}", "?addressee={slug}&status=overdue", "?sort=-deadline&status=overdue"]


@pytest.fixture
def world(settings):
    settings.PAGE_CACHE_SECONDS = 0  # worked out afresh, as the first visitor after a write sees it
    today = london_today()
    synthetic_dataset_generate(recommendations=3000, seed=3, anchor=today, subscribers=0)
    RecommendationFactory.create_batch(60, deadline=today + datetime.timedelta(days=3))  # more than a page due soon
    busiest = max(Organisation.objects.all(), key=lambda org: org.recommendations.count())
    return today, busiest


def shown_count(client, query: str) -> tuple[int, list[str]]:
    """The list's count as the page says it, and the SQL of the COUNT queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/recommendations/" + query)
    assert response.status_code == 200
    shown = re.search(r'id="result-count">(?:More than )?<strong>([\d,]+)</strong>', response.content.decode())
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    return int(shown.group(1).replace(",", "")), counts


def test_stored_filters_show_the_counted_number_without_counting(client, world):
    today, busiest = world
    queries = [query.format(slug=busiest.slug) for query in STORED]
    figures.clear()
    counted = {}
    for query in queries:
        counted[query], count_sql = shown_count(client, query)
        assert counted[query] > 50, query  # more than a page: without the stored figure it must count
        assert count_sql, query
    figures.fill(days=[today])
    for query in queries:
        shown, count_sql = shown_count(client, query)
        assert shown == min(counted[query], COUNT_CAP), query
        assert len(count_sql) == 1, query  # the stored figure, or the count when none is stored: one query
    # The number shown is the stored one (nothing counted): a figure planted for the test shows.
    DashboardFigures.objects.filter(day=today, organisation_id=figures.ALL).update(overdue=F("overdue") + 7)
    assert shown_count(client, "?status=overdue")[0] == counted["?status=overdue"] + 7


def test_a_reply_changes_the_overdue_count_at_once(client, world):
    today, _ = world
    figures.fill(days=[today])
    before, _ = shown_count(client, "?status=overdue")
    overdue = Recommendation.objects.overdue(today=today).order_by("pk").first()
    ResponseFactory(recommendation=overdue, date_received=today)
    after, _ = shown_count(client, "?status=overdue")
    assert after == before - 1
    assert after == Recommendation.objects.overdue(today=today).count()
    Response.objects.filter(recommendation=overdue).delete()
    assert shown_count(client, "?status=overdue")[0] == before


def test_other_filters_still_count(client, world):
    today, busiest = world
    figures.fill(days=[today])
    DashboardFigures.objects.update(recommendations=0, overdue=0, due_soon=0)  # planted: none of these may show
    for query, rows in (
        ("?status=upcoming", Recommendation.objects.deadline_status_is("upcoming", today=today)),
        (f"?addressee={busiest.slug}&status=due_soon", busiest.recommendations.deadline_status_is("due_soon", today=today)),
        ("?chapter=&status=overdue&response=awaiting", Recommendation.objects.overdue(today=today).awaiting_response(today=today)),
    ):
        assert shown_count(client, query)[0] == min(rows.count(), COUNT_CAP), query


def test_a_day_with_nothing_stored_counts(client, world):
    figures.clear()
    assert shown_count(client, "")[0] == min(Recommendation.objects.count(), COUNT_CAP)
