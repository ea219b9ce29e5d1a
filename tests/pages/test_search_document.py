"""The list's search finds a recommendation by its own words and by its replies' words, however
they were written (by hand, by the importer, by ``loaddata``, by the synthetic generator's COPY,
by a bulk ``update()``), and after an edit by the new words and not the old ones.

On PostgreSQL the search reads a stored document per recommendation that triggers keep current
(recommendations migration 0005): these tests are what shows the triggers cover every write. On
SQLite the search reads the text itself; the same tests hold there too.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from importer.synthetic import synthetic_dataset_generate
from recommendations.models import Recommendation
from responses.models import Response
from responses.services import history_revert, response_record
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory
from tests.search_words import counted_word_counts, stored_word_counts

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/recommendations/"


@pytest.fixture(autouse=True)
def pages_worked_out_afresh(settings):
    # The search is under test here, not the page cache (tests/pages/test_page_cache.py).
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", password="a long enough password", is_superuser=True, is_staff=True)


@pytest.fixture
def recs(today):
    report = ReportFactory(slug="knife-crime", title="Knife crime", published=D(2022, 3, 1))
    return {
        "bins": RecommendationFactory(report=report, number=1, text="The Met should install more knife bins."),
        "arches": RecommendationFactory(report=report, number=2, text="MOPAC should fund metal-detecting arches."),
    }


def found(client, words: str) -> set[int]:
    """The recommendations the list shows for ``words`` (one page is enough here)."""
    page = client.get(LIST, {"q": words})
    assert page.status_code == 200
    assert not page.context["page_obj"].has_next()
    _assert_documents_current()
    return {rec.pk for rec in page.context["object_list"]}


def _assert_documents_current() -> None:
    """PostgreSQL: every stored search document is what the recommendation and its replies say now,
    and every word's stored count (recommendations migration 0014) is how many documents hold it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number FROM recommendations_recommendation "
            "WHERE search_document <> recommendation_search_document(id, text, short_text, chapter)"
        )
        assert cursor.fetchall() == []
    assert stored_word_counts() == counted_word_counts()



def test_found_by_its_own_words_and_by_its_replys_words(client, recs):
    ResponseFactory(recommendation=recs["arches"], text="Funding has been allocated to the transport police.")
    assert found(client, "bins") == {recs["bins"].pk}
    assert found(client, "allocated") == {recs["arches"].pk}
    assert found(client, "transport police") == {recs["arches"].pk}
    assert found(client, "knife") == {recs["bins"].pk}
    assert found(client, "nothing like this") == set()


def test_a_reply_entered_by_hand_is_searchable_at_once(client, recs, editor):
    assert found(client, "amnesty") == set()
    response_record(recommendation=recs["bins"], text="The Met will hold a knife amnesty in the spring.",
                    date_received=D(2022, 6, 1), letter_title="Letter from the Mayor", letter_date=D(2022, 6, 1), user=editor)
    assert found(client, "amnesty") == {recs["bins"].pk}


def test_a_corrected_reply_is_found_by_its_new_words_not_its_old(client, recs, editor):
    reply = response_record(recommendation=recs["bins"], text="The Met will consider a knife amnesty.",
                            date_received=D(2022, 6, 1), letter_title="Letter", letter_date=D(2022, 6, 1), user=editor)
    reply.text = "The Met will install forty bins across the boroughs."
    reply.save()  # as the admin's change form does
    assert found(client, "amnesty") == set()
    assert found(client, "boroughs") == {recs["bins"].pk}

    first = reply.history.order_by("history_date").first()
    history_revert(kind="response", history_id=first.history_id, user=editor)
    assert found(client, "amnesty") == {recs["bins"].pk}
    assert found(client, "boroughs") == set()


def test_a_reply_rewritten_by_a_bulk_update_is_found_by_its_new_words(client, recs):
    reply = ResponseFactory(recommendation=recs["arches"], text="Arches will be trialled at two stations.")
    Response.objects.filter(pk=reply.pk).update(text="Arches will be trialled at Stratford.")  # no save(), no signal
    assert found(client, "stations") == set()
    assert found(client, "Stratford") == {recs["arches"].pk}


def test_a_reply_moved_to_another_recommendation_moves_its_words(client, recs):
    reply = ResponseFactory(recommendation=recs["bins"], text="Funding has been allocated for arches.")
    assert found(client, "allocated") == {recs["bins"].pk}
    reply.recommendation = recs["arches"]
    reply.save()
    assert found(client, "allocated") == {recs["arches"].pk}


def test_a_deleted_reply_no_longer_finds_its_recommendation(client, recs):
    kept = ResponseFactory(recommendation=recs["bins"], text="The Met agrees.")
    ResponseFactory(recommendation=recs["bins"], text="A second letter: the bins are in Croydon.")
    assert found(client, "Croydon") == {recs["bins"].pk}
    Response.objects.exclude(pk=kept.pk).delete()
    assert found(client, "Croydon") == set()
    assert found(client, "agrees") == {recs["bins"].pk}  # the other reply's words stay


def test_an_edited_recommendation_is_found_by_its_new_words_not_its_old(client, recs):
    ResponseFactory(recommendation=recs["bins"], text="Funding has been allocated.")
    rec = recs["bins"]
    rec.text, rec.chapter = "The Met should publish where its officers search people.", "Stop and search"
    rec.save()
    assert found(client, "bins") == set()
    assert found(client, "publish") == {rec.pk}
    assert found(client, "stop and search") == {rec.pk}
    assert found(client, "allocated") == {rec.pk}  # its reply's words are still there
    Recommendation.objects.filter(pk=rec.pk).update(short_text="Searches by ward")
    assert found(client, "ward") == {rec.pk}


# A word only the reply to the VAWG report's recommendation 1 uses (fixtures/responses.json).
SEED_REPLY_WORD = "holistic"


@pytest.mark.parametrize("load", ["load_seed_data", "import_sources"])
def test_the_seed_data_is_searchable_by_its_replies_words_however_it_is_loaded(client, today, load):
    # load_seed_data: loaddata of fixtures/*.json, which calls no save(); import_sources: the importer.
    call_command(load, *(["--commit"] if load == "import_sources" else []), verbosity=0)
    vawg_1 = Recommendation.objects.get(report__slug="violence-against-women-and-girls", number=1)
    assert SEED_REPLY_WORD in vawg_1.responses.get().text and SEED_REPLY_WORD not in vawg_1.text
    assert found(client, SEED_REPLY_WORD) == {vawg_1.pk}


def test_a_synthetic_dataset_written_with_copy_is_searchable_by_its_replies_words(client, today):
    synthetic_dataset_generate(recommendations=60, seed=3, subscribers=2)
    allocated = set(Response.objects.filter(text__contains="allocated").values_list("recommendation_id", flat=True))
    assert allocated and not Recommendation.objects.filter(text__contains="allocated").exists()
    assert found(client, "allocated") == allocated
