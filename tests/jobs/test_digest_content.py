"""What the weekly digest says on a given day: its sections' boundaries, grouping and order."""

import datetime

import pytest

from recommendations.dates import DatePrecision
from responses.digest import digest_content, week_start_of
from tests.factories import CommitmentFactory, RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
MONDAY = D(2026, 11, 23)

pytestmark = pytest.mark.django_db


def _rec(deadline, *addressees, **kwargs):
    rec = RecommendationFactory(deadline=deadline, deadline_text=f"by {deadline:%-d %B %Y}", deadline_precision=DatePrecision.DAY, **kwargs)
    rec.addressees.set(addressees)
    return rec


def _sections(content, actor="MOPAC"):
    """{section name: [recommendation numbers]} for one actor's group, across its reports."""
    out = {"newly_overdue": [], "still_overdue": [], "due_soon": [], "replies": []}
    for group in content.groups:
        if group.short_name == actor:
            for report in group.reports:
                for key in out:
                    out[key] += [(item.label, item.days) for item in getattr(report, key)]
    return out


def test_newly_overdue_means_it_became_overdue_in_the_seven_days_ending_today(actors):
    report = ReportFactory(published=None)
    _rec(MONDAY - datetime.timedelta(days=1), actors["MOPAC"], report=report, number=1)  # overdue from today
    _rec(MONDAY - datetime.timedelta(days=7), actors["MOPAC"], report=report, number=2)  # overdue from last Tuesday
    _rec(MONDAY - datetime.timedelta(days=8), actors["MOPAC"], report=report, number=3)  # overdue since last Monday: last week's news
    _rec(MONDAY, actors["MOPAC"], report=report, number=4)  # due today: not overdue yet

    sections = _sections(digest_content(today=MONDAY))
    assert sections["newly_overdue"] == [("Recommendation 2", 7), ("Recommendation 1", 1)]
    assert sections["still_overdue"] == [("Recommendation 3", 8)]
    assert sections["due_soon"] == [("Recommendation 4", 0)]


def test_next_weeks_digest_neither_repeats_nor_misses_a_newly_overdue_item(actors):
    report = ReportFactory(published=None)
    for number, days_before in enumerate(range(1, 15), start=1):
        _rec(MONDAY - datetime.timedelta(days=days_before) + datetime.timedelta(days=7), actors["MOPAC"], report=report, number=number)

    this_week = {label for label, _ in _sections(digest_content(today=MONDAY))["newly_overdue"]}
    next_week = {label for label, _ in _sections(digest_content(today=MONDAY + datetime.timedelta(days=7)))["newly_overdue"]}
    assert not this_week & next_week
    assert len(this_week | next_week) == 14


def test_due_soon_is_the_next_fourteen_days_inclusive(actors):
    report = ReportFactory(published=None)
    _rec(MONDAY + datetime.timedelta(days=14), actors["Met"], report=report, number=1)
    _rec(MONDAY + datetime.timedelta(days=15), actors["Met"], report=report, number=2)

    assert _sections(digest_content(today=MONDAY), "Met")["due_soon"] == [("Recommendation 1", 14)]


def test_replies_received_in_the_last_seven_days_are_listed_and_drop_out_of_overdue(actors):
    report = ReportFactory(published=None)
    answered_today = _rec(MONDAY - datetime.timedelta(days=30), actors["MOPAC"], report=report, number=1)
    answered_six_days_ago = _rec(MONDAY - datetime.timedelta(days=30), actors["MOPAC"], report=report, number=2)
    answered_a_week_ago = _rec(MONDAY - datetime.timedelta(days=30), actors["MOPAC"], report=report, number=3)
    ResponseFactory(recommendation=answered_today, date_received=MONDAY)
    ResponseFactory(recommendation=answered_six_days_ago, date_received=MONDAY - datetime.timedelta(days=6))
    ResponseFactory(recommendation=answered_a_week_ago, date_received=MONDAY - datetime.timedelta(days=7))

    sections = _sections(digest_content(today=MONDAY))
    assert sections["replies"] == [("Recommendation 1", 0), ("Recommendation 2", 6)]
    assert sections["still_overdue"] == sections["newly_overdue"] == []


def test_groups_follow_who_must_act_mayor_mopac_met_and_joint_items_appear_under_each(actors):
    report = ReportFactory(published=None, title="Policing")
    _rec(MONDAY - datetime.timedelta(days=40), actors["Met"], report=report, number=1)
    _rec(MONDAY - datetime.timedelta(days=40), actors["MOPAC"], actors["Met"], report=report, number=2)
    _rec(MONDAY - datetime.timedelta(days=40), actors["Mayor"], report=report, number=3)

    content = digest_content(today=MONDAY)
    assert [g.short_name for g in content.groups] == ["Mayor", "MOPAC", "Met"]
    assert [label for label, _ in _sections(content, "Met")["still_overdue"]] == ["Recommendation 1", "Recommendation 2"]
    assert [label for label, _ in _sections(content, "MOPAC")["still_overdue"]] == ["Recommendation 2"]


