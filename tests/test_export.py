"""Open data exports: the fields users rely on, stable ids, conflicts shown, CSV and JSON Lines agree."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from importer.services import sources_import
from pages import exports
from pages.exports import RECOMMENDATION_FIELDS, csv_lines, recommendation_records
from pages.spreadsheet import LABELS
from recommendations.dates import DatePrecision
from recommendations.models import Document, Recommendation
from tests.factories import (
    AppearanceFactory,
    CommitmentFactory,
    DocumentFactory,
    OrganisationFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseFactory,
)

MANIFEST = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "manifest.json"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    sources_import(manifest=MANIFEST, commit=True)


def _export(capsys, *args) -> str:
    call_command("export", *args)
    return capsys.readouterr().out


def test_recommendations_jsonl_has_every_field_and_shows_conflicts(seeds, capsys):
    records = [json.loads(line) for line in _export(capsys, "recommendations", "--today", "2026-11-22").splitlines()]
    assert len(records) == 30
    assert all(list(record) == RECOMMENDATION_FIELDS for record in records)
    by_id = {record["id"]: record for record in records}
    da16 = by_id["domestic-abuse/16"]
    assert da16["deadline"] == "2020-05-31" and da16["deadline_status"] == "overdue"
    assert [(c["date"], c["words"], c["section"]) for c in da16["deadline_conflicts"]] == [
        ("2020-05-31", "by May 2020", "summary"),
        ("2020-07-31", "by July 2020", "chapter"),
    ]
    vawg6 = by_id["violence-against-women-and-girls/6"]
    assert vawg6["response_date"] == "2022-08-18" and vawg6["deadline_status"] == "met"
    assert vawg6["response_document"].startswith("Mayor's response") and vawg6["response_text"]
    assert by_id["violence-against-women-and-girls/1"]["addressees"] == [
        "Mayor's Office for Policing and Crime",
        "Metropolitan Police Service",
    ]


def test_ids_are_stable_across_reimports(seeds, capsys):
    first = [json.loads(line)["id"] for line in _export(capsys, "recommendations").splitlines()]
    sources_import(manifest=MANIFEST, commit=True)
    assert [json.loads(line)["id"] for line in _export(capsys, "recommendations").splitlines()] == first


def test_csv_has_the_same_rows_as_jsonl(seeds, capsys):
    jsonl = [json.loads(line) for line in _export(capsys, "responses").splitlines()]
    text = _export(capsys, "responses", "--format", "csv")
    assert text.startswith("\ufeffid,url,")  # the byte order mark: Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(jsonl) == 14
    assert [row["id"] for row in rows] == [record["id"] for record in jsonl]
    assert rows[0]["date_received"] == "2022-08-18"


def test_commitments_and_submissions_export(seeds, capsys):
    commitments = [json.loads(line) for line in _export(capsys, "commitments").splitlines()]
    assert {c["due_date"] for c in commitments if c["due_date"]} >= {"2022-12-31", "2022-09-30", "2023-03-31"}
    submissions = [json.loads(line) for line in _export(capsys, "submissions").splitlines()]
    assert len(submissions) == 19
    refuge = next(s for s in submissions if s["organisation"] == "Refuge")
    assert len(refuge["asks"]) == 8
    # private individuals are exported by label only, never with their text or contact details
    assert all("@" not in json.dumps(s) for s in submissions if s["respondent_kind"] == "public")


def test_export_to_a_file(seeds, tmp_path, capsys):
    target = tmp_path / "recs.csv"
    call_command("export", "recommendations", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert len(rows) == 30 and rows[0]["id"] == "domestic-abuse/1"
    conflicts = next(r for r in rows if r["id"] == "domestic-abuse/16")["deadline_conflicts"].split("; ")
    assert [copy.split(" ")[0] for copy in conflicts] == ["2020-05-31", "2020-07-31"]


# --- Recommendation records from factories: every kind of column, pinned ----------------------

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def varied():
    """Four recommendations covering what a record can hold: several addressees (created out of
    name order), two replies and one not yet received, copies that disagree on the deadline and a
    copy without one, copies that agree, no deadline, and text that CSV must quote."""
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met")
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC")
    home_office = OrganisationFactory(name="Home Office", short_name="Home Office")
    knife = ReportFactory(slug="knife-crime", title='Knife crime: "what works", 2024')
    report_doc = DocumentFactory(kind=Document.Kind.COMMITTEE_REPORT, title="Knife crime report", date=datetime.date(2020, 3, 1))
    page_doc = DocumentFactory(kind=Document.Kind.REPORT_PAGE, title="Knife crime web page", date=datetime.date(2020, 2, 1))

    first = RecommendationFactory(
        report=knife, number=1, text="MOPAC and the Met should publish the review.", chapter="Chapter 1",
        deadline=datetime.date(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH,
    )
    first.addressees.add(met, mopac, home_office)
    AppearanceFactory(recommendation=first, document=report_doc, section="chapter", line=40,
                      deadline=datetime.date(2020, 7, 31), deadline_text="by July 2020")
    AppearanceFactory(recommendation=first, document=report_doc, section="summary", line=4,
                      deadline=datetime.date(2020, 5, 31), deadline_text="by May 2020")
    AppearanceFactory(recommendation=first, document=page_doc, section="page", line=7)
    ResponseFactory(recommendation=first, letter=DocumentFactory(title="Second letter"), date_received=datetime.date(2020, 8, 1),
                    text="Done.", assessment="accepted", implementation_status="implemented")
    ResponseFactory(recommendation=first, letter=DocumentFactory(title="Mayor’s response, June 2020"),
                    date_received=datetime.date(2020, 6, 15), text='The Mayor’s reply:\n"agreed", in part.',
                    assessment="partially_accepted", implementation_status="in_progress")
    ResponseFactory(recommendation=first, letter=DocumentFactory(title="A letter still to come"), date_received=datetime.date(2027, 1, 4))

    RecommendationFactory(report=knife, number=2, text="Review stop and search.", short_text="Review it.",
                          chapter='Chapter 2, "Stop and search"')

    third = RecommendationFactory(report=knife, number=3, text="Fund youth services.", deadline=datetime.date(2026, 12, 1),
                                  deadline_text="by 1 December 2026", deadline_precision=DatePrecision.DAY)
    third.addressees.add(mopac)
    AppearanceFactory(recommendation=third, document=report_doc, section="summary", line=5, deadline=third.deadline)
    AppearanceFactory(recommendation=third, document=page_doc, section="page", line=8, deadline=third.deadline)

    overdue = RecommendationFactory(report=ReportFactory(slug="a-report", title="A report"), number=12, text="Act.",
                                    deadline=datetime.date(2021, 3, 31), deadline_text="2020-21",
                                    deadline_precision=DatePrecision.FINANCIAL_YEAR)
    overdue.addressees.add(home_office)


VARIED_RECORDS = [
    {
        "id": "a-report/12", "report": "a-report", "report_title": "A report", "number": 12, "text": "Act.",
        "short_text": "", "addressees": ["Home Office"], "chapter": "", "deadline": "2021-03-31",
        "deadline_text": "2020-21", "deadline_precision": "financial_year", "deadline_conflicts": [],
        "deadline_status": "overdue", "progress": "reply_overdue", "response_date": None, "response_text": None, "response_document": None,
        "assessment": None, "implementation_status": None,
    },
    {
        "id": "knife-crime/1", "report": "knife-crime", "report_title": 'Knife crime: "what works", 2024', "number": 1,
        "text": "MOPAC and the Met should publish the review.", "short_text": "",
        "addressees": ["Home Office", "Mayor's Office for Policing and Crime", "Metropolitan Police Service"],
        "chapter": "Chapter 1", "deadline": "2020-05-31", "deadline_text": "by May 2020", "deadline_precision": "month",
        "deadline_conflicts": [
            {"date": "2020-05-31", "words": "by May 2020", "found_in": "Knife crime report", "section": "summary", "line": 4},
            {"date": "2020-07-31", "words": "by July 2020", "found_in": "Knife crime report", "section": "chapter", "line": 40},
        ],
        "deadline_status": "missed", "progress": "implemented", "response_date": "2020-06-15", "response_text": 'The Mayor’s reply:\n"agreed", in part.',
        "response_document": "Mayor’s response, June 2020", "assessment": "partially_accepted",
        "implementation_status": "in_progress",
    },
    {
        "id": "knife-crime/2", "report": "knife-crime", "report_title": 'Knife crime: "what works", 2024', "number": 2,
        "text": "Review stop and search.", "short_text": "Review it.", "addressees": [], "chapter": 'Chapter 2, "Stop and search"',
        "deadline": None, "deadline_text": "", "deadline_precision": None, "deadline_conflicts": [],
        "deadline_status": "no_deadline", "progress": "reply_overdue", "response_date": None, "response_text": None, "response_document": None,
        "assessment": None, "implementation_status": None,
    },
    {
        "id": "knife-crime/3", "report": "knife-crime", "report_title": 'Knife crime: "what works", 2024', "number": 3,
        "text": "Fund youth services.", "short_text": "", "addressees": ["Mayor's Office for Policing and Crime"], "chapter": "",
        "deadline": "2026-12-01", "deadline_text": "by 1 December 2026", "deadline_precision": "day", "deadline_conflicts": [],
        "deadline_status": "due_soon", "progress": "reply_overdue", "response_date": None, "response_text": None, "response_document": None,
        "assessment": None, "implementation_status": None,
    },
]

# CSV for people (spreadsheet.py): a byte order mark, labels for codes, lists as "A; B", each
# record's page address beside its stable id ({…} stand for the addresses, which hold database ids).
VARIED_CSV = (
    "\ufeffid,url,report,report_title,number,text,short_text,addressees,chapter,deadline,deadline_text,deadline_precision,"
    "deadline_conflicts,deadline_status,progress,response_date,response_text,response_document,assessment,implementation_status\r\n"
    "a-report/12,{a-report/12},a-report,A report,12,Act.,,Home Office,,2021-03-31,2020-21,Financial year,,Overdue,Reply overdue,,,,,\r\n"
    'knife-crime/1,{knife-crime/1},knife-crime,"Knife crime: ""what works"", 2024",1,MOPAC and the Met should publish the review.,,'
    "Home Office; Mayor's Office for Policing and Crime; Metropolitan Police Service,Chapter 1,2020-05-31,by May 2020,Month,"
    '"2020-05-31 “by May 2020” in Knife crime report, summary, line 4; 2020-07-31 “by July 2020” in Knife crime report, chapter, line 40",'
    'Missed,Implemented,2020-06-15,"The Mayor’s reply:\n""agreed"", in part.","Mayor’s response, June 2020",Partially accepted,In progress\r\n'
    'knife-crime/2,{knife-crime/2},knife-crime,"Knife crime: ""what works"", 2024",2,Review stop and search.,Review it.,,'
    '"Chapter 2, ""Stop and search""",,,,,No deadline,Reply overdue,,,,,\r\n'
    'knife-crime/3,{knife-crime/3},knife-crime,"Knife crime: ""what works"", 2024",3,Fund youth services.,,'
    "Mayor's Office for Policing and Crime,,2026-12-01,by 1 December 2026,Day,,Due soon,Reply overdue,,,,,\r\n"
)


