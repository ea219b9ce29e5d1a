"""Long lists stay quick: the recommendation list counts at most 10,000 matches ("more than"),
pages past the cap still work, the dashboard shows the most recent reports with a link to all of
them, and the reports page is paginated."""

import datetime

import pytest
from django.urls import reverse

from pages.pagination import CappedCountPaginator
from recommendations.models import Recommendation, Report
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(today):
    committee = CommitteeFactory()
    reports = Report.objects.bulk_create(
        [
            Report(slug=f"r-{n}", title=f"Report {n:03}", committee=committee,
                   published=datetime.date(2015, 1, 1) + datetime.timedelta(days=20 * n))
            for n in range(60)
        ]
    )
    Recommendation.objects.bulk_create(
        [Recommendation(report=report, number=k, text=f"Recommendation {k}") for report in reports for k in range(1, 3)]
    )
    return reports


def test_capped_paginator_counts_exactly_up_to_the_cap(reports):
    rows = Recommendation.objects.order_by("pk")
    paginator = CappedCountPaginator(rows, 50, count_cap=100)
    assert (paginator.count, paginator.count_is_capped) == (100, True)
    exact = CappedCountPaginator(rows, 50, count_cap=120)
    assert (exact.count, exact.count_is_capped) == (120, False)


def test_pages_past_the_cap_still_work(reports):
    paginator = CappedCountPaginator(Recommendation.objects.order_by("pk"), 50, count_cap=60)
    page = paginator.page(3)  # rows 101 to 120: past the cap of 60
    assert (page.start_index(), page.end_index(), page.has_next(), page.has_previous()) == (101, 120, False, True)
    assert paginator.page(2).has_next()
    assert list(paginator.get_elided_page_range(2)) == [1, 2, paginator.ELLIPSIS]


def test_a_list_that_fits_on_one_page_is_not_counted(reports, django_assert_num_queries):
    paginator = CappedCountPaginator(Recommendation.objects.filter(report=reports[0]).order_by("pk"), 50)
    with django_assert_num_queries(1):
        page = paginator.page(1)
        assert paginator.count == 2 and not page.has_next()


def test_list_says_more_than_the_cap(client, reports, monkeypatch):
    monkeypatch.setattr("pages.pagination.COUNT_CAP", 100)
    monkeypatch.setattr(CappedCountPaginator.__init__, "__kwdefaults__", {"count_cap": 100})
    page = client.get(reverse("recommendation-list"))
    html = page.content.decode()
    assert "More than <strong>100</strong> recommendations" in html
    assert "(showing 1 to 50)" in html
    assert 'rel="next"' in html
    page = client.get(reverse("recommendation-list") + "?page=3")  # past the cap: still served
    assert page.status_code == 200 and "(showing 101 to 120)" in page.content.decode()
    assert client.get(reverse("recommendation-list") + "?page=4").status_code == 404


def test_a_search_counts_its_matches_up_to_its_own_cap(client, reports, monkeypatch, settings):
    """A search says "more than" past SEARCH_COUNT_CAP (each counted match is a row read to check
    its words), exactly below it, and its later pages are still served."""
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr("pages.views.SEARCH_COUNT_CAP", 60)
    Recommendation.objects.filter(pk__in=Recommendation.objects.order_by("pk").values("pk")[:70]).update(text="Knife crime and youth services")
    html = client.get(reverse("recommendation-list") + "?q=knife").content.decode()
    assert "More than <strong>60</strong> recommendations" in html and 'rel="next"' in html
    later = client.get(reverse("recommendation-list") + "?q=knife&page=2").content.decode()
    assert "(showing 51 to 70)" in later
    monkeypatch.setattr("pages.views.SEARCH_COUNT_CAP", 100)
    assert "<strong>70</strong> recommendations" in client.get(reverse("recommendation-list") + "?q=knife").content.decode()
    assert "<strong>120</strong> recommendations" in client.get(reverse("recommendation-list")).content.decode()  # no search: its own cap


def test_list_count_is_exact_below_the_cap(client, reports):
    html = client.get(reverse("recommendation-list")).content.decode()
    assert "<strong>120</strong> recommendations" in html and "More than" not in html


def test_dashboard_shows_the_40_most_recent_reports_and_links_to_all(client, reports):
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count("tracker-chart__bar ") == 40
    assert 'id="all-reports">All 60 reports</a>' in html
    assert "Report 059" in html and "Report 019" not in html  # the most recent 40: 20 to 59


def test_reports_page_is_paginated(client, reports):
    first = client.get(reverse("report-list")).content.decode()
    assert "<strong>60</strong> reports" in first and "(showing 1 to 50)" in first
    assert "Report 059" in first and "Report 009" not in first
    second = client.get(reverse("report-list") + "?page=2").content.decode()
    assert "Report 009" in second and "(showing 51 to 60)" in second
    assert client.get(reverse("report-list") + "?page=9").status_code == 404


def test_api_says_whether_the_count_is_capped(client, reports):
    data = client.get("/api/recommendations/").json()
    assert data["count"] == 120 and data["count_is_capped"] is False
