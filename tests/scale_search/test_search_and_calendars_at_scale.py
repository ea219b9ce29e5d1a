"""The search page and the report and addressee calendars at scale: what a reader finds is the same
however many other records there are, each page runs the same number of queries with three times
the rows, and the site-wide calendar is written in folded lines a calendar app can read back."""

import datetime
import zoneinfo

import pytest
import time_machine

from pages.feeds import _fold
from tests.factories import CommitmentFactory, DocumentFactory, OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2022, 9, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield D(2022, 9, 1)


def _make_reports(start: int, count: int, *, addressee=None):
    """``count`` reports of three recommendations, each with a reply promising something: the
    ordinary records around the ones a test looks for."""
    for index in range(start, start + count):
        report = ReportFactory(slug=f"other-{index}", title=f"Other report {index}")
        letter = DocumentFactory(kind="response_letter", title=f"Letter {index}")
        for number in (1, 2, 3):
            rec = RecommendationFactory(report=report, number=number, text=f"MOPAC should review custody {index}-{number}.", deadline=D(2022, 12, 31))
            if addressee:
                rec.addressees.add(addressee)
            reply = ResponseFactory(recommendation=rec, letter=letter, text="MOPAC accepts this recommendation.", date_received=D(2022, 5, index % 28 + 1))
            CommitmentFactory(response=reply, text="Guidance will be issued to officers.", due_date=D(2022, 11, 30))


def _search(client, query):
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    return {group.kind: group for group in page.context["groups"]}, page.content.decode()


def test_a_rare_word_is_found_among_many_replies_and_commitments_in_the_same_queries(client, django_assert_num_queries):
    rare = RecommendationFactory(report=ReportFactory(slug="knives", title="Knife crime"), number=4, text="Fund youth work.")
    reply = ResponseFactory(recommendation=rare, text="MOPAC will fund knife crime prevention.", date_received=D(2021, 1, 4))
    CommitmentFactory(response=reply, text="A knife crime strategy will follow.", due_date=D(2023, 3, 31))
    _make_reports(0, 4)
    with django_assert_num_queries(4) as small:  # one query per kind: recommendations, replies, commitments, asks
        groups, html = _search(client, "knife")
    assert [row.text for row in groups["replies"].rows] == ["MOPAC will fund knife crime prevention."]
    assert [row.text for row in groups["commitments"].rows] == ["A knife crime strategy will follow."]
    assert [row.pk for row in groups["recommendations"].rows] == [rare.pk]  # by its reply's words
    assert "Reply to Knife crime, recommendation 4" in html
    queries = len(small.captured_queries)
    _make_reports(4, 8)  # three times the records
    with django_assert_num_queries(queries):
        groups, _html = _search(client, "knife")
    assert [row.text for row in groups["replies"].rows] == ["MOPAC will fund knife crime prevention."]


def test_a_common_word_shows_the_twenty_newest_replies_and_says_there_are_more(client, django_assert_num_queries):
    _make_reports(0, 10)  # 30 replies that all accept, received on different days
    newest = ResponseFactory(text="MOPAC accepts this recommendation in full.", date_received=D(2022, 8, 30))
    with django_assert_num_queries(4):
        groups, html = _search(client, "accepts")
    replies = groups["replies"]
    assert len(replies.rows) == 20 and replies.more and "first 20 shown" in html
    assert replies.rows[0] == newest
    dates = [row.date_received for row in replies.rows]
    assert dates == sorted(dates, reverse=True)
    commitments = groups["commitments"]
    assert len(commitments.rows) == 0
    groups, _html = _search(client, "guidance")
    assert len(groups["commitments"].rows) == 20 and groups["commitments"].more


def test_a_query_that_only_excludes_words_lists_the_others_newest_first(client):
    _make_reports(0, 2)
    kept = ResponseFactory(text="The Mayor notes the recommendation.", date_received=D(2022, 8, 31))
    groups, _html = _search(client, "-accepts")
    assert [row.pk for row in groups["replies"].rows] == [kept.pk]


def _calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return b"".join(response.streaming_content).decode()


def test_a_reports_calendar_holds_its_promises_and_not_other_reports_in_the_same_queries(client, django_assert_num_queries):
    report = ReportFactory(slug="stop-and-search", title="Stop and search")
    rec = RecommendationFactory(report=report, number=1, text="Publish the data.", deadline=D(2022, 10, 31))
    reply = ResponseFactory(recommendation=rec, text="MOPAC will publish it.", date_received=D(2022, 6, 1))
    CommitmentFactory(response=reply, text="The data will be published monthly.", due_date=D(2022, 12, 31), position=1)
    promised = RecommendationFactory(report=report, number=2, text="Train officers.", deadline=D(2022, 11, 30))
    promise = "A reply will follow on training."
    CommitmentFactory(response=None, recommendation=promised, document=reply.letter, text=promise, due_date=D(2022, 10, 1), position=2)
    _make_reports(0, 3)
    with django_assert_num_queries(5) as small:  # the report; deadlines and their addressees; its reply's due date; commitments
        body = _calendar(client, "/reports/stop-and-search/calendar.ics")
    assert "The data will be published monthly." in body and "A reply will follow on training." in body
    assert body.count("BEGIN:VEVENT") == 5  # two deadlines, the reply due date, two promises
    assert "Other report" not in body and "Guidance will be issued" not in body
    queries = len(small.captured_queries)
    _make_reports(3, 6)
    with django_assert_num_queries(queries):
        again = _calendar(client, "/reports/stop-and-search/calendar.ics")
    assert again == body


def test_an_addressee_with_nothing_addressed_to_it_gets_an_empty_calendar_in_the_same_queries(client, django_assert_num_queries):
    quiet = OrganisationFactory(name="Greater London Authority", slug="gla")
    busy = OrganisationFactory(name="Metropolitan Police Service", slug="met")
    _make_reports(0, 3, addressee=busy)
    with django_assert_num_queries(4) as small:  # the organisation; deadlines; reply due dates; commitments
        body = _calendar(client, "/addressees/gla/calendar.ics")
    assert body.startswith("BEGIN:VCALENDAR") and body.endswith("END:VCALENDAR\r\n") and "BEGIN:VEVENT" not in body
    assert "Recommendations to Greater London Authority" in body
    queries = len(small.captured_queries)  # now: the log of queries is bounded, and more rows are written below
    busy_body = _calendar(client, "/addressees/met/calendar.ics")
    assert busy_body.count("Due from") == 9 and busy_body.count("Reply due from the Mayor") == 3
    _make_reports(3, 6, addressee=busy)
    with django_assert_num_queries(queries):
        assert _calendar(client, "/addressees/gla/calendar.ics") == body
    assert quiet.pk


@pytest.mark.parametrize("line", ["DESCRIPTION:" + "What is due: publish the data every month " * 9, "SUMMARY:Due from MOPAC: “Réponse” " * 12 + "😀" * 40])
def test_long_lines_fold_within_75_octets_and_unfold_to_the_same_text(line):
    folded = _fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line  # what a calendar app reads back
