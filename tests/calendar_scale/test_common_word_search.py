"""The search page's replies and commitments for a word in most of them: the same newest (or
soonest due) twenty as a full sort of every match, whether the newest rows hold enough matches
(on PostgreSQL they are looked through first) or not (the matches are then read from the index),
in the same number of queries. ``QUICK_LOOK`` is made small here so that a few rows show both."""

import datetime
import zoneinfo

import pytest
import time_machine

from pages import search
from responses.models import Commitment, Response
from tests.factories import CommitmentFactory, RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2022, 9, 1, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield D(2022, 9, 1)


@pytest.fixture(autouse=True)
def quick_look(monkeypatch):
    monkeypatch.setattr(search, "QUICK_LOOK", 10)


def _replies(count: int, *, matching, start: int = 0):
    """``count`` replies a day apart from 1 January 2020 (several on some days, so the order's
    tie-break shows), each saying it accepts when ``matching(index)``."""
    report = ReportFactory(slug=f"r{start}", title=f"Report {start}")
    for index in range(start, start + count):
        text = "MOPAC accepts this recommendation." if matching(index) else "MOPAC notes this recommendation."
        rec = RecommendationFactory(report=report, number=index + 1)
        reply = ResponseFactory(recommendation=rec, text=text, date_received=D(2020, 1, 1) + datetime.timedelta(days=index // 2))
        CommitmentFactory(response=reply, text=f"{text} Guidance {index}.", due_date=D(2023, 1, 1) + datetime.timedelta(days=(start + count - index) // 2))


def _expected_replies():
    matching = [reply for reply in Response.objects.all() if "accepts" in reply.text]
    return [reply.pk for reply in sorted(matching, key=lambda reply: (reply.date_received, reply.pk), reverse=True)][:20], len(matching) > 20


def _expected_commitments():
    matching = [promise for promise in Commitment.objects.all() if "accepts" in promise.text]
    return [promise.pk for promise in sorted(matching, key=lambda promise: (promise.due_date, promise.pk))][:20], len(matching) > 20


def _found(client):
    page = client.get("/search/", {"q": "accepts"})
    assert page.status_code == 200
    groups = {group.kind: group for group in page.context["groups"]}
    return ([row.pk for row in groups["replies"].rows], groups["replies"].more), ([row.pk for row in groups["commitments"].rows], groups["commitments"].more)


def test_a_word_in_most_rows_lists_the_same_twenty_as_sorting_every_match(client, django_assert_num_queries):
    _replies(60, matching=lambda index: index % 4 != 0)  # three in four accept: the newest ten hold seven
    with django_assert_num_queries(4):  # one per kind
        replies, commitments = _found(client)
    assert replies == _expected_replies() and replies[1]  # twenty of 45, and more
    assert commitments == _expected_commitments()


def test_a_word_missing_from_the_newest_rows_is_still_found_in_order(client, django_assert_num_queries):
    _replies(40, matching=lambda index: index < 25)  # the 25 oldest accept, the 15 newest do not
    with django_assert_num_queries(4):
        replies, commitments = _found(client)
    assert replies == _expected_replies() and len(replies[0]) == 20 and replies[1]
    assert commitments == _expected_commitments()


def test_few_matches_anywhere_are_all_listed(client, django_assert_num_queries):
    _replies(30, matching=lambda index: index in (3, 17, 29))
    with django_assert_num_queries(4):
        replies, commitments = _found(client)
    assert replies == _expected_replies() and len(replies[0]) == 3 and not replies[1]
    assert commitments == _expected_commitments()
