"""The recommendation list as an officer uses it: filters kept in the URL, sorting, paging, the
CSV of exactly the filtered rows, the JSON API, and form errors (never a server error)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from recommendations.dates import DatePrecision
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/recommendations/"


@pytest.fixture
def recs(today):
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met", slug="met")
    abuse = ReportFactory(slug="domestic-abuse", title="Domestic abuse", published=D(2020, 2, 1))
    vawg = ReportFactory(slug="vawg", title="Violence Against Women and Girls", published=D(2022, 3, 22))
    overdue = RecommendationFactory(
        report=abuse, number=4, text="MOPAC should publish its review of Operation Encompass.",
        deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH, chapter="Prevention",
    )
    overdue.addressees.add(mopac)
    due_soon = RecommendationFactory(
        report=vawg, number=2, text="The Met should train every officer.",
        deadline=D(2022, 9, 20), deadline_text="by 20 September 2022", deadline_precision=DatePrecision.DAY,
    )
    due_soon.addressees.add(met)
    answered = RecommendationFactory(report=vawg, number=1, text="MOPAC must improve VAWG data.")
    answered.addressees.add(mopac, met)
    ResponseFactory(recommendation=answered, text="MOPAC accepts this and will commission a data audit.",
                    date_received=D(2022, 8, 18), assessment="accepted")
    return {"overdue": overdue, "due_soon": due_soon, "answered": answered, "mopac": mopac}


def _rows(response):
    return [rec.pk for rec in response.context["object_list"]]


def test_unfiltered_list_shows_everything_with_its_status(client, recs):
    page = client.get(LIST)
    assert page.status_code == 200
    assert set(_rows(page)) == {recs[name].pk for name in ("overdue", "due_soon", "answered")}
    html = page.content.decode()
    assert "Overdue" in html and "Due soon" in html and "Accepted" in html
    assert "2 years 3 months overdue" in html  # 31 May 2020 to 1 September 2022
    assert "2 weeks 5 days left" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=overdue", ["overdue"]),
        ("status=due_soon", ["due_soon"]),
        ("status=no_deadline", ["answered"]),
        ("addressee=met", ["due_soon", "answered"]),
        ("report=domestic-abuse", ["overdue"]),
        ("chapter=Prevention", ["overdue"]),
        ("year=2022", ["due_soon", "answered"]),
        ("assessment=accepted", ["answered"]),
        ("implementation=open", ["answered"]),
        ("response=awaiting", ["overdue", "due_soon"]),
        ("response=answered", ["answered"]),
        ("q=encompass", ["overdue"]),
        ("q=data+audit", ["answered"]),  # words from the reply, not the recommendation
        ("q=nothing+like+this", []),
        ("addressee=mopac&status=overdue", ["overdue"]),
    ],
)
def test_filters(client, recs, query, expected):
    page = client.get(f"{LIST}?{query}")
    assert page.status_code == 200
    assert sorted(_rows(page)) == sorted(recs[name].pk for name in expected)


def test_sorting_by_deadline_puts_empty_deadlines_last(client, recs):
    assert _rows(client.get(f"{LIST}?sort=deadline")) == [recs["overdue"].pk, recs["due_soon"].pk, recs["answered"].pk]
    assert _rows(client.get(f"{LIST}?sort=-deadline")) == [recs["due_soon"].pk, recs["overdue"].pk, recs["answered"].pk]


def test_the_filter_is_kept_in_page_links(client, today):
    report = ReportFactory(slug="big")
    for n in range(1, 61):
        RecommendationFactory(report=report, number=n)
    page = client.get(f"{LIST}?report=big&sort=number")
    html = page.content.decode()
    assert "<strong>60</strong> recommendations" in html
    assert 'href="?report=big&amp;sort=number&amp;page=2"' in html
    second = client.get(f"{LIST}?report=big&sort=number&page=2")
    assert [rec.number for rec in second.context["object_list"]] == list(range(51, 61))


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=soonish", "Deadline status"),
        ("report=no-such-report", "Report"),
        ("addressee=nobody", "Addressed to"),
        ("year=abc", "Year published"),
        ("sort=shoe-size", "Sort by"),
        ("assessment=%00", "Assessment of the reply"),
    ],
)
def test_malformed_filters_are_form_errors_not_server_errors(client, recs, query, field):
    page = client.get(f"{LIST}?{query}")
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem with the filter" in html
    assert f"{field}: Select a valid choice" in html
    assert "govuk-error-message" in html
    assert list(page.context["object_list"]) == []


@pytest.mark.parametrize("query", ["q=%00", "q=" + "x" * 201])
def test_unusable_search_words_are_form_errors(client, recs, query):
    page = client.get(f"{LIST}?{query}")
    assert page.status_code == 400
    assert "Search recommendations and replies:" in page.content.decode()


@pytest.mark.parametrize("query", ["q=%27%26%7C%21+or+-", "q=%22unclosed", "q=++", "q=a%3Ab"])
def test_search_syntax_never_breaks_the_page(client, recs, query):
    assert client.get(f"{LIST}?{query}").status_code == 200


@pytest.mark.parametrize("query", ["page=999", "page=abc", "page=0"])
def test_pages_that_do_not_exist_are_404(client, recs, query):
    assert client.get(f"{LIST}?{query}").status_code == 404


def test_csv_downloads_exactly_the_filtered_rows(client, recs):
    response = client.get(f"{LIST}?addressee=mopac&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(row["id"] for row in rows) == ["domestic-abuse/4", "vawg/1"]
    answered = next(row for row in rows if row["id"] == "vawg/1")
    assert answered["response_text"] == "MOPAC accepts this and will commission a data audit."
    assert answered["assessment"] == "Accepted"  # the label a person reads, not the code
    overdue = next(row for row in rows if row["id"] == "domestic-abuse/4")
    assert overdue["deadline"] == "2020-05-31" and overdue["deadline_status"] == "Overdue"


def test_csv_of_a_bad_filter_says_what_is_wrong(client, recs):
    response = client.get(f"{LIST}?status=nope&format=csv")
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_the_list_links_to_its_csv_with_the_same_filter(client, recs):
    html = client.get(f"{LIST}?addressee=mopac&page=1").content.decode()
    assert 'href="?addressee=mopac&amp;format=csv"' in html


class TestApi:
    def test_same_fields_as_the_export(self, client, recs):
        from pages.exports import RECOMMENDATION_FIELDS

        data = client.get(reverse("api-dataset", args=["recommendations"])).json()
        assert data["count"] == 3 and data["next"] is None
        assert all(list(record) == RECOMMENDATION_FIELDS for record in data["results"])
        assert [r["id"] for r in data["results"]] == ["domestic-abuse/4", "vawg/1", "vawg/2"]

    def test_takes_the_list_filters(self, client, recs):
        data = client.get(reverse("api-dataset", args=["recommendations"]) + "?status=overdue").json()
        assert [r["id"] for r in data["results"]] == ["domestic-abuse/4"]
        bad = client.get(reverse("api-dataset", args=["recommendations"]) + "?status=nope")
        assert bad.status_code == 400 and "status" in bad.json()["errors"]

    def test_pages_link_to_each_other(self, client, today):
        report = ReportFactory(slug="big")
        for n in range(1, 106):
            RecommendationFactory(report=report, number=n)
        first = client.get("/api/recommendations/").json()
        assert len(first["results"]) == 100 and first["next"].endswith("page=2")
        second = client.get(first["next"]).json()
        assert [r["number"] for r in second["results"]] == [101, 102, 103, 104, 105]
        assert second["previous"].endswith("page=1")
        assert client.get("/api/recommendations/?page=3").status_code == 404

    def test_other_datasets(self, client, recs):
        responses = client.get("/api/responses/").json()
        assert [r["recommendation"] for r in responses["results"]] == ["vawg/1"]
        assert client.get("/api/commitments/").json()["count"] == 0
        assert client.get("/api/nothing/").status_code == 404
        assert set(client.get("/api/").json()) == {
            "recommendations", "responses", "commitments", "submissions", "reports", "consultations", "asks", "events"
        }
