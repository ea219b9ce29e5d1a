"""Records link to their pages: the API's records carry ``url`` (an address that opens the page),
and a stable id is an address too: ``/r/domestic-abuse/16`` redirects to that recommendation."""

from urllib.parse import urlsplit

import pytest

from recommendations.models import Recommendation, Report
from responses.models import Consultation, Response

pytestmark = pytest.mark.django_db
DATASETS = ["recommendations", "responses", "commitments", "submissions", "reports", "consultations", "asks"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_api_records_carry_their_page_address(client, seeds, dataset):
    body = client.get(f"/api/{dataset}/").json()
    assert body["results"], dataset
    for record in body["results"]:
        assert list(record)[:2] == ["id", "url"]  # the stable id beside the address
        address = urlsplit(record["url"])
        assert address.scheme and address.netloc
        assert client.get(address.path).status_code == 200, record["url"]


def test_a_recommendation_record_points_at_its_own_page(client, seeds):
    [record] = [r for r in client.get("/api/recommendations/?report=domestic-abuse").json()["results"] if r["id"] == "domestic-abuse/16"]
    page = client.get(urlsplit(record["url"]).path).content.decode()
    assert "recommendation 16" in page.lower() or "Recommendation 16" in page


def test_a_stable_id_redirects_to_the_recommendation(client, seeds):
    rec = Recommendation.objects.get(report__slug="domestic-abuse", number=16)
    response = client.get("/r/domestic-abuse/16")
    assert response.status_code in (301, 302) and response["Location"] == rec.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_stable_ids_of_reports_replies_and_consultations_redirect(client, seeds):
    report = Report.objects.get(slug="domestic-abuse")
    assert client.get("/r/domestic-abuse")["Location"] == report.get_absolute_url()
    reply = Response.objects.select_related("recommendation__report", "letter").first()
    rec = reply.recommendation
    response = client.get(f"/r/{rec.report.slug}/{rec.number}/{reply.letter.sha256[:12]}")
    assert response.status_code in (301, 302) and response["Location"] == f"{rec.get_absolute_url()}#reply"
    consultation = Consultation.objects.first()
    assert client.get(f"/r/{consultation.slug}")["Location"] == consultation.get_absolute_url()


def test_every_exported_id_resolves(client, seeds):
    for dataset in ("recommendations", "reports", "consultations", "responses"):
        for record in client.get(f"/api/{dataset}/").json()["results"]:
            response = client.get(f"/r/{record['id']}")
            assert response.status_code in (301, 302), record["id"]
            assert response["Location"] == urlsplit(record["url"]).path + (f"#{urlsplit(record['url']).fragment}" if urlsplit(record["url"]).fragment else "")


@pytest.mark.parametrize(
    "stable_id",
    ["domestic-abuse/999", "no-such-report/1", "no-such-thing", "domestic-abuse/sixteen", "domestic-abuse/16/000000000000", "a/b/c/d"]
    # Characters no id has, one of which PostgreSQL refuses outright (NUL): still a 404.
    + ["%00", "domestic-abuse%00/16", "domestic-abuse/16/%00%00%00%00%00%00%00%00%00%00%00%00", "domestic abuse/16", "..%2F/16"],
)
def test_an_unknown_stable_id_is_404(client, seeds, stable_id):
    assert client.get(f"/r/{stable_id}").status_code == 404
