"""Chasers as an editor uses them: a report's reply and MOPAC's deadline overdue, a letter drafted
with every overdue item, edited, recorded as sent, shown on the timeline and downloaded; a
reminder says what was chased before; every change can be undone."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from docx import Document as WordDocument

from followup.letters import chased_words, overdue_words
from followup.models import Chaser
from followup.selectors import chase_words_for_digest
from recommendations.models import Organisation
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def overdue(db, time_machine):
    """3 March 2026: a report published 1 October 2025 (reply due two months later, 1 December 2025) with no reply,
    its recommendation 2 addressed to MOPAC with a deadline of 30 November 2025."""
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=LONDON), tick=False)
    OrganisationFactory(name="Mayor of London", short_name="Mayor", slug="mayor", kind=Organisation.Kind.MAYOR)
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac", kind=Organisation.Kind.MOPAC)
    report = ReportFactory(slug="stop-and-search", title="Stop and Search", chair="Susan Hall AM", published=datetime.date(2025, 10, 1))
    first = RecommendationFactory(report=report, number=1, text="The Met should publish stop and search data monthly.")
    second = RecommendationFactory(
        report=report,
        number=2,
        text="MOPAC should review body-worn video use.",
        deadline=datetime.date(2025, 11, 30),
        deadline_text="by November 2025",
        deadline_precision="month",
    )
    second.addressees.add(mopac)
    return {"report": report, "first": first, "second": second, "mopac": mopac}


def _draft(client, kind, key):
    answer = client.post(f"/manage/chasers/new/{kind}/{key}/")
    assert answer.status_code == 302
    return Chaser.objects.latest("pk")


def test_an_editor_drafts_edits_records_and_sees_the_chase(client_for, overdue):
    editor = client_for("editor")
    home = editor.get("/manage/chasers/").content.decode()
    assert "The Mayor's reply to ‘Stop and Search’" in home and "Mayor&#x27;s Office for Policing and Crime" in home

    chaser = _draft(editor, "report", "stop-and-search")
    body = chaser.body
    assert chaser.to_name == "Mayor of London" and chaser.from_name == "Susan Hall AM"
    assert "1. Recommendation 1 of the report ‘Stop and Search’" in body and "2. Recommendation 2" in body
    assert "Due: 1 December 2025; overdue by 3 months." in body
    assert f"Our reference: {chaser.reference}" in body and f"/recommendations/{overdue['first'].pk}/" in body

    answer = editor.post(
        f"/manage/chasers/{chaser.pk}/edit/",
        {"to_name": "Sadiq Khan, Mayor of London", "subject": chaser.subject, "body": body.replace("I would be grateful", "We would be grateful")},
    )
    assert answer.status_code == 302
    assert editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": "2026-03-03", "sent_to": "Mayor's Office, City Hall"}).status_code == 302
    chaser.refresh_from_db()
    assert (chaser.status, chaser.sent_on, chaser.to_name) == ("sent", datetime.date(2026, 3, 3), "Sadiq Khan, Mayor of London")
    assert "We would be grateful" in chaser.body

    page = editor.get(overdue["first"].get_absolute_url()).content.decode()
    assert f"Chased by the committee ({chaser.reference})" in page
    digest = chase_words_for_digest(recommendation_ids=[overdue["first"].pk, overdue["second"].pk], today=datetime.date(2026, 3, 3))
    assert digest == {overdue["first"].pk: "chased on 3 March, no reply yet", overdue["second"].pk: "chased on 3 March, no reply yet"}

    word = editor.get(f"/manage/chasers/{chaser.pk}/letter.docx")
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(b"".join([word.content]))).paragraphs)
    assert "Sadiq Khan, Mayor of London" in text and "Recommendation 2 of the report" in text


def test_a_letter_to_an_addressee_lists_its_overdue_deadline_with_what_was_promised(client_for, overdue):
    chaser = _draft(client_for("editor"), "addressee", "mopac")
    assert chaser.to_name == "Mayor's Office for Policing and Crime"
    assert "Due: 30 November 2025 (“by November 2025”); overdue by 3 months." in chaser.body
    assert "What was promised: What the recommendation asked, by November 2025" in chaser.body
    assert list(chaser.recommendations.all()) == [overdue["second"]]


def test_a_reminder_about_an_item_already_chased_says_so(client_for, overdue):
    editor = client_for("editor")
    first = _draft(editor, "addressee", "mopac")
    editor.post(f"/manage/chasers/{first.pk}/sent/", {"sent_on": "2026-03-03", "sent_to": "MOPAC"})
    reminder = _draft(editor, "addressee", "mopac")
    assert reminder.subject.startswith("Reminder: ")
    assert f"We have already written to you about this: 3 March 2026 (our reference {first.reference})." in reminder.body
    assert "Chased before: 3 March 2026" in editor.get("/manage/chasers/new/addressee/mopac/").content.decode()


def test_recording_as_sent_can_be_undone_and_a_draft_deleted(client_for, overdue):
    editor = client_for("editor")
    chaser = _draft(editor, "addressee", "mopac")
    editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": "2026-03-03", "sent_to": "MOPAC"})
    draft_version = chaser.history.order_by("history_date", "history_id").first()
    assert editor.post(f"/manage/chasers/{chaser.pk}/revert/{draft_version.history_id}/").status_code == 302
    chaser.refresh_from_db()
    assert (chaser.status, chaser.sent_on) == ("draft", None)
    assert "Chased by the committee" not in editor.get(overdue["second"].get_absolute_url()).content.decode()
    assert editor.post(f"/manage/chasers/{chaser.pk}/delete/").status_code == 302
    assert not Chaser.objects.exists()
    assert chaser.history.count() == 4  # drafted, sent, reverted, deleted: kept


def test_bad_input_is_refused_and_roles_hold(client_for, overdue):
    editor = client_for("editor")
    chaser = _draft(editor, "report", "stop-and-search")
    answer = editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": "2026-03-04", "sent_to": "MOPAC"})
    assert answer.status_code == 400 and "not before" in answer.content.decode()
    assert editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": "not a date", "sent_to": ""}).status_code == 400
    assert client_for("officer").post("/manage/chasers/new/report/stop-and-search/").status_code == 403
    assert client_for("officer").get(f"/manage/chasers/{chaser.pk}/").status_code == 200
    assert client_for("anonymous").get("/manage/chasers/").status_code == 302
    assert editor.get("/manage/chasers/new/report/no-such-report/").status_code == 404
    assert editor.get("/manage/chasers/new/addressee/mayor/").status_code == 404  # nothing of the Mayor's overdue


@pytest.mark.parametrize(
    ("due", "today", "words"),
    [
        ((2026, 2, 28), (2026, 3, 1), "1 day"),
        ((2025, 12, 31), (2026, 2, 28), "59 days"),
        ((2025, 11, 30), (2026, 3, 3), "3 months"),
        ((2024, 1, 31), (2025, 1, 31), "1 year"),
        ((2024, 1, 31), (2025, 2, 28), "1 year and 1 month"),  # a month on from 31 January is the end of February
        ((2024, 1, 31), (2025, 4, 29), "1 year and 2 months"),
    ],
)
def test_how_long_overdue_in_words(due, today, words):
    assert overdue_words(datetime.date(*due), today=datetime.date(*today)) == words


def test_chased_words_name_the_year_only_when_it_is_not_this_one():
    assert chased_words(datetime.date(2025, 3, 3), replied=True, today=datetime.date(2026, 1, 5)) == "chased on 3 March 2025, replied since"
