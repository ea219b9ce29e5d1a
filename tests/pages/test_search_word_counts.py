"""A search's "N recommendations" is right after every kind of write, whatever was asked.

On PostgreSQL a one-word search is counted from how many recommendations hold the word, stored per
word and kept current by triggers (recommendations migration 0014), rather than by reading every
match's row; any other search (two words, a phrase, -word, ``or``) is counted as before. On SQLite
every search is counted. The same tests hold on both.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.pages import after_daily_flags
from pages.search import search_word_counts_compact, stored_search_count
from recommendations.models import Recommendation
from responses.models import Response
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory
from tests.search_words import counted_word_counts, stored_rows, stored_word_counts

pytestmark = pytest.mark.django_db
LIST = "/recommendations/"


@pytest.fixture(autouse=True)
def pages_worked_out_afresh(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def recs(today):
    report = ReportFactory(slug="knife-crime", title="Knife crime", published=datetime.date(2022, 3, 1))
    knives = [RecommendationFactory(report=report, number=n, text=f"Knife bins in borough {n}.") for n in range(1, 61)]
    others = [RecommendationFactory(report=report, number=n, text="Metal-detecting arches at stations.") for n in range(61, 71)]
    return knives, others


def shown_count(client, words: str) -> int:
    """The number the list says matches ``words``, checked against the rows it lists page by page."""
    page = client.get(LIST, {"q": words})
    assert page.status_code == 200
    paginator = page.context["paginator"]
    assert not paginator.count_is_capped
    listed, number = len(page.context["object_list"]), 1
    while page.context["page_obj"].has_next():
        number += 1
        page = client.get(LIST, {"q": words, "page": number})
        listed += len(page.context["object_list"])
    assert listed == paginator.count
    html = client.get(LIST, {"q": words}).content.decode()
    assert f"<strong>{paginator.count}</strong> recommendation" in html or (paginator.count == 0 and "No recommendations" in html)
    return paginator.count


def test_a_one_word_search_counts_what_it_lists_after_every_kind_of_write(client, recs):
    knives, others = recs
    assert shown_count(client, "knife") == 60
    assert shown_count(client, "bin") == shown_count(client, "bins") == 60  # the same stemmed word
    ResponseFactory(recommendation=others[0], text="A knife amnesty will run in the spring.")  # a reply's words count
    assert shown_count(client, "knife") == 61
    knives[0].delete()
    assert shown_count(client, "knife") == 60
    Recommendation.objects.filter(pk__in=[rec.pk for rec in knives[1:5]]).update(text="Youth services.")  # a bulk update
    assert shown_count(client, "knife") == 56
    assert shown_count(client, "youth") == 4
    Response.objects.filter(recommendation=others[0]).delete()
    assert shown_count(client, "knife") == 55
    assert shown_count(client, "amnesty") == 0


def test_other_searches_are_counted_and_agree_with_what_they_list(client, recs):
    knives, others = recs
    ResponseFactory(recommendation=knives[0], text="Arches were bought for two stations.")
    assert shown_count(client, "knife arches") == 1  # both words
    assert shown_count(client, '"knife bins"') == 60  # a phrase
    assert shown_count(client, "knife -arches") == 59
    assert shown_count(client, "knife or arches") == 70
    assert shown_count(client, "bins") == 60


def test_the_count_past_the_cap_says_more_than(client, recs, monkeypatch):
    monkeypatch.setattr("pages.views.SEARCH_COUNT_CAP", 50)
    html = client.get(LIST, {"q": "knife"}).content.decode()
    assert "More than <strong>50</strong> recommendations" in html


def test_a_one_word_search_on_postgresql_reads_the_stored_count_not_each_match(client, recs):
    """What makes a common word's count cheap at 250,000 recommendations: its number is read from
    the stored counts. (Elsewhere nothing is stored and the matches are counted.)"""
    if connection.vendor != "postgresql":
        assert stored_search_count("knife") is None
        assert shown_count(client, "knife") == 60
        return
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, {"q": "knife"}).context["paginator"].count == 60
    assert [q["sql"] for q in queries.captured_queries if "recommendations_search_word" in q["sql"]]
    # A stored number that disagreed would show: the count is read from it (the tests above and
    # tests/pages/test_search_document.py show it is always right).
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO recommendations_search_word (word, recommendations) VALUES ('knife', -7)")
    assert client.get(LIST, {"q": "knife"}).context["paginator"].count == 53
    assert client.get(LIST, {"q": "knife bins"}).context["paginator"].count == 60  # two words: counted


def test_the_daily_job_folds_the_counts_and_keeps_every_number(client, recs, today):
    knives, others = recs
    for rec in knives[:5]:
        ResponseFactory(recommendation=rec, text="Accepted: the arches will be moved weekly.")
    after_daily_flags(today)  # what the daily flag job runs after its flags
    assert shown_count(client, "knife") == 60
    assert shown_count(client, "arches") == 15
    if connection.vendor == "postgresql":
        counts = stored_word_counts()
        assert counts == counted_word_counts()
        rows, words = stored_rows()
        assert rows == words == len(counts) > 0  # one row per word
        assert search_word_counts_compact() == len(counts)  # folding again changes nothing
        assert stored_word_counts() == counts
        ResponseFactory(recommendation=others[0], text="A knife amnesty.")  # and writes go on adding
        assert shown_count(client, "knife") == 61


@pytest.mark.django_db(transaction=True)  # flush empties the tables as the test runner does between such tests
def test_emptying_the_tables_empties_the_counts(client, recs):
    call_command("flush", interactive=False, verbosity=0)
    assert shown_count(client, "knife") == 0
    RecommendationFactory(text="Knife bins.")
    assert shown_count(client, "knife") == 1
    if connection.vendor == "postgresql":
        assert stored_word_counts() == counted_word_counts() == {"bin": 1, "knife": 1}
