"""Issue 16: /documents/, /commitments/ and a consultation's page stay small and quick however much
data there is: a page at a time, a bounded report select, a fixed number of queries; and nothing a
reader could reach before is out of reach (every row on some page, filters kept in page links, an
old report still chosen, a link to any submission lands on the page that shows it)."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.dates import DatePrecision
from recommendations.models import Document, Report
from responses.filters import REPORT_SELECT_LIMIT
from responses.models import Commitment, Consultation, Submission
from tests.factories import CommitteeFactory, OrganisationFactory, RecommendationFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def _documents(n: int, *, start: int = 0, kind=Document.Kind.RESPONSE_LETTER) -> list[Document]:
    return Document.objects.bulk_create(
        Document(
            kind=kind,
            title=f"Document {i:04d}",
            source_file=f"d{i}.txt",
            sha256=hashlib.sha256(f"doc {i}".encode()).hexdigest(),
            text="A long stored text.\n" * 50,
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
            date_precision=DatePrecision.DAY,
        )
        for i in range(start, start + n)
    )


def _titles(html: str) -> list[str]:
    return re.findall(r">(Document \d{4})</a>", html)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- /documents/ ---------------------------------------------------------------------------------


def test_documents_come_a_page_at_a_time_and_every_one_is_on_some_page(client):
    _documents(120)
    seen, url = [], "/documents/"
    for _ in range(5):
        html = client.get(url).content.decode()
        titles = _titles(html)
        assert len(titles) <= 50
        seen += titles
        next_link = re.search(r'href="([^"]*)" rel="next"', html)
        if not next_link:
            break
        url = "/documents/" + next_link.group(1).replace("&amp;", "&")
    assert sorted(seen) == [f"Document {i:04d}" for i in range(120)]
    assert seen[0] == "Document 0119"  # newest first


def test_documents_filtered_by_kind_keep_the_kind_in_page_links(client):
    _documents(60)
    _documents(3, start=500, kind=Document.Kind.COMMITTEE_REPORT)
    html = client.get("/documents/?kind=response_letter").content.decode()
    assert "<strong>60</strong> documents" in html
    assert 'href="?kind=response_letter&amp;page=2" rel="next"' in html
    reports = client.get("/documents/?kind=committee_report").content.decode()
    assert _titles(reports) == ["Document 0502", "Document 0501", "Document 0500"]


def test_documents_unknown_kind_or_page_is_a_clear_answer_not_an_error(client):
    _documents(3)
    bad = client.get("/documents/?kind=nonsense")
    assert bad.status_code == 400 and "Choose a kind of document from the list" in bad.content.decode()
    assert client.get("/documents/?page=9").status_code == 404


def test_documents_page_queries_do_not_grow_with_the_documents(client):
    _documents(110)  # page 2 is not the last: the count is counted
    small = _queries(client, "/documents/?page=2")
    _documents(220, start=1000)
    assert _queries(client, "/documents/?page=2") == small <= 3


# --- /commitments/ -------------------------------------------------------------------------------


@pytest.fixture
def old_report_commitment():
    """A commitment in the reply to a report older than the latest REPORT_SELECT_LIMIT."""
    committee = CommitteeFactory()
    Report.objects.bulk_create(
        Report(
            slug=f"recent-{i}",
            title=f"Recent report {i}",
            committee=committee,
            published=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            published_precision="day",
        )
        for i in range(REPORT_SELECT_LIMIT + 20)
    )
    old = Report.objects.create(slug="old-report", title="An old report", committee=committee, published=datetime.date(2010, 1, 1), published_precision="day")
    response = ResponseFactory(recommendation=RecommendationFactory(report=old))
    return Commitment.objects.create(response=response, document=response.letter, position=0, text="We will do the old thing.", due_text="", due_precision="")


def test_commitments_report_select_is_bounded_but_an_old_report_still_filters_and_shows_chosen(client, old_report_commitment):
    html = client.get("/commitments/").content.decode()
    select = re.search(r'<select[^>]*name="report".*?</select>', html, re.S).group(0)
    assert select.count("<option") == REPORT_SELECT_LIMIT + 1  # "All reports" and the latest reports
    assert "old-report" not in select
    chosen = client.get("/commitments/?report=old-report").content.decode()
    assert '<option value="old-report" selected>An old report</option>' in chosen
    assert "We will do the old thing." in chosen and "<strong>1</strong> commitment" in chosen
    assert client.get("/commitments/?report=no-such-report").status_code == 400


def test_commitments_pages_keep_the_filter_and_reach_every_commitment(client):
    owner = OrganisationFactory(slug="mopac")
    response = ResponseFactory()
    Commitment.objects.bulk_create(
        Commitment(
            response=response,
            document=response.letter,
            owner=owner if i % 2 else None,
            position=i,
            text=f"Promise {i:03d}.",
            due_date=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
            due_text="then",
            due_precision="day",
        )
        for i in range(130)
    )
    first = client.get("/commitments/?owner=mopac").content.decode()
    assert "<strong>65</strong> commitments" in first and 'href="?owner=mopac&amp;page=2" rel="next"' in first
    second = client.get("/commitments/?owner=mopac&page=2").content.decode()
    shown = re.findall(r"Promise (\d{3})\.", first) + re.findall(r"Promise (\d{3})\.", second)
    assert shown == [f"{i:03d}" for i in range(1, 130, 2)]  # soonest due first, none missed or repeated


def test_commitments_page_queries_do_not_grow_with_the_commitments(client):
    response = ResponseFactory()

    def add(start, n):
        Commitment.objects.bulk_create(
            Commitment(response=response, document=response.letter, position=i, text=f"P{i}", due_text="", due_precision="") for i in range(start, start + n)
        )

    add(0, 110)  # page 2 is not the last: the count is counted
    client.get("/commitments/")  # the report select's choices are then kept in the page cache
    small = _queries(client, "/commitments/?page=2")
    add(110, 220)
    assert _queries(client, "/commitments/?page=2") == small


# --- /consultations/<slug>/ ----------------------------------------------------------------------


def _consultation(n: int, *, slug="call", start: int = 0) -> Consultation:
    consultation, _ = Consultation.objects.get_or_create(slug=slug, defaults={"title": "A call for views"})
    document = _documents(1, start=9000 + start, kind=Document.Kind.CONSULTATION_COMPILATION)[0]
    Submission.objects.bulk_create(
        Submission(
            consultation=consultation,
            document=document,
            respondent=f"Respondent {i:03d}",
            respondent_kind="public",
            label=f"Respondent {i:03d}",
            text="Please act.",
            start_line=i * 10 + 1,
            end_line=i * 10 + 9,
        )
        for i in range(start, start + n)
    )
    return consultation


def test_a_consultation_shows_its_submissions_a_page_at_a_time_and_all_are_reachable(client):
    _consultation(60)
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/consultations/call/?page={page}").content.decode()
        assert "60 submissions" in html
        sections = re.findall(r'<h2 class="govuk-heading-m" id="submission-\d+-heading">(Respondent \d{3})</h2>', html)
        assert len(sections) <= 25
        seen += sections
    assert seen == [f"Respondent {i:03d}" for i in range(60)]
    assert client.get("/consultations/call/?page=4").status_code == 404


def test_a_link_to_one_submission_goes_to_the_page_that_shows_it(client):
    _consultation(60)
    other = _consultation(1, slug="other", start=100)
    late = Submission.objects.get(respondent="Respondent 055")
    answer = client.get(f"/consultations/call/?submission={late.pk}")
    assert answer.status_code == 302 and answer["Location"] == f"/consultations/call/?page=3#submission-{late.pk}"
    assert f'id="submission-{late.pk}"' in client.get(answer["Location"]).content.decode()
    first = Submission.objects.get(respondent="Respondent 000")
    assert client.get(f"/consultations/call/?submission={first.pk}")["Location"].endswith(f"?page=1#submission-{first.pk}")
    elsewhere = Submission.objects.get(consultation=other)
    for bad in (elsewhere.pk, "x", "9" * 30, "²"):
        assert client.get(f"/consultations/call/?submission={bad}").status_code == 404


def test_a_consultation_page_queries_do_not_grow_with_its_submissions(client):
    _consultation(60)
    small = _queries(client, "/consultations/call/?page=2")
    _consultation(120, start=60)
    assert _queries(client, "/consultations/call/?page=2") == small <= 4


def test_the_open_data_address_of_a_late_submission_opens_the_page_that_shows_it(client):
    """The submissions and asks datasets give each submission's address on the site: followed as a
    browser would (no script), it shows that submission, wherever it falls in the consultation."""
    from pages.exports import submission_records

    _consultation(60)
    late = Submission.objects.get(respondent="Respondent 055")
    record = next(r for r in submission_records(Submission.objects.all(), today=datetime.date(2026, 12, 3)) if r["label"] == late.label)
    path = record["url"].split("://", 1)[-1].split("/", 1)[-1]

    answer = client.get("/" + path.split("#")[0], follow=True)

    assert f'id="submission-{late.pk}"' in answer.content.decode()
    assert answer.redirect_chain[-1][0].endswith(f"#submission-{late.pk}")
