"""Status history as open data: a change made on the site appears, dated, in the recommendation's
history in the API and in the events dataset."""

from __future__ import annotations

import csv
import io

import pytest

from recommendations.models import Recommendation
from responses.models import Response

pytestmark = pytest.mark.django_db


def _vawg(number):
    return Recommendation.objects.get(report__slug="violence-against-women-and-girls", number=number)


def test_an_assessment_made_on_the_site_appears_in_the_history_export(client_for, seeded):
    rec = _vawg(10)
    reply = Response.objects.filter(recommendation=rec).first()
    officer = client_for("officer")
    form = {"assessment": "partially_accepted", "rationale": "Only the funding part.", "implementation_status": "in_progress", "evidence": ""}
    assert officer.post(f"/manage/replies/{reply.pk}/assess/", form).status_code == 302

    events = client_for("anonymous").get(f"/api/recommendations/{rec.pk}/history/").json()["events"]
    changes = {(e["field"], e["old"], e["new"]) for e in events}
    assert ("assessment", reply.history.earliest().assessment, "partially_accepted") in changes
    assert ("implementation_status", "open", "in_progress") in changes
    received = next(e for e in events if e["field"] == "date_received")
    assert received["date"] == reply.date_received.isoformat()  # the reply's own date, not when it was typed in
    assert all(e["recommendation"] == "violence-against-women-and-girls/10" for e in events)

    rows = list(csv.DictReader(io.StringIO(b"".join(client_for("anonymous").get("/api/events/?format=csv").streaming_content).decode())))
    mine = [r for r in rows if r["recommendation"] == "violence-against-women-and-girls/10" and r["field"] == "assessment"]
    assert mine and mine[-1]["new"] == "partially_accepted"
    dataset = client_for("anonymous").get("/api/events/").json()
    assert dataset["count"] == len(rows)


def test_a_deadline_correction_is_an_event(client_for, seeded):
    rec = _vawg(11)
    editor = client_for("editor")
    form = {
        "deadline_day": "30",
        "deadline_month": "6",
        "deadline_year": "2026",
        "deadline_text": "by June 2026",
        "deadline_precision": "month",
        "reason": "The report's web page says June.",
    }
    answer = editor.post(f"/manage/recommendations/{rec.pk}/deadline/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    events = editor.get(f"/api/recommendations/{rec.pk}/history/").json()["events"]
    assert any(e["field"] == "deadline" and e["new"] == "2026-06-30" for e in events)


def test_history_of_an_unknown_recommendation_is_not_found(client, seeded):
    assert client.get("/api/recommendations/999999/history/").status_code == 404


def test_the_events_dataset_reads_a_fixed_number_of_queries(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        assert client.get("/api/events/").json()["count"] > 0