def test_still_overdue_lists_the_most_overdue_first_with_days_and_groups_by_report(actors):
    older = ReportFactory(published=None, title="A report")
    newer = ReportFactory(published=None, title="B report")
    _rec(D(2026, 1, 31), actors["MOPAC"], report=older, number=5)
    _rec(D(2025, 5, 31), actors["MOPAC"], report=older, number=9)
    _rec(D(2024, 5, 31), actors["MOPAC"], report=newer, number=1)

    group = next(g for g in digest_content(today=MONDAY).groups if g.short_name == "MOPAC")
    assert [r.title for r in group.reports] == ["A report", "B report"]
    assert [(i.label, i.days) for i in group.reports[0].still_overdue] == [
        ("Recommendation 9", (MONDAY - D(2025, 5, 31)).days),
        ("Recommendation 5", (MONDAY - D(2026, 1, 31)).days),
    ]


def test_overdue_commitments_fall_to_their_owner_and_a_report_reply_to_the_mayor(actors, settings):
    settings.RESPONSE_DUE_MONTHS = 2
    awaiting = ReportFactory(published=D(2026, 9, 30), title="Awaiting a reply")  # due 30 November 2026
    RecommendationFactory(report=awaiting)
    CommitmentFactory(owner=actors["Met"], due_date=D(2026, 11, 20), due_precision=DatePrecision.DAY, text="The Met will publish its review.")

    content = digest_content(today=MONDAY)
    mayor = next(g for g in content.groups if g.short_name == "Mayor")
    assert [(i.label, i.days) for r in mayor.reports for i in r.due_soon] == [("The Mayor's reply to this report", 7)]
    met = next(g for g in content.groups if g.short_name == "Met")
    assert [(i.text, i.days) for r in met.reports for i in r.newly_overdue] == [("The Met will publish its review.", 3)]


def test_every_link_is_absolute_and_opens_the_item_page(actors, client, site_url):
    report = ReportFactory(published=None)
    rec = _rec(MONDAY - datetime.timedelta(days=3), actors["MOPAC"], report=report)
    CommitmentFactory(owner=actors["MOPAC"], due_date=MONDAY - datetime.timedelta(days=2), due_precision=DatePrecision.DAY)

    content = digest_content(today=MONDAY)
    urls = [r.url for g in content.groups for r in g.reports] + [
        i.url for g in content.groups for r in g.reports for i in r.newly_overdue
    ]
    assert site_url + rec.get_absolute_url() in urls
    for url in urls:
        assert url.startswith(site_url + "/")
        assert client.get(url.removeprefix(site_url)).status_code == 200, url


def test_the_content_is_read_in_a_fixed_number_of_queries(actors, django_assert_max_num_queries):
    for n in range(12):
        report = ReportFactory(published=D(2026, 1, 1))
        rec = _rec(MONDAY - datetime.timedelta(days=n + 1), actors["MOPAC"], actors["Met"], report=report)
        CommitmentFactory(
            response=ResponseFactory(recommendation=rec, date_received=MONDAY - datetime.timedelta(days=n % 7)),
            due_date=MONDAY + datetime.timedelta(days=n),
            due_precision=DatePrecision.DAY,
        )
    # The bodies; deadlines (overdue and due soon, each with its addressee links and reports),
    # report replies, commitments (each with its reports) and flags; then what changed (replies with
    # their commitments, three histories with their earlier versions, chases sent, the
    # recommendations' addressees).
    with django_assert_max_num_queries(21):
        digest_content(today=MONDAY)


def test_the_week_a_digest_counts_in_starts_on_monday():
    assert week_start_of(D(2026, 11, 23)) == week_start_of(D(2026, 11, 29)) == D(2026, 11, 23)
    assert week_start_of(D(2026, 11, 30)) == D(2026, 11, 30)


def test_a_line_whose_report_is_deleted_while_the_digest_is_read_is_left_out_not_misattributed(actors, monkeypatch):
    """The lines and their reports are read in separate queries: a report deleted in between
    leaves its lines out, rather than listing them as "Not linked to a report"."""
    from responses import digest

    kept, deleted = ReportFactory(published=None, title="Kept"), ReportFactory(published=None, title="Deleted meanwhile")
    _rec(MONDAY - datetime.timedelta(days=3), actors["MOPAC"], report=kept, number=1)
    _rec(MONDAY - datetime.timedelta(days=3), actors["MOPAC"], report=deleted, number=2)
    CommitmentFactory(owner=actors["MOPAC"], response=ResponseFactory(recommendation=_rec(MONDAY, actors["Met"], report=deleted, number=3)),
                      due_date=MONDAY - datetime.timedelta(days=2), due_precision=DatePrecision.DAY)
    read = digest._Records.read_reports
    monkeypatch.setattr(digest._Records, "read_reports", lambda self, ids: read(self, [pk for pk in ids if pk != deleted.pk]))

    content = digest_content(today=MONDAY)
    titles = {report.title for group in content.groups for report in group.reports}
    assert "Kept" in titles and "Deleted meanwhile" not in titles and "Not linked to a report" not in titles
