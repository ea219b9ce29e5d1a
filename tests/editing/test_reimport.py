"""An admin's corrections survive re-importing the source documents: the importer never
overwrites a record an admin changed (``edited_by_admin``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from importer.services import sources_import
from recommendations.models import Recommendation
from responses.models import Response

pytestmark = pytest.mark.django_db

MANIFEST = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "manifest.json"


def test_an_assessment_and_a_corrected_deadline_survive_a_re_import(client_for):
    sources_import(manifest=MANIFEST, commit=True)
    editor = client_for("editor")
    reply = Response.objects.select_related("recommendation").order_by("pk").first()
    rec = Recommendation.objects.exclude(deadline=None).order_by("pk").first()
    imported_deadline = rec.deadline
    corrected = imported_deadline + datetime.timedelta(days=30)

    editor.post(
        reverse("manage-response-assess", args=[reply.pk]),
        {
            "assessment": "not_accepted", "rationale": "Declines the review.", "implementation_status": "not_implemented",
            "evidence": "Letter of 18 August 2022.",
        },
    )
    editor.post(
        reverse("manage-recommendation-deadline", args=[rec.pk]),
        {
            "deadline_day": corrected.day, "deadline_month": corrected.month, "deadline_year": corrected.year,
            "deadline_text": "as agreed at committee", "deadline_precision": "day", "reason": "Agreed at committee",
        },
    )

    results = sources_import(manifest=MANIFEST, commit=True)
    assert sum(result.actions["kept"] for result in results) >= 1, "the importer reports what it kept"

    reply.refresh_from_db()
    rec.refresh_from_db()
    assert (reply.assessment, reply.implementation_status) == ("not_accepted", "not_implemented")
    assert rec.deadline == corrected and rec.deadline_text == "as agreed at committee"
    page = editor.get(rec.get_absolute_url()).content.decode()
    assert f"{corrected:%-d %B %Y} (“as agreed at committee”)" in page
    reply_page = editor.get(reply.recommendation.get_absolute_url()).content.decode()
    assert "Why this assessment: Declines the review." in reply_page
