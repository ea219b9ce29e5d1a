"""Every report select or checkbox list shows the same thing: the newest reports (dated ones newest
first, then, when there are too few of those, undated ones by title) and, in their places, the
report(s) already chosen, and on /changes/ those found by title words. The lists stay bounded and
cost the same number of queries however many reports there are; an older report can still be chosen."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Report
from responses import changes_views, filters, subscription_forms
from responses.editing_choices import RECENT_REPORTS
from responses.models import DigestSubscription
from tests.factories import RecommendationFactory, ResponseFactory

from .conftest import checkboxes, options

pytestmark = pytest.mark.django_db


def _titles(reports) -> list[str]:
    return [report.title for report in reports]


def _newest_first(reports) -> list[str]:
    return _titles(reversed(reports))


# --- /subscribe/ and /digest/ preferences --------------------------------------------------------


def test_subscribe_lists_the_newest_dated_reports_then_undated_ones_by_title(client, make_reports, monkeypatch):
    monkeypatch.setattr(subscription_forms, "REPORTS_SHOWN", 5)
    dated = make_reports(3)
    undated = make_reports(4, first=None, prefix="Undated")

    listed = checkboxes(client.get(reverse("subscribe")).content.decode(), "reports")

    assert listed == _newest_first(dated) + _titles(undated[:2])


def test_subscribe_lists_no_undated_report_when_there_are_enough_dated_ones(client, make_reports, monkeypatch):
    monkeypatch.setattr(subscription_forms, "REPORTS_SHOWN", 5)
    make_reports(2, first=None, prefix="Undated")
    dated = make_reports(8)

    assert checkboxes(client.get(reverse("subscribe")).content.decode(), "reports") == _newest_first(dated[-5:])


def test_reports_of_the_same_day_are_listed_by_title(client, make_reports, monkeypatch):
    monkeypatch.setattr(subscription_forms, "REPORTS_SHOWN", 5)
    make_reports(3, prefix="Zebra", first=datetime.date(2021, 1, 1))
    Report.objects.filter(title__startswith="Zebra").update(published=datetime.date(2021, 1, 1))
    make_reports(1, prefix="Aardvark", first=datetime.date(2021, 1, 1))

    listed = checkboxes(client.get(reverse("subscribe")).content.decode(), "reports")

    assert listed == ["Aardvark 0000", "Zebra 0000", "Zebra 0001", "Zebra 0002"]


def test_chosen_older_and_undated_reports_show_in_their_places(client, make_reports, monkeypatch, users):
    monkeypatch.setattr(subscription_forms, "REPORTS_SHOWN", 3)
    undated = make_reports(2, first=None, prefix="Undated")
    dated = make_reports(6)
    client.force_login(users["officer"])
    users["officer"].email = "olive@example.org"
    users["officer"].save()

    response = client.post(reverse("digest-preferences"), {"subscribed": "on", "reports": [str(dated[0].pk), str(undated[1].pk)]})

    assert response.status_code == 302
    assert set(DigestSubscription.objects.get(user=users["officer"]).reports.all()) == {dated[0], undated[1]}
    listed = checkboxes(client.get(reverse("digest-preferences")).content.decode(), "reports")
    assert listed == _newest_first(dated[-3:]) + [dated[0].title, undated[1].title]


def test_subscribe_reads_as_many_queries_with_three_times_the_reports(client, make_reports, monkeypatch):
    monkeypatch.setattr(subscription_forms, "REPORTS_SHOWN", 5)

    def read() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("subscribe")).content.decode()
        return len(queries), len(checkboxes(page, "reports"))

    make_reports(5)
    client.get(reverse("subscribe"))
    few = read()
    make_reports(10, start=5)
    assert read() == few == (few[0], 5)


# --- /changes/ -----------------------------------------------------------------------------------


def test_changes_select_lists_the_newest_the_chosen_and_the_found_reports_in_date_order(client, make_reports, monkeypatch):
    monkeypatch.setattr(changes_views, "REPORTS_SHOWN", 3)
    knife = make_reports(5, prefix="Knife crime", first=datetime.date(2010, 1, 1))
    make_reports(1, prefix="Undated knife crime", first=None)
    old = make_reports(1, prefix="Stop and search", first=datetime.date(2005, 1, 1))[0]
    recent = make_reports(4)

    plain = [text for _, text in options(client.get("/changes/").content.decode(), "report")]
    assert plain == _newest_first(recent[-3:])

    chosen = client.get("/changes/", {"report": old.slug}).content.decode()
    assert [text for _, text in options(chosen, "report")] == _newest_first(recent[-3:]) + [old.title]
    assert f'<option value="{old.slug}" selected>' in chosen

    found = client.get("/changes/", {"find": "KNIFE", "report": old.slug}).content.decode()
    # The three newest whose title holds the words (dated first), the chosen one, the newest.
    assert [text for _, text in options(found, "report")] == _newest_first(recent[-3:]) + _newest_first(knife[-3:]) + [old.title]


def test_changes_select_finds_undated_reports_after_dated_ones(client, make_reports, monkeypatch):
    monkeypatch.setattr(changes_views, "REPORTS_SHOWN", 3)
    undated = make_reports(2, prefix="Undated knife crime", first=None)
    knife = make_reports(1, prefix="Knife crime", first=datetime.date(2010, 1, 1))
    recent = make_reports(4)

    found = client.get("/changes/", {"find": "knife"}).content.decode()

    assert [text for _, text in options(found, "report")] == _newest_first(recent[-3:]) + _titles(knife) + _titles(undated)


def test_changes_select_of_few_reports_lists_undated_ones_last(client, make_reports):
    undated = make_reports(2, first=None, prefix="Undated")
    dated = make_reports(2)
    assert [text for _, text in options(client.get("/changes/").content.decode(), "report")] == _newest_first(dated) + _titles(undated)


def test_an_unknown_or_malformed_report_on_changes_is_a_form_error(client, make_reports):
    make_reports(2)
    for value in ("no-such-report", "not a slug!", "x" * 300):
        assert client.get("/changes/", {"report": value}).status_code == 400


# --- staff selects: the letter import, the bulk download -----------------------------------------


def test_the_import_select_lists_the_newest_dated_reports_then_undated_ones(client_for, make_reports):
    undated = make_reports(3, first=None, prefix="Undated")
    dated = make_reports(RECENT_REPORTS - 2)

    page = client_for("editor").get(reverse("import-start")).content.decode()

    assert [text for _, text in options(page, "report")] == _newest_first(dated) + _titles(undated[:2])


def test_the_import_select_is_bounded_and_shows_a_chosen_older_report_in_its_place(client_for, make_reports):
    undated = make_reports(1, first=None, prefix="Undated")[0]
    dated = make_reports(RECENT_REPORTS + 10)
    editor = client_for("editor")

    plain = editor.get(reverse("import-start")).content.decode()
    assert [text for _, text in options(plain, "report")] == _newest_first(dated[-RECENT_REPORTS:])

    for chosen in (dated[0], undated):
        refused = editor.post(reverse("import-start"), {"report": chosen.slug})  # no file: refused, shown again
        page = refused.content.decode()
        assert f'<option value="{chosen.slug}" selected>' in page
        assert [text for _, text in options(page, "report")] == _newest_first(dated[-RECENT_REPORTS:]) + [chosen.title]


def test_the_bulk_select_lists_only_reports_with_replies_newest_first(client_for, make_reports):
    reports = make_reports(6)
    undated = make_reports(1, first=None, prefix="Undated")[0]
    answered = [reports[1], reports[4], undated]
    for report in answered:
        ResponseFactory(recommendation=RecommendationFactory(report=report))
    RecommendationFactory(report=reports[5])  # no reply: not listed

    page = client_for("officer").get(reverse("bulk-start")).content.decode()

    assert [text for _, text in options(page, "report")] == [reports[4].title, reports[1].title, undated.title]


def test_the_import_page_reads_as_many_queries_with_three_times_the_reports(client_for, make_reports):
    editor = client_for("editor")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor.get(reverse("import-start")).status_code == 200
        return len(queries)

    make_reports(RECENT_REPORTS)
    editor.get(reverse("import-start"))
    few = count()
    make_reports(2 * RECENT_REPORTS, start=RECENT_REPORTS)
    assert count() == few


# --- the list filters (/commitments/, /recommendations/) -----------------------------------------


@pytest.mark.parametrize("url", ["/commitments/", "/recommendations/"])
def test_list_report_filters_list_the_latest_then_undated_and_a_chosen_older_one(client, make_reports, monkeypatch, url):
    monkeypatch.setattr(filters, "REPORT_SELECT_LIMIT", 4)
    undated = make_reports(1, first=None, prefix="Undated")[0]
    few = make_reports(2)
    assert [text for _, text in options(client.get(url).content.decode(), "report")] == _newest_first(few) + [undated.title]

    more = make_reports(4, start=2)
    old = few[0]
    assert [text for _, text in options(client.get(url).content.decode(), "report")] == _newest_first(more)
    chosen = client.get(url, {"report": old.slug}).content.decode()
    assert [text for _, text in options(chosen, "report")] == _newest_first(more) + [old.title]
    assert f'<option value="{old.slug}" selected>' in chosen


@pytest.mark.parametrize("limit", [1, 3, 5, 8, 12])
def test_the_plain_newest_titles_are_newest_without_a_choice(make_reports, limit):
    """The list filters' cold path reads the newest reports' (slug, title) in one or two small
    queries: the same reports in the same order as ``newest`` (dated newest first, same-day ones by
    title, then undated ones by title only when too few are dated)."""
    make_reports(3, prefix="Dated")
    make_reports(2, first=datetime.date(2020, 1, 2), prefix="Same day")  # one day, two titles
    make_reports(4, first=None, prefix="Undated")
    expected = [(report.slug, report.title) for report in Report.objects.newest(limit)]
    assert Report.objects.newest_titles(limit) == expected
    assert len(expected) == min(limit, 9)
