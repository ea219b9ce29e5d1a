"""One status a person understands: the pure rule, its SQL twin (pinned together over every
combination), and where an officer sees it: list, recommendation page, report page, filter, CSV."""

import csv
import datetime
import io
import itertools

import pytest
from django.core.management import call_command

from recommendations.dates import DatePrecision
from recommendations.models import Recommendation
from responses.models import Assessment, ImplementationStatus, Response, StatedPosition
from responses.progress import Progress, progress_of, with_progress
from tests.factories import DocumentFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2022, 9, 1)


def _progress(rec, today=TODAY):
    return with_progress(Recommendation.objects.all(), today=today).get(pk=rec.pk).progress


def test_sql_and_python_agree_on_every_combination_of_the_three_facts():
    report = ReportFactory(published=D(2022, 3, 1))
    letter = DocumentFactory()
    combos = list(itertools.product(StatedPosition.values, Assessment.values, ImplementationStatus.values))
    recs = Recommendation.objects.bulk_create(Recommendation(report=report, number=n, text=f"Do {n}.") for n, _ in enumerate(combos, start=1))
    Response.objects.bulk_create(
        Response(
            recommendation=rec,
            letter=letter,
            text="Reply.",
            date_received=D(2022, 5, 1),
            stated_position=stated,
            assessment=assessment,
            implementation_status=implementation,
        )
        for rec, (stated, assessment, implementation) in zip(recs, combos, strict=True)
    )
    in_sql = dict(with_progress(Recommendation.objects.all(), today=TODAY).values_list("number", "progress"))
    for number, (stated, assessment, implementation) in enumerate(combos, start=1):
        expected = progress_of(replied=True, reply_overdue=False, stated_position=stated, assessment=assessment, implementation_status=implementation)
        assert in_sql[number] == expected, (stated, assessment, implementation)
    assert len(set(in_sql.values())) == 10  # every reply status can arise


@pytest.mark.parametrize(
    "stated, assessment, implementation, expected",
    [
        ("", "not_assessed", "open", Progress.NOT_ASSESSED),  # a letter that says nothing has done nothing
        ("accepted", "not_assessed", "open", Progress.ACCEPTED_NOT_STARTED),  # the letter's own word
        ("accepted", "not_accepted", "open", Progress.NOT_ACCEPTED),  # the officer's judgement outranks it
        ("not_accepted", "not_assessed", "open", Progress.NOT_ACCEPTED),
        ("accepted", "accepted", "in_progress", Progress.IN_PROGRESS),
        ("not_accepted", "not_accepted", "implemented", Progress.IMPLEMENTED),  # delivery outranks words
        ("accepted", "accepted", "superseded", Progress.SUPERSEDED),
        ("", "noted", "open", Progress.NOTED),
        ("under_consideration", "not_assessed", "open", Progress.UNDER_CONSIDERATION),
    ],
)
def test_the_rule_reads_as_a_person_would(stated, assessment, implementation, expected):
    assert progress_of(replied=True, reply_overdue=False, stated_position=stated, assessment=assessment, implementation_status=implementation) == expected


def test_without_a_reply_it_is_overdue_once_its_deadline_or_the_reports_reply_date_has_passed():
    report = ReportFactory(published=D(2022, 6, 30))  # reply due 30 August 2022 (two months)
    plain = RecommendationFactory(report=report)
    own_deadline = RecommendationFactory(
        report=ReportFactory(published=D(2022, 8, 1)), deadline=D(2022, 8, 31), deadline_text="by August 2022", deadline_precision=DatePrecision.MONTH
    )
    assert _progress(plain, today=D(2022, 8, 30)) == Progress.NO_REPLY_YET
    assert _progress(plain, today=D(2022, 8, 31)) == Progress.REPLY_OVERDUE
    assert _progress(own_deadline, today=D(2022, 8, 31)) == Progress.NO_REPLY_YET
    assert _progress(own_deadline, today=D(2022, 9, 1)) == Progress.REPLY_OVERDUE


def test_a_reply_counts_from_the_day_it_arrives_and_the_latest_reply_speaks():
    rec = RecommendationFactory(report=ReportFactory(published=D(2022, 3, 1)))
    ResponseFactory(recommendation=rec, date_received=D(2022, 5, 1), assessment="accepted")
    ResponseFactory(
        recommendation=rec, date_received=D(2022, 9, 1), assessment="accepted", implementation_status="implemented", implementation_evidence="Published."
    )
    assert _progress(rec, today=D(2022, 4, 30)) == Progress.NO_REPLY_YET
    assert _progress(rec, today=D(2022, 8, 31)) == Progress.ACCEPTED_NOT_STARTED
    assert _progress(rec, today=D(2022, 9, 1)) == Progress.IMPLEMENTED


@pytest.fixture
def officers_view(today):
    report = ReportFactory(slug="vawg", title="VAWG", published=D(2022, 3, 22))
    declined = RecommendationFactory(report=report, number=1, text="MOPAC should set up a forum.")
    ResponseFactory(recommendation=declined, text="We will not set up a forum.", stated_position="not_accepted", date_received=D(2022, 5, 1))
    waiting = RecommendationFactory(report=report, number=2, text="The Met should train officers.")  # reply due 22 May
    done = RecommendationFactory(report=report, number=3, text="MOPAC should publish data.")
    ResponseFactory(
        recommendation=done,
        assessment="accepted",
        implementation_status="implemented",
        implementation_evidence="Published in July.",
        date_received=D(2022, 5, 1),
    )
    return {"declined": declined, "waiting": waiting, "done": done}


def test_the_list_shows_and_filters_by_where_it_stands(client, officers_view, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):  # a fixed number: the status comes from the page's replies, read once
        page = client.get("/recommendations/")
    html = page.content.decode()
    assert "Not accepted" in html and "Reply overdue" in html and "Implemented" in html
    filtered = client.get("/recommendations/?progress=reply_overdue")
    assert [rec.pk for rec in filtered.context["object_list"]] == [officers_view["waiting"].pk]
    assert client.get("/recommendations/?progress=nonsense").status_code == 400


def test_the_recommendation_and_report_pages_say_where_it_stands(client, officers_view):
    detail = client.get(officers_view["declined"].get_absolute_url()).content.decode()
    assert "Where it stands" in detail and "Not accepted" in detail
    report = client.get("/reports/vawg/").content.decode()
    assert report.count("Not accepted") >= 1 and "Reply overdue" in report and "Implemented" in report


def test_the_csv_and_the_api_carry_it(client, officers_view):
    text = b"".join(client.get("/recommendations/?format=csv").streaming_content).decode("utf-8-sig")
    rows = {row["number"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["1"]["progress"] == "Not accepted"
    assert rows["2"]["progress"] == "Reply overdue"
    api = client.get("/api/recommendations/").json()
    records = api.get("results", api) if isinstance(api, dict) else api
    assert {record["number"]: record["progress"] for record in records} == {1: "not_accepted", 2: "reply_overdue", 3: "implemented"}


def test_vawg_recommendation_7_whose_reply_declines_does_not_read_as_done(client, today):
    call_command("load_seed_data", verbosity=0)
    rec = Recommendation.objects.get(report__slug="violence-against-women-and-girls", number=7)
    assert _progress(rec, today=today) == Progress.NOT_ASSESSED
    html = client.get(rec.get_absolute_url()).content.decode()
    assert "Replied, not yet assessed" in html
    for claim in ("Implemented", "In progress", "Accepted, not started"):
        assert claim not in html
