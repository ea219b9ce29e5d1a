"""Each CSV download runs a fixed number of queries whatever the number of rows (3,000
recommendations, 200 submissions), and holds every row."""

import csv
import io

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from responses.models import Ask, Commitment

pytestmark = pytest.mark.django_db


def _rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "url, queries, count",
    [
        (reverse("recommendation-list") + "?format=csv", 10, lambda: Recommendation.objects.count()),
        (reverse("report-list") + "?format=csv", 2, lambda: 40),
        (reverse("commitment-list") + "?format=csv", 4, lambda: Commitment.objects.count()),
        (reverse("commitment-list") + "?owner=addressee-0&due=upcoming&format=csv", 4, lambda: 375),
        (reverse("consultation-list") + "?format=csv", 2, lambda: 1),
        (reverse("consultation-list") + "?format=csv&rows=asks", 2, lambda: Ask.objects.count()),
    ],
)
def test_csv_queries_are_fixed(client, today, many_recommendations, django_assert_max_num_queries, url, queries, count):
    with django_assert_max_num_queries(queries):
        rows = _rows(client, url)
    assert len(rows) == count() > 0


def test_a_consultations_asks(client, today, many_recommendations, django_assert_max_num_queries):
    consultation = many_recommendations["consultation"]
    with django_assert_max_num_queries(3):
        rows = _rows(client, consultation.get_absolute_url() + "?format=csv")
    assert len(rows) == 200
