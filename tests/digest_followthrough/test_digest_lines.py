"""The weekly digest as a subscriber reads it: a line an editor has chased says so, overdue
durations read in words as on the pages, and the "N more" links keep to the reports chosen."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.dates import DatePrecision
from responses.digest import digest_content
from responses.models import OverdueFlag
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
MONDAY = D(2026, 11, 23)
LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db


def _rec(report, number, deadline, *addressees, text=""):
    rec = RecommendationFactory(
        report=report,
        number=number,
        text=text or f"Recommendation {number} of {report.title} should be done.",
        deadline=deadline,
        deadline_text=f"by {deadline:%B %Y}",
        deadline_precision=DatePrecision.MONTH,
    )
    rec.addressees.set(addressees)
    return rec


def _line(text: str, label: str) -> str:
    """The text part's two lines for one item: '  - Recommendation 2: ...' and its 'Due ...' line."""
    match = re.search(rf"  - {label}: .*\n    Due .*\n", text)
    assert match, text
    return " ".join(match.group(0).split())


@pytest.fixture
def moved_deadlines(actors, time_machine):
    """Two recommendations whose deadline was put back to 31 May 2020 on 19 November 2026 (the daily
    job flagged both overdue that day): MOPAC's and the Met's, in one report."""
    report = ReportFactory(published=None, title="Domestic abuse", slug="domestic-abuse")
    mopac = _rec(report, 2, D(2020, 5, 31), actors["MOPAC"], text="MOPAC should fund advocates.")
    met = _rec(report, 3, D(2020, 5, 31), actors["Met"], text="The Met should train call handlers.")
    for rec in (mopac, met):
        OverdueFlag.objects.create(kind=OverdueFlag.Kind.RECOMMENDATION, recommendation=rec, due_date=rec.deadline, raised_on=D(2026, 11, 19))
    return {"report": report, "mopac": mopac, "met": met}


def _chase(editor, time_machine, *, addressee: str, sent_on: datetime.date):
    """An editor drafts the chaser for ``addressee``'s overdue items and records it sent on ``sent_on``."""
    time_machine.move_to(datetime.datetime(sent_on.year, sent_on.month, sent_on.day, 12, tzinfo=LONDON), tick=False)
    assert editor.post(f"/manage/chasers/new/addressee/{addressee}/").status_code == 302
    from followup.models import Chaser

    chaser = Chaser.objects.latest("pk")
    answer = editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": sent_on.isoformat(), "sent_to": "Chief Executive, MOPAC"})
    assert answer.status_code == 302
    return chaser


def test_a_chased_overdue_item_says_so_in_the_digest_email(smtp, moved_deadlines, subscriber, client_for, time_machine):
    _chase(client_for("editor"), time_machine, addressee="mopac", sent_on=D(2026, 11, 20))
    subscriber("ann@example.org")
    time_machine.move_to(datetime.datetime(2026, 11, 23, 8, tzinfo=LONDON), tick=False)

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    [message] = smtp.to("ann@example.org")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert _line(text, "Recommendation 2") == (
        '- Recommendation 2: MOPAC should fund advocates. Due 31 May 2020 ("by May 2020"), 6 years 5 months overdue; chased on 20 November, no reply yet'
    )
    # The Met's item was not chased: its line says nothing of a chase.
    assert _line(text, "Recommendation 3").endswith('Due 31 May 2020 ("by May 2020"), 6 years 5 months overdue')
    assert html.count("chased on 20 November, no reply yet") == 1


def test_a_reply_after_the_chase_is_said_so(moved_deadlines, client_for, time_machine):
    _chase(client_for("editor"), time_machine, addressee="mopac", sent_on=D(2026, 11, 17))
    ResponseFactory(recommendation=moved_deadlines["mopac"], date_received=D(2026, 11, 21))

    content = digest_content(today=MONDAY)

    [reply] = [item for group in content.groups for section in group.reports for item in section.replies]
    assert reply.label == "Recommendation 2" and reply.chased == "chased on 17 November, replied since"


def test_chase_notes_cost_the_same_queries_however_many_lines_are_chased(actors, client_for, time_machine, django_assert_num_queries):
    report = ReportFactory(published=None, title="Stop and search", slug="stop-and-search")
    for number in range(1, 10):
        _rec(report, number, D(2026, 11, 20), actors["MOPAC"] if number < 3 else actors["Met"])
    editor = client_for("editor")
    _chase(editor, time_machine, addressee="mopac", sent_on=D(2026, 11, 21))
    with CaptureQueriesContext(connection) as two_chased:
        digest_content(today=MONDAY)
    queries = len(two_chased)  # now: a request (the chase below) empties the connection's log

    _chase(editor, time_machine, addressee="metropolitan-police-service", sent_on=D(2026, 11, 22))
    with django_assert_num_queries(queries):
        content = digest_content(today=MONDAY)
    chased = {item.label: item.chased for group in content.groups for section in group.reports for item in section.newly_overdue}
    assert chased["Recommendation 1"] == "chased on 21 November, no reply yet"
    assert [chased[f"Recommendation {n}"] for n in range(3, 10)] == ["chased on 22 November, no reply yet"] * 7


def test_overdue_and_due_soon_durations_read_in_words(smtp, actors, subscriber):
    report = ReportFactory(published=None, title="Knife crime", slug="knife-crime")
    _rec(report, 1, D(2026, 11, 20), actors["MOPAC"])  # newly overdue
    _rec(report, 2, D(2026, 12, 7), actors["MOPAC"])  # due in two weeks
    old = _rec(report, 3, D(2020, 5, 31), actors["MOPAC"])  # its deadline was moved back this week
    OverdueFlag.objects.create(kind=OverdueFlag.Kind.RECOMMENDATION, recommendation=old, due_date=old.deadline, raised_on=D(2026, 11, 22))
    subscriber("ann@example.org")

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    [message] = smtp.to("ann@example.org")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert _line(text, "Recommendation 1").endswith("3 days overdue")
    assert _line(text, "Recommendation 2").endswith("2 weeks left")
    assert _line(text, "Recommendation 3").endswith("6 years 5 months overdue")
    assert "6 years 5 months overdue" in html and "2367 days" not in text + html