def _urls() -> dict[str, str]:
    """Each varied recommendation's page address by stable id."""
    return {
        f"{slug}/{number}": f"{settings.SITE_URL.rstrip('/')}/recommendations/{pk}/"
        for pk, slug, number in Recommendation.objects.values_list("pk", "report__slug", "number")
    }


def _varied_records() -> list[dict]:
    """VARIED_RECORDS with each page's address after the stable id."""
    urls = _urls()
    return [{"id": record["id"], "url": urls[record["id"]], **record} for record in VARIED_RECORDS]


def test_recommendation_records_hold_every_column(varied):
    records = list(recommendation_records(Recommendation.objects.all(), today=TODAY))
    assert records == _varied_records()
    # The export lists the same conflicting copies as the recommendation page does.
    for record, rec in zip(records, Recommendation.objects.order_by("report__slug", "number"), strict=False):
        assert [(c["date"], c["section"], c["line"]) for c in record["deadline_conflicts"]] == [
            (copy.deadline.isoformat(), copy.section, copy.line) for copy in rec.deadline_conflicts()
        ]


def test_recommendation_csv_is_byte_for_byte(varied):
    rows = recommendation_records(Recommendation.objects.all(), today=TODAY)
    labels = LABELS["recommendations"]
    assert "".join(csv_lines(rows, RECOMMENDATION_FIELDS, labels)) == VARIED_CSV.format_map(_urls())


