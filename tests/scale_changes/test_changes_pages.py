"""What changed (/changes/, /changes.atom) and the events dataset (/api/events/) at scale: a page
holds at most one page of changes and links to older ones by date, every change is still reached
(once) by following those links, the report select lists a bounded number of reports but any
report can still be chosen or found, and a page costs the same number of queries however many
changes there are."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup import views as followup_views
from responses import changes_views
from responses.models import OverdueFlag
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NEWEST = D(2024, 5, 1)


def _replies(count: int, *, report=None, day=NEWEST, per_day: int = 1, addressee=None):
    """``count`` replies, ``per_day`` of them on each day going back from ``day``; their texts."""
    texts = []
    for i in range(count):
        rec = RecommendationFactory(report=report or ReportFactory())
        if addressee is not None:
            rec.addressees.set([addressee])
        text = f"Reply number {i:04d} says yes."
        ResponseFactory(recommendation=rec, text=text, date_received=day - datetime.timedelta(days=i // per_day))
        texts.append(text)
    return texts


def _walk(client, url: str) -> tuple[list[str], list[str]]:
    """Every reply text shown on the pages reached from ``url`` by "Older changes", and the links."""
    seen, links = [], []
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += re.findall(r"Reply number \d{4} says yes\.", page.text)
        older = re.search(r'href="(\?[^"]*)"\s+rel="next"', page.text)
        url = "/changes/" + unescape(older[1]) if older else ""
        links.append(url)
        assert len(links) < 50
    return seen, links


def test_following_older_changes_reaches_every_change_once_even_when_a_day_holds_more_than_a_page(client):
    texts = _replies(130, per_day=70)  # 70 replies on 1 May, 60 on 30 April: "Older" must go on within a day
    seen, links = _walk(client, "/changes/")
    assert sorted(seen) == sorted(texts)  # each once, none lost
    assert len(links) == 3  # 50 + 50 + 30
    assert "until=2024-05-01" in links[0] and "skip=50" in links[0]


def test_older_links_keep_the_filters_and_a_report_filter_shows_only_its_changes(client):
    addressee = OrganisationFactory(slug="mopac")
    report = ReportFactory(slug="knife-crime", title="Knife crime")
    mine = _replies(60, report=report, addressee=addressee)
    _replies(20)
    seen, links = _walk(client, "/changes/?report=knife-crime&addressee=mopac")
    assert sorted(seen) == sorted(mine)
    assert "report=knife-crime" in links[0] and "addressee=mopac" in links[0]


def test_the_page_shows_at_most_one_page_of_changes_and_the_newest_first(client):
    texts = _replies(60)
    page = client.get("/changes/")
    shown = re.findall(r"Reply number \d{4} says yes\.", page.text)
    assert shown == texts[: changes_views.PER_PAGE]
    assert 'rel="next"' in page.text and "Newest changes" not in page.text


def test_the_report_select_lists_the_most_recent_reports_and_an_older_one_stays_reachable(client, monkeypatch):
    monkeypatch.setattr(changes_views, "REPORTS_SHOWN", 5)
    old = ReportFactory(slug="old-one", title="Stop and search in 2015", published=D(2015, 1, 1))
    for year in range(2016, 2026):
        ReportFactory(published=D(year, 6, 1))
    _replies(1, report=old)

    page = client.get("/changes/")
    options = re.findall(r'<option value="([^"]*)"', page.text.split('name="report"')[1].split("</select>")[0])
    assert len(options) == 1 + 5 and "old-one" not in options  # "Any report" and the five most recent

    chosen = client.get("/changes/", {"report": "old-one"})
    assert '<option value="old-one" selected>' in chosen.text
    assert "Reply number 0000 says yes." in chosen.text

    found = client.get("/changes/", {"find": "stop and SEARCH"})
    assert '<option value="old-one">' in found.text


def test_a_page_reads_the_same_number_of_queries_for_few_or_many_changes(client):
    def count(url):
        client.get(url)  # warm-up (sessions, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _replies(10)
    few = (count("/changes/"), count("/changes.atom"))
    _replies(110, day=D(2024, 4, 1), per_day=3)
    assert (count("/changes/"), count("/changes.atom")) == few


def test_a_reply_to_a_recommendation_with_several_addressees_is_listed_once(client):
    mopac, met = OrganisationFactory(slug="mopac"), OrganisationFactory(slug="met")
    rec = RecommendationFactory()
    rec.addressees.set([mopac, met])
    ResponseFactory(recommendation=rec, text="Reply number 0001 says yes.", date_received=D(2024, 1, 1))
    OverdueFlag.objects.create(kind=OverdueFlag.Kind.REPORT_REPLY, report=rec.report, due_date=D(2023, 12, 1), raised_on=D(2023, 12, 2))
    other = RecommendationFactory(report=rec.report)
    other.addressees.set([mopac])

    page = client.get("/changes/", {"addressee": "mopac"})
    assert page.text.count("Reply number 0001 says yes.") == 1
    assert page.text.count("The reply due 1 December 2023 passed without a reply.") == 1


def test_bad_paging_values_are_a_form_error_not_a_server_error(client):
    for params in ({"until": "not-a-date"}, {"skip": "-1"}, {"skip": "99999999999999999999"}, {"page": str(changes_views.MAX_PAGE + 1)}):
        assert client.get("/changes/", params).status_code == 400


def _event_rows(client) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(client.get("/api/events/?format=csv").streaming_content).decode())))


def test_the_events_dataset_comes_a_page_of_recommendations_at_a_time_and_next_reaches_every_event(client, monkeypatch):
    monkeypatch.setattr(followup_views, "EVENTS_PAGE_SIZE", 3)
    report = ReportFactory(slug="vawg")
    for number in range(1, 9):
        rec = RecommendationFactory(report=report, number=number)
        rec.deadline = D(2025, number, 1)
        rec.save()

    results, url, pages = [], "/api/events/", 0
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).json()
        assert len(queries) <= 6  # a page of recommendations, then its histories, flags and chases
        assert {row["recommendation"] for row in page["results"]} <= {f"vawg/{n}" for n in range(1, 9)}
        assert page["count"] == len(page["results"])
        results += page["results"]
        url = page["next"].removeprefix("http://testserver") if page["next"] else ""
        pages += 1
    assert pages == 3
    rows = _event_rows(client)
    assert [(r["recommendation"], r["field"], r["new"]) for r in results] == [(r["recommendation"], r["field"], r["new"]) for r in rows]
    assert any(r["field"] == "deadline" and r["new"] == "2025-08-01" for r in results)


def test_a_bad_events_cursor_is_a_clear_error(client):
    answer = client.get("/api/events/", {"after": "no slash"})
    assert answer.status_code == 400 and "after" in answer.json()["errors"]
