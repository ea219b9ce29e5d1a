"""The history of changes on a recommendation's page: who changed what and when, shown to
signed-in staff only, and revertible by editors through a confirmation page (POST with CSRF)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from responses.models import CommitmentRevision

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _history(page: str) -> str:
    return page[page.index('id="history"') :]


def test_staff_see_who_changed_what_and_why_anonymous_visitors_do_not(client_for, world):
    rec = world["recommendation"]
    client_for("editor").post(
        reverse("manage-recommendation-deadline", args=[rec.pk]),
        {**_date("deadline", datetime.date(2022, 6, 30)), "deadline_text": "by June 2022", "deadline_precision": "month", "reason": "The report says June"},
    )
    client_for("officer").post(
        reverse("manage-response-assess", args=[world["response"].pk]),
        {"assessment": "noted", "rationale": "Describes current work only.", "implementation_status": "open", "evidence": ""},
    )
    history = _history(client_for("officer").get(rec.get_absolute_url()).content.decode())
    assert "Eddie" in history and "Olive" in history  # who
    assert "<strong>Recommendation 3</strong>: changed (Deadline corrected: The report says June)" in history
    assert "Deadline: <del>31 May 2022</del> → <ins>30 June 2022</ins>" in history
    assert "Deadline text: <del>by May 2022</del> → <ins>by June 2022</ins>" in history
    assert "<strong>Reply of 18 August 2022</strong>: changed (Assessed: Noted, no commitment)" in history
    assert "Assessment: <del>Not yet assessed</del> → <ins>Noted, no commitment</ins>" in history
    assert "Assessment rationale: <del>(none)</del> → <ins>Describes current work only.</ins>" in history
    assert history.index("Olive") < history.index("Eddie")  # newest first
    public = client_for("anonymous").get(rec.get_absolute_url()).content.decode()
    assert "History of changes" not in public and "Eddie" not in public


def test_commitment_revisions_and_report_due_dates_are_in_the_history(client_for, world):
    editor = client_for("editor")
    editor.post(
        reverse("manage-commitment-revise", args=[world["commitment"].pk]),
        {**_date("due_date", datetime.date(2023, 3, 31)), "due_precision": "day", "reason": "Moved by letter"},
    )
    editor.post(
        reverse("manage-report-response-due", args=[world["report"].slug]),
        {**_date("due_date", datetime.date(2022, 6, 30)), "reason": "Agreed"},
    )
    history = _history(editor.get(world["recommendation"].get_absolute_url()).content.decode())
    assert "Due date: <del>31 December 2022</del> → <ins>31 March 2023</ins>" in history
    assert "(Due date revised: Moved by letter)" in history
    assert "<strong>Report</strong>: changed (Reply due date set: Agreed)" in history
    assert "Response due override: <del>(none)</del> → <ins>30 June 2022</ins>" in history


def test_an_editor_reverts_a_deadline_after_confirming_and_the_revert_is_itself_recorded(client_for, world):
    rec = world["recommendation"]
    editor = client_for("editor")
    editor.post(
        reverse("manage-recommendation-deadline", args=[rec.pk]),
        {**_date("deadline", datetime.date(2022, 6, 30)), "deadline_precision": "day", "reason": "Typo"},
    )
    original = rec.history.order_by("history_date").first()
    url = reverse("manage-history-revert", args=["recommendation", original.history_id])
    assert f'href="{url}"' in editor.get(rec.get_absolute_url()).content.decode()

    confirm = editor.get(url).content.decode()
    assert "Revert to the version of" in confirm
    assert "From <del>30 June 2022</del> back to <ins>31 May 2022</ins>" in confirm
    assert 'name="csrfmiddlewaretoken"' in confirm
    rec.refresh_from_db()
    assert rec.deadline == datetime.date(2022, 6, 30), "opening the confirmation page changes nothing"

    page = editor.post(url, follow=True).content.decode()
    assert "Reverted to the version of" in page
    rec.refresh_from_db()
    assert rec.deadline == datetime.date(2022, 5, 31) and rec.deadline_text == "by May 2022"
    assert rec.edited_by_admin
    history = _history(page)
    assert "(Reverted to the version of" in history
    assert "Deadline: <del>30 June 2022</del> → <ins>31 May 2022</ins>" in history


def test_reverting_a_commitment_keeps_a_revision_so_the_slipped_date_stays_visible(client_for, world):
    editor = client_for("editor")
    commitment = world["commitment"]
    editor.post(
        reverse("manage-commitment-revise", args=[commitment.pk]),
        {**_date("due_date", datetime.date(2023, 3, 31)), "due_precision": "day", "reason": "Moved"},
    )
    original = commitment.history.order_by("history_date").first()
    editor.post(reverse("manage-history-revert", args=["commitment", original.history_id]))
    commitment.refresh_from_db()
    assert commitment.due_date == datetime.date(2022, 12, 31)
    assert list(CommitmentRevision.objects.filter(commitment=commitment).values_list("new_due_date", flat=True)) == [
        datetime.date(2023, 3, 31),
        datetime.date(2022, 12, 31),
    ]


def test_reverting_addressees_puts_back_who_a_recommendation_was_addressed_to(client_for, world, users):
    from tests.factories import OrganisationFactory

    rec = world["recommendation"]
    mopac, met = OrganisationFactory(name="MOPAC", short_name="MOPAC"), OrganisationFactory(name="Metropolitan Police", short_name="Met")
    rec.addressees.set([mopac])
    before = rec.history.order_by("-history_date", "-history_id").first()
    rec.addressees.set([met])
    editor = client_for("editor")
    history = _history(editor.get(rec.get_absolute_url()).content.decode())
    # ``set`` removes, then adds: two changes, each shown.
    assert history.index("Addressed to: <del>no one</del> → <ins>Met</ins>") < history.index("Addressed to: <del>MOPAC</del> → <ins>no one</ins>")
    editor.post(reverse("manage-history-revert", args=["recommendation", before.history_id]))
    assert list(rec.addressees.values_list("short_name", flat=True)) == ["MOPAC"]


def test_unknown_versions_and_kinds_are_not_found(client_for, world):
    editor = client_for("editor")
    assert editor.get(reverse("manage-history-revert", args=["recommendation", 999999])).status_code == 404
    assert editor.get(reverse("manage-history-revert", args=["organisation", 1])).status_code == 404