def test_recommendation_jsonl_keeps_field_order_and_unicode(varied, capsys):
    lines = _export(capsys, "recommendations", "--today", TODAY.isoformat()).splitlines()
    assert [json.loads(line) for line in lines] == _varied_records()
    assert lines[1].startswith('{"id": "knife-crime/1", "url": "http') and "Mayor’s" in lines[1]


@pytest.mark.parametrize("chunk, chunks", [(1, 4), (3, 2), (2000, 1)])
def test_recommendation_records_read_a_fixed_number_of_queries_per_chunk(varied, monkeypatch, django_assert_max_num_queries, chunk, chunks):
    # One query for the recommendations, then addressees, deadline copies and replies per chunk,
    # however many rows the chunk holds; the records are the same whatever the chunk size.
    monkeypatch.setattr(exports, "CHUNK", chunk)
    with django_assert_max_num_queries(1 + 3 * chunks):
        records = list(recommendation_records(Recommendation.objects.all(), today=TODAY))
    assert records == _varied_records()


def test_commitment_records_name_their_recommendation_however_made(capsys):
    reply = ResponseFactory(recommendation=RecommendationFactory(report=ReportFactory(slug="stop-and-search"), number=4))
    plan = DocumentFactory(kind=Document.Kind.COMMITTEE_REPORT, title="Police and Crime Plan", text="The plan.")
    CommitmentFactory(response=reply, document=reply.letter, position=1, owner=OrganisationFactory(name="Home Office", short_name="HO"))
    CommitmentFactory(response=None, recommendation=reply.recommendation, document=plan, position=2, due_precision="")
    CommitmentFactory(response=None, document=plan, position=3, due_date=None, due_text="")
    records = [json.loads(line) for line in _export(capsys, "commitments").splitlines()]
    by_position = {record["id"].split("/")[1]: record for record in records}
    assert [(by_position[p]["recommendation"], by_position[p]["owner"]) for p in ("1", "2", "3")] == [
        ("stop-and-search/4", "Home Office"), ("stop-and-search/4", None), (None, None)
    ]
    assert by_position["2"]["due_precision"] is None and by_position["3"]["due_date"] is None
    assert by_position["2"]["document"] == "Police and Crime Plan"


@pytest.mark.parametrize("ids", [(10, 20), (20, 10)])
def test_two_replies_on_one_day_export_the_one_the_list_shows(ids):
    # The same recommendation answered twice on one day (a letter and its corrected copy): the
    # export and the list agree on which is "the" reply (the one recorded first, by id), whatever
    # order the rows were written in.
    from pages.selectors import recommendation_list

    rec = RecommendationFactory(report=ReportFactory(slug="custody"), number=1)
    for pk in ids:
        ResponseFactory(pk=pk, recommendation=rec, date_received=datetime.date(2020, 6, 15), text=f"Reply {pk}.",
                        assessment="accepted" if pk == 10 else "noted")
    [record] = recommendation_records(Recommendation.objects.all(), today=TODAY)
    listed = recommendation_list(today=TODAY).get(pk=rec.pk)
    assert record["assessment"] == listed.reply_assessment == "accepted"
    assert record["response_text"] == "Reply 10."
