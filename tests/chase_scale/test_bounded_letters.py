"""Chasers for a body with many overdue items: the draft and the letter name the longest overdue
(at most ``CHASER_MAX_ITEMS``), say how many more there are and link to the full lists, in the
same number of queries whatever the number of overdue items; the letter is linked to the items it
names, so only those show as chased. A body with few overdue items gets the letter it got before.
The chaser home counts each body's overdue items the same from the dashboard's stored figures as
counted live."""

from __future__ import annotations

import datetime
import html
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Chaser
from followup.selectors import chase_words_for_digest
from recommendations.models import Organisation
from tests.factories import CommitmentFactory, DocumentFactory, OrganisationFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
CAP = 5


@pytest.fixture
def today(time_machine, settings):
    settings.CHASER_MAX_ITEMS = CAP
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=LONDON), tick=False)
    return D(2026, 3, 3)


@pytest.fixture
def mopac(db):
    return OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac", kind=Organisation.Kind.MOPAC)


def _overdue_recs(mopac, count: int, *, start: int = 0, report=None) -> list:
    """``count`` recommendations addressed to MOPAC, the ``n``-th due on the ``n``-th of January 2025
    (so the lower ``n``, the longer overdue), with no reply."""
    report = report or ReportFactory(slug=f"report-{start}", title=f"Report {start}", chair="Susan Hall AM", published=D(2024, 6, 1))
    recs = []
    for n in range(start, start + count):
        rec = RecommendationFactory(report=report, number=n + 1, text=f"MOPAC should do thing {n}.", deadline=D(2025, 1, 1) + datetime.timedelta(days=n))
        rec.addressees.add(mopac)
        recs.append(rec)
    return recs


def _overdue_commitments(mopac, dues: list[datetime.date]) -> list:
    """Open commitments MOPAC made, due on ``dues`` (each in a reply to a recommendation of its own)."""
    letter = DocumentFactory()
    return [CommitmentFactory(owner=mopac, response__letter=letter, document=letter, due_date=due, text=f"MOPAC will act {n}.") for n, due in enumerate(dues)]


def _items(page: str) -> list[str]:
    block = re.search(r'<ol class="govuk-list govuk-list--number" id="items">(.*?)</ol>', page, re.S)[1]
    return [html.unescape(label) for label in re.findall(r'<a class="govuk-link" href="[^"]*">([^<]*)</a>', block)]


def _draft(client, kind: str, key: str) -> Chaser:
    assert client.post(f"/manage/chasers/new/{kind}/{key}/").status_code == 302
    return Chaser.objects.latest("pk")


def test_the_draft_names_the_longest_overdue_says_how_many_more_and_links_the_full_lists(client_for, today, mopac):
    recs = _overdue_recs(mopac, 8)  # due 1 to 8 January 2025
    old, late = _overdue_commitments(mopac, [D(2024, 12, 1), D(2025, 6, 30)])  # one older than every recommendation, one newer
    editor = client_for("editor")

    page = editor.get("/manage/chasers/new/addressee/mopac/").content.decode()
    # The five longest overdue: the December 2024 commitment and the four oldest deadlines, listed recommendations first.
    assert _items(page) == [f"Recommendation {n} of the report ‘Report 0’" for n in (1, 2, 3, 4)] + ["Commitment in ‘" + old.document.title + "’"]
    assert "10 items are overdue" in page
    more = re.search(r'<p class="govuk-body" id="more">(.*?)</p>', page, re.S)[1]
    assert "And 5 more overdue, not named in the letter" in more
    assert 'href="http://testserver/recommendations/?addressee=mopac&amp;status=overdue&amp;sort=deadline"' in more
    assert 'href="http://testserver/commitments/?owner=mopac&amp;due=overdue"' in more

    chaser = _draft(editor, "addressee", "mopac")
    assert chaser.subject == "Overdue deadlines and commitments of Mayor's Office for Policing and Crime: 10 overdue items"
    assert "has not received what it was promised on 10 items. These are the 5 longest overdue:" in chaser.body
    assert "5. Commitment in ‘" in chaser.body and "6. " not in chaser.body
    assert "5 more items are overdue, not listed here. The full lists:" in chaser.body
    assert "http://testserver/recommendations/?addressee=mopac&status=overdue&sort=deadline" in chaser.body
    # The letter is linked to what it names, and only that.
    assert sorted(chaser.recommendations.values_list("pk", flat=True)) == [rec.pk for rec in recs[:4]]
    assert list(chaser.commitments.all()) == [old]
    assert late not in chaser.commitments.all()

    # The full lists hold every overdue item: nothing the letter leaves out is out of reach.
    listed = editor.get("/recommendations/?addressee=mopac&status=overdue&sort=deadline").content.decode()
    assert all(f"/recommendations/{rec.pk}/" in listed for rec in recs)
    listed = editor.get("/commitments/?owner=mopac&due=overdue").content.decode()
    assert all(commitment.text in listed for commitment in (old, late))


