"""The status history is one of the open datasets: `manage.py export events` (JSON Lines or CSV,
as every other dataset) and the API's index; the recommendations and responses apps know of it only
through the hooks the followup app fills."""

from __future__ import annotations

import csv
import datetime
import io
import json
import pathlib
import re

import pytest
from django.core.management import call_command

from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def moved(db):
    rec = RecommendationFactory(deadline=datetime.date(2026, 3, 31), deadline_text="by March 2026", deadline_precision="month")
    rec.deadline, rec.deadline_text = datetime.date(2026, 6, 30), "by June 2026"
    rec.save()
    return rec


def test_export_events_writes_the_deadline_change(moved, tmp_path, capsys):
    call_command("export", "events")
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    deadlines = [(r["old"], r["new"]) for r in records if r["field"] == "deadline"]
    assert deadlines == [("", "2026-03-31"), ("2026-03-31", "2026-06-30")]  # set, then moved
    change = next(r for r in records if r["field"] == "deadline" and r["old"])
    assert change["recommendation"] == f"{moved.report.slug}/{moved.number}" and change["url"].endswith(f"/recommendations/{moved.pk}/")

    target = tmp_path / "events.csv"
    call_command("export", "events", "--format", "csv", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode())  # opens in Excel as UTF-8, as every CSV download
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(row["field"] == "deadline_text" and row["new"] == "by June 2026" for row in rows)


def test_the_api_index_lists_the_events_dataset_and_it_answers(moved, client):
    index = client.get("/api/").json()
    assert index["events"].endswith("/api/events/")
    events = client.get("/api/events/").json()
    assert events["count"] >= 1 and events["next"] is None


def test_recommendations_and_responses_never_import_followup():
    for app in ("recommendations", "responses"):
        for path in (ROOT / app).rglob("*.py"):
            assert not re.search(r"^\s*(from followup\b|import followup\b)", path.read_text(), re.MULTILINE), path
