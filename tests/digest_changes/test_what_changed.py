"""The digest says what changed: new replies with their first lines and promises, status changes
from the history, newly overdue items from the flags, labels and links from the settings; and the
What changed page and Atom feed show the same changes."""

import datetime

import pytest
from django.utils import timezone

from recommendations.dates import DatePrecision
from responses.digest import digest_content
from responses.models import Assessment, OverdueFlag
from responses.services import digest_subject
from tests.factories import CommitmentFactory, OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def mopac():
    return OrganisationFactory(short_name="MOPAC", name="Mayor's Office for Policing and Crime", slug="mopac")


def _rec(mopac, **kwargs):
    rec = RecommendationFactory(**kwargs)
    rec.addressees.set([mopac])
    return rec


def _items(content, section):
    return [item for group in content.groups for report in group.reports for item in getattr(report, section)]


def test_a_new_reply_shows_its_first_lines_and_what_it_promises(mopac):
    today = D(2026, 11, 23)
    rec = _rec(mopac, report=ReportFactory(published=D(2026, 1, 1)))
    reply = ResponseFactory(
        recommendation=rec, date_received=D(2026, 11, 20), text="MOPAC accepts this recommendation.\nA forum will meet quarterly.\nMore detail."
    )
    CommitmentFactory(response=reply, text="The forum will first meet in spring", due_date=D(2027, 3, 31), due_text="", due_precision=DatePrecision.DAY)

    [item] = _items(digest_content(today=today), "replies")
    assert item.summary == "MOPAC accepts this recommendation. A forum will meet quarterly."
    assert item.commitments == ("The forum will first meet in spring (due 31 March 2027)",)


def test_an_assessment_change_recorded_in_the_history_is_listed_with_before_and_after(mopac):
    today = timezone.localdate()  # history records are stamped with the real time
    rec = _rec(mopac, report=ReportFactory(published=D(2020, 1, 1)))
    reply = ResponseFactory(recommendation=rec, date_received=D(2021, 1, 1))
    reply.assessment = Assessment.NOT_ACCEPTED
    reply.save()

    [item] = _items(digest_content(today=today), "changes")
    assert item.summary == "Assessment: Not yet assessed → Not accepted"
    assert item.url.endswith(rec.get_absolute_url())


def test_long_overdue_items_are_counted_not_relisted_but_a_flag_raised_this_week_is_newly_overdue(mopac):
    today = D(2026, 11, 23)
    report = ReportFactory(published=D(2026, 1, 1))
    old = _rec(mopac, report=report, deadline=D(2026, 3, 31), deadline_precision=DatePrecision.DAY)
    moved = _rec(mopac, report=report, deadline=D(2026, 4, 30), deadline_precision=DatePrecision.DAY)
    # The flag job found ``moved`` overdue only this week (say its deadline was corrected).
    OverdueFlag.objects.create(kind=OverdueFlag.Kind.RECOMMENDATION, recommendation=moved, due_date=moved.deadline, raised_on=D(2026, 11, 20))

    content = digest_content(today=today)
    assert [i.label for i in _items(content, "newly_overdue")] == [f"Recommendation {moved.number}"]
    [group] = [g for g in content.groups if g.organisation == mopac]
    assert group.still_overdue_count == 1
    assert f"Recommendation {old.number}" not in " ".join(i.label for i in _items(content, "newly_overdue"))
    assert "still overdue" in digest_subject(content)


def test_the_due_soon_label_and_its_more_link_follow_the_setting(mopac, settings, client):
    settings.DIGEST_DUE_WITHIN_DAYS = 21
    today = D(2026, 11, 23)
    report = ReportFactory(published=D(2026, 1, 1))
    for n in range(30):
        _rec(mopac, report=report, deadline=today + datetime.timedelta(days=20), deadline_precision=DatePrecision.DAY, number=100 + n)

    content = digest_content(today=today)
    assert content.due_soon_label == "Due in the next 21 days"
    [group] = [g for g in content.groups if g.organisation == mopac]
    [(name, count, url)] = group.more
    assert (name, count) == ("due in the next 21 days", 5)
    assert "due_within=21" in url and "addressee=mopac" in url


def test_the_changes_page_and_atom_feed_list_a_new_reply_and_filter_by_report(mopac, client):
    rec = _rec(mopac, report=ReportFactory(published=D(2020, 1, 1), title="Violence against women and girls"))
    other = _rec(mopac, report=ReportFactory(published=D(2020, 1, 1), title="Stop and search"))
    ResponseFactory(recommendation=rec, date_received=timezone.localdate(), text="The Mayor does not accept a forum.")
    ResponseFactory(recommendation=other, date_received=timezone.localdate(), text="The Met agrees.")

    page = client.get("/changes/")
    assert page.status_code == 200
    assert "The Mayor does not accept a forum." in page.text and "The Met agrees." in page.text

    narrowed = client.get("/changes/", {"report": rec.report.slug})
    assert "The Mayor does not accept a forum." in narrowed.text and "The Met agrees." not in narrowed.text

    feed = client.get("/changes.atom", {"report": rec.report.slug})
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert b"The Mayor does not accept a forum." in feed.content and b"The Met agrees." not in feed.content
    assert rec.get_absolute_url().encode() in feed.content

    assert client.get("/changes/", {"report": "no-such-report"}).status_code == 400
    assert client.get("/changes/", {"page": "99999999999999999999"}).status_code == 400