def test_only_the_items_a_letter_names_show_as_chased(client_for, today, mopac):
    recs = _overdue_recs(mopac, CAP + 2)
    editor = client_for("editor")
    chaser = _draft(editor, "addressee", "mopac")
    assert editor.post(f"/manage/chasers/{chaser.pk}/sent/", {"sent_on": "2026-03-03", "sent_to": "MOPAC"}).status_code == 302

    named, unnamed = recs[0], recs[-1]
    assert f"Chased by the committee ({chaser.reference})" in editor.get(named.get_absolute_url()).content.decode()
    assert "Chased by the committee" not in editor.get(unnamed.get_absolute_url()).content.decode()
    assert chase_words_for_digest(recommendation_ids=[named.pk, unnamed.pk], today=today) == {named.pk: "chased on 3 March, no reply yet"}

    # The reminder names the same longest-overdue items, each marked as chased before.
    reminder = _draft(editor, "addressee", "mopac")
    assert reminder.subject.startswith("Reminder: ")
    assert reminder.body.count(f"We have already written to you about this: 3 March 2026 (our reference {chaser.reference}).") == CAP


def test_a_body_with_few_overdue_items_gets_every_one_and_no_list_links(client_for, today, mopac):
    recs = _overdue_recs(mopac, CAP - 2)
    commitments = _overdue_commitments(mopac, [D(2025, 2, 28)])
    editor = client_for("editor")
    page = editor.get("/manage/chasers/new/addressee/mopac/").content.decode()
    assert len(_items(page)) == CAP - 1 and 'id="more"' not in page and "items are overdue" not in page

    chaser = _draft(editor, "addressee", "mopac")
    assert chaser.subject.endswith(f": {CAP - 1} overdue items")
    assert "on the following items:" in chaser.body and "not listed here" not in chaser.body
    assert set(chaser.recommendations.all()) == set(recs) and list(chaser.commitments.all()) == commitments


def test_a_report_of_more_recommendations_than_a_letter_names(client_for, today):
    report = ReportFactory(slug="big", title="Big report", chair="Susan Hall AM", published=D(2025, 6, 1))
    for number in range(1, CAP + 3):
        RecommendationFactory(report=report, number=number)
    editor = client_for("editor")
    page = editor.get("/manage/chasers/new/report/big/").content.decode()
    assert _items(page) == [f"Recommendation {n} of the report ‘Big report’" for n in range(1, CAP + 1)]
    assert 'href="http://testserver/recommendations/?report=big"' in page and "And 2 more overdue" in page

    chaser = _draft(editor, "report", "big")
    assert chaser.recommendations.count() == CAP and "2 more items are overdue, not listed here. The full list:" in chaser.body
    assert chaser.subject == "The Mayor's reply to our report ‘Big report’: 7 overdue items"


def test_a_report_of_few_recommendations_is_chased_for_all_of_them(client_for, today):
    report = ReportFactory(slug="small", title="Small report", published=D(2025, 6, 1))
    recs = [RecommendationFactory(report=report, number=number) for number in (1, 2, 3)]
    chaser = _draft(client_for("editor"), "report", "small")
    assert list(chaser.recommendations.order_by("number")) == recs and "not listed here" not in chaser.body


def test_drafting_reads_as_many_rows_with_three_times_the_overdue_items(client_for, today, mopac):
    editor = client_for("editor")
    editor.get("/manage/chasers/")  # the session and permissions read once

    def queries(method) -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = method("/manage/chasers/new/addressee/mopac/")
        assert answer.status_code in (200, 302)
        return len(captured)

    report = ReportFactory(slug="many", title="Many", published=D(2024, 6, 1))
    _overdue_recs(mopac, 2 * CAP, report=report)
    _overdue_commitments(mopac, [D(2024, 1, 1) + datetime.timedelta(days=n) for n in range(2 * CAP)])
    fewer = (queries(editor.get), queries(editor.post))
    _overdue_recs(mopac, 4 * CAP, start=2 * CAP, report=report)
    _overdue_commitments(mopac, [D(2024, 3, 1) + datetime.timedelta(days=n) for n in range(4 * CAP)])
    assert (queries(editor.get), queries(editor.post)) == fewer
    assert Chaser.objects.latest("pk").body.count("See: ") == CAP


def _home_rows(client) -> list[tuple[str, str]]:
    page = client.get("/manage/chasers/").content.decode()
    who = r'<td data-label="Who" class="govuk-table__cell">\s*(.*?)\s*</td>'
    return re.findall(who + r'\s*<td data-label="Overdue items" class="govuk-table__cell">(\d+)</td>', page)


def test_the_chaser_home_counts_each_body_the_same_from_stored_figures_as_live(client_for, today, mopac):
    from pages import figures

    met = OrganisationFactory(name="Metropolitan Police Service", slug="met", kind=Organisation.Kind.OTHER)
    recs = _overdue_recs(mopac, 4)
    recs[0].addressees.add(met)
    _overdue_commitments(mopac, [D(2025, 6, 30)])
    _overdue_commitments(met, [D(2025, 6, 30), D(2025, 7, 31)])
    editor = client_for("editor")
    live = _home_rows(editor)
    assert live[:2] == [("Mayor&#x27;s Office for Policing and Crime", "5"), ("Metropolitan Police Service", "3")]

    figures.fill(days=[today])
    with CaptureQueriesContext(connection) as captured:
        assert _home_rows(editor) == live
    # Read from the stored figures: the addressee links of every overdue recommendation are not counted.
    assert not [query for query in captured.captured_queries if "recommendation_addressees" in query["sql"]]
    # A recommendation added after the figures were stored is counted (they are kept current on write).
    _overdue_recs(mopac, 1, start=10, report=recs[0].report)
    assert _home_rows(editor)[0] == ("Mayor&#x27;s Office for Policing and Crime", "6")
