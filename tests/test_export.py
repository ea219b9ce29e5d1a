"""Open data exports: the fields users rely on, stable ids, conflicts shown, CSV and JSON Lines agree."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from recommendations.exports import RECOMMENDATION_FIELDS
from recommendations.services import sources_import

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
    rows = list(csv.DictReader(io.StringIO(_export(capsys, "responses", "--format", "csv"))))
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
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 30 and rows[0]["id"] == "domestic-abuse/1"
    assert json.loads(next(r for r in rows if r["id"] == "domestic-abuse/16")["deadline_conflicts"])[1]["date"] == "2020-07-31"
