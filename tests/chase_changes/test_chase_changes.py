"""A chaser letter recorded as sent is a change of its own: the week's digest lists it under what
changed (once), and so do /changes/ and its Atom feed; a chase sent before the digest's week is
not in that digest."""

from __future__ import annotations

import datetime
import html
import zoneinfo

import pytest
from django.core.management import call_command

from followup.models import Chaser
from recommendations.dates import DatePrecision
from responses.models import OverdueFlag
from tests.factories import RecommendationFactory, ReportFactory

D = datetime.date
MONDAY = D(2026, 11, 23)  # the digest's week: 17 to 23 November
LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(actors):
    """MOPAC's and the Met's recommendations in one report, both overdue since May 2020."""
    report = ReportFactory(published=None, title="Domestic abuse", slug="domestic-abuse")
    recs = {}
    for number, actor, text in ((2, "MOPAC", "MOPAC should fund advocates."), (3, "Met", "The Met should train call handlers.")):
        rec = RecommendationFactory(
            report=report, number=number, text=text, deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH
        )
        rec.addressees.set([actors[actor]])
        OverdueFlag.objects.create(kind=OverdueFlag.Kind.RECOMMENDATION, recommendation=rec, due_date=rec.deadline, raised_on=D(2020, 6, 1))
        recs[actor] = rec
    return recs


def _chase(editor, time_machine, *, addressee: str, sent_on: datetime.date, sent_to: str) -> Chaser:
    """An editor drafts the chaser for ``addressee``'s overdue items and records it sent on ``sent_on``."""
    time_machine.move_to(datetime.datetime(sent_on.year, sent_on.month, sent_on.day, 12, tzinfo=LONDON), tick=False)
    assert editor.post(f"/manage/chasers/new/addressee/{addressee}/").status_code == 302
    chaser = Chaser.objects.latest("pk")
    assert editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": sent_on.isoformat(), "sent_to": sent_to}).status_code == 302
    return chaser


@pytest.fixture
def chased(overdue, client_for, time_machine):
    """The Met chased on 10 November (before the week), MOPAC on 20 November (in it); Monday 23 November 08:00."""
    editor = client_for("editor")
    before = _chase(editor, time_machine, addressee="metropolitan-police-service", sent_on=D(2026, 11, 10), sent_to="Commissioner's office")
    during = _chase(editor, time_machine, addressee="mopac", sent_on=D(2026, 11, 20), sent_to="Chief Executive, MOPAC")
    time_machine.move_to(datetime.datetime(2026, 11, 23, 8, tzinfo=LONDON), tick=False)
    return {"before": before, "during": during}


def test_a_chase_sent_in_the_week_is_listed_once_in_the_digest_and_one_sent_before_is_not(smtp, chased, subscriber):
    subscriber("ann@example.org")

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    [message] = smtp.to("ann@example.org")
    text = message.get_body(("plain",)).get_content()
    during, before = chased["during"], chased["before"]
    line = (
        f"- Recommendation 2: Chased by the committee ({during.reference}): "
        f"letter from {during.from_name} to Chief Executive, MOPAC: {during.subject} (20 November 2026)"
    )
    assert text.count(line) == 1, text
    assert text.count(during.reference) == 1
    assert before.reference not in text
    assert html.unescape(message.get_body(("html",)).get_content()).count(during.reference) == 1


def test_the_changes_page_and_its_feed_list_each_chase_sent_once(client, chased):
    during, before = chased["during"], chased["before"]

    page = html.unescape(client.get("/changes/").content.decode())
    feed = html.unescape(client.get("/changes.atom").content.decode())

    assert page.count(f"Chased by the committee ({during.reference})") == 1
    assert page.count(f"Chased by the committee ({before.reference})") == 1  # the page is every change, not a week
    assert feed.count(f"Chased by the committee ({during.reference})") == 1
    assert feed.count(f"chaser:{during.pk}") == 1  # its own entry


def test_a_draft_is_not_a_change(client, overdue, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, tzinfo=LONDON), tick=False)
    assert client_for("editor").post("/manage/chasers/new/addressee/mopac/").status_code == 302
    draft = Chaser.objects.get()

    page = html.unescape(client.get("/changes/").content.decode())

    assert draft.reference not in page and "Chased by the committee" not in page
