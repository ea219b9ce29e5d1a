"""Every page runs a fixed number of queries whatever the number of rows: each is asserted against
a database of 3,000 generated recommendations (and 200 consultation submissions), and each check
also looks at what the page shows, so a page that ran few queries by showing nothing would fail."""

import pytest
from django.urls import reverse

from recommendations.models import Document

pytestmark = pytest.mark.django_db


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_dashboard(client, today, many_recommendations, django_assert_max_num_queries):
    # 11, and on PostgreSQL a savepoint around storing the day's figures: the test runs inside a
    # transaction (a request in autocommit has none; pages/figures.py dashboard_numbers).
    with django_assert_max_num_queries(12):
        page = _get(client, reverse("dashboard"))
    assert b"3000</span> recommendations in all" in page
    assert page.count(b"tracker-chart__bar ") == 40


def test_recommendation_list(client, today, many_recommendations, django_assert_max_num_queries):
    # The page's ids, then its 50 rows, their addressees and their replies (where each stands is
    # worked out from them in Python); the count; the filter form's choices (the reports: the
    # newest dated and the first undated, ReportQuerySet.newest_titles).
    with django_assert_max_num_queries(10):
        page = _get(client, reverse("recommendation-list"))
    assert b"<strong>3000</strong> recommendations" in page
    assert page.count(b'class="govuk-table__row"') == 51  # a header row and 50 rows


def test_recommendation_list_filtered_and_sorted(client, today, many_recommendations, django_assert_max_num_queries):
    url = reverse("recommendation-list") + "?status=overdue&addressee=addressee-1&sort=-deadline&q=neighbourhood&page=2"
    with django_assert_max_num_queries(11):
        page = _get(client, url)
    assert b"overdue" in page


def test_recommendation_csv(client, today, many_recommendations, django_assert_max_num_queries):
    # The export streams in chunks of 2,000 rows with their prefetches: a fixed number per chunk.
    with django_assert_max_num_queries(10):
        body = _get(client, reverse("recommendation-list") + "?format=csv")
    assert body.decode().count("\n") > 3000


def test_recommendation_detail(client, today, many_recommendations, django_assert_max_num_queries):
    rec = many_recommendations["recommendations"][10]
    with django_assert_max_num_queries(7):  # 6, and the chasers sent for its timeline (followup)
        page = _get(client, rec.get_absolute_url())
    assert b"The committee recommended" in page and b"The Mayor replied" in page


def test_report_pages(client, today, many_recommendations, django_assert_max_num_queries):
    report = many_recommendations["reports"][3]
    with django_assert_max_num_queries(5):
        page = _get(client, report.get_absolute_url())
    assert page.count(b"tracker-meta") >= 75
    with django_assert_max_num_queries(1):
        page = _get(client, reverse("report-list"))
    assert page.count(b"Generated report") >= 40


def test_document_pages(client, today, many_recommendations, django_assert_max_num_queries):
    document = Document.objects.filter(kind=Document.Kind.COMMITTEE_REPORT).first()
    with django_assert_max_num_queries(4):
        page = _get(client, document.get_absolute_url())
    assert page.count(b'id="line-') == 200
    assert page.count(b"Recommendation 7<") >= 1
    with django_assert_max_num_queries(3):  # a page's ids (from the list's index), its rows, the count
        _get(client, reverse("document-list"))


def test_commitments(client, today, many_recommendations, django_assert_max_num_queries):
    # The page's ids (from the list's index), its rows, the count, the owner checked and listed, the
    # reports listed (the newest dated and the first undated).
    with django_assert_max_num_queries(7):
        page = _get(client, reverse("commitment-list") + "?owner=addressee-0&due=upcoming")
    assert b"<strong>375</strong> commitments" in page


def test_consultations(client, today, many_recommendations, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the consultation, a page of submissions, their asks, the count
        page = _get(client, many_recommendations["consultation"].get_absolute_url())
    assert page.count(b'tracker-submission"') == 25  # a page of them; the others on the next pages
    assert b"200 submissions" in page and b'rel="next"' in page
    assert b"Write to me at [email removed]" in page  # stored as imported: contact details removed
    with django_assert_max_num_queries(1):
        _get(client, reverse("consultation-list"))


@pytest.mark.parametrize("dataset", ["recommendations", "responses", "commitments", "submissions"])
def test_api(client, today, many_recommendations, django_assert_max_num_queries, dataset):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-dataset", args=[dataset]) + "?page=2")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100


@pytest.mark.parametrize(
    "url",
    [
        "/calendar.ics",
        "/reports/generated-3/calendar.ics",
        "/addressees/addressee-2/calendar.ics",
    ],
)
def test_calendars(client, today, many_recommendations, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(5):
        body = _get(client, url)
    assert body.count(b"BEGIN:VEVENT") > 40
