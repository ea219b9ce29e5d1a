"""The "items like this one" page: the same suggestions, labels and links as the full computation,
and a number of queries that does not grow with the number of items compared."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.similarity import Item, _counts
from recommendations.models import Recommendation
from responses.models import Ask, Commitment
from tests.factories import AskFactory, CommitmentFactory, DocumentFactory, RecommendationFactory, ReportFactory, SubmissionFactory

from .test_same_ranking import WORDS, reference_most_similar

pytestmark = pytest.mark.django_db


def _words(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18))).capitalize() + "."


def _make(count: int, seed: int) -> None:
    """``count`` items of each kind, spread over a few reports, submissions and letters."""
    rng = random.Random(seed)
    reports = [ReportFactory() for _ in range(3)]
    submissions = [SubmissionFactory() for _ in range(3)]
    letters = [DocumentFactory() for _ in range(3)]
    for n in range(count):
        rec = RecommendationFactory(report=reports[n % 3], text=_words(rng))
        AskFactory(submission=submissions[n % 3], text=_words(rng))
        CommitmentFactory(response__recommendation=rec, response__letter=letters[n % 3], document=letters[n % 3], text=_words(rng))


def _all_items() -> list[Item]:
    """Every item as the page compares them (the data here is under ``SIMILARITY_MAX_ITEMS``)."""
    return (
        [Item("recommendation", r.pk, f"report:{r.report_id}", r.text) for r in Recommendation.objects.all()]
        + [Item("ask", a.pk, f"submission:{a.submission_id}", a.text) for a in Ask.objects.all()]
        + [Item("commitment", c.pk, f"document:{c.document_id}", c.text) for c in Commitment.objects.all()]
    )


def _place(kind: str, pk: int) -> tuple[str, str]:
    """Where an item comes from, worked out the long way round (as the page did before)."""
    if kind == "recommendation":
        rec = Recommendation.objects.get(pk=pk)
        return f"Report ‘{rec.report.title}’", f"/recommendations/{pk}/"
    if kind == "ask":
        ask = Ask.objects.get(pk=pk)
        submission = ask.submission
        url = f"/consultations/{submission.consultation.slug}/?submission={submission.pk}#submission-{submission.pk}"
        return f"Consultation submission: {submission.label}", url
    commitment = Commitment.objects.get(pk=pk)
    return f"Commitment in ‘{commitment.document.title}’", f"/documents/{commitment.document_id}/"


@pytest.mark.parametrize("kind", ["recommendation", "ask", "commitment"])
def test_the_page_shows_the_items_the_full_computation_ranks_first_with_where_they_come_from(client, kind):
    _make(20, seed=7)
    items = _all_items()
    for target in [item for item in items if item.kind == kind][::5]:
        rows = client.get(f"/similar/{kind}/{target.id}/").context["rows"]
        expected = reference_most_similar(target, items, limit=8)
        assert expected, "the generated texts overlap"
        assert [(row.kind, row.id, row.score) for row in rows] == [(item.kind, item.id, score) for item, score in expected]
        assert [(row.where, row.url) for row in rows] == [_place(item.kind, item.id) for item, _ in expected]
        assert [row.text for row in rows] == [item.text for item, _ in expected]


def test_the_page_shows_its_links_and_the_words_of_each_suggestion(client):
    _make(10, seed=3)
    items = _all_items()
    target = next(item for item in items if item.kind == "ask")
    page = client.get(f"/similar/ask/{target.id}/").content.decode()
    for item, _ in reference_most_similar(target, items, limit=8):
        label, url = _place(item.kind, item.id)
        assert f'href="{url}"' in page.replace("&amp;", "&")
        assert f'href="/similar/{item.kind}/{item.id}/"' in page


def _queries(client, path: str) -> int:
    client.get(path)  # warm: the first request of a test may read things once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# The compared items (one query per kind, one more for an item older than the newest compared),
# editors' verdicts on this item, and where the shown items come from (at most one query per kind).
MOST_QUERIES = 3 + 1 + 1 + 3


def test_the_number_of_queries_does_not_grow_with_the_items_compared(client, settings):
    _make(10, seed=1)
    settings.SIMILARITY_MAX_ITEMS = 20  # the first items become older than the compared newest
    rec = Recommendation.objects.order_by("pk").first()
    ask = Ask.objects.order_by("pk").first()
    commitment = Commitment.objects.order_by("pk").first()
    paths = [f"/similar/recommendation/{rec.pk}/", f"/similar/ask/{ask.pk}/", f"/similar/commitment/{commitment.pk}/"]
    assert max(_queries(client, path) for path in paths) <= MOST_QUERIES
    _make(30, seed=2)
    assert max(_queries(client, path) for path in paths) <= MOST_QUERIES


def test_an_older_item_than_the_compared_newest_is_compared_with_them(client, settings):
    """Only the newest ``SIMILARITY_MAX_ITEMS`` of each kind are compared, plus the item itself."""
    _make(12, seed=5)
    settings.SIMILARITY_MAX_ITEMS = 6
    newest = [
        item
        for kind, model in (("recommendation", Recommendation), ("ask", Ask), ("commitment", Commitment))
        for item in _all_items()
        if item.kind == kind and item.id in set(model.objects.order_by("-pk").values_list("pk", flat=True)[:6])
    ]
    oldest_ask = Ask.objects.order_by("pk").first()
    target = Item("ask", oldest_ask.pk, f"submission:{oldest_ask.submission_id}", oldest_ask.text)
    rows = client.get(f"/similar/ask/{oldest_ask.pk}/").context["rows"]
    expected = reference_most_similar(target, [*newest, target], limit=8)
    assert [(row.kind, row.id, row.score) for row in rows] == [(item.kind, item.id, score) for item, score in expected]


def test_every_compared_text_fits_in_the_per_process_cache_of_words(settings):
    """Each text's words are remembered between requests only if the whole compared collection
    fits: otherwise every request works out every text again (the page is slow again)."""
    assert 3 * settings.SIMILARITY_MAX_ITEMS <= _counts.cache_info().maxsize
