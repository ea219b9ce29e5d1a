"""The faster "items like this one" ranks exactly as the plain TF-IDF cosine over every item did.

``followup.similarity.most_similar`` now scores only items sharing a word with the target, each
distinct text once, with each text's words worked out once per process. These tests pin that the
suggestions and their scores are the same as the straightforward computation (every item's full
vector, every item scored), kept here as the reference."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from followup.similarity import Item, most_similar, terms


def _reference_vectors(items):
    counts = [Counter(terms(item.text)) for item in items]
    document_frequency = Counter(term for count in counts for term in count)
    total = len(items)
    vectors = []
    for count in counts:
        vector = {t: (1 + math.log(n)) * math.log((1 + total) / (1 + document_frequency[t])) for t, n in count.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def reference_most_similar(target, items, *, limit=10, threshold=0.05):
    """The computation as it was: every item's full vector, every item of another group scored."""
    pool = [item for item in items if (item.kind, item.id) != (target.kind, target.id)]
    vectors = _reference_vectors([target, *pool])
    mine = vectors[0]
    scored = []
    for item, vector in zip(pool, vectors[1:], strict=True):
        if item.group == target.group:
            continue
        score = sum(weight * vector.get(term, 0.0) for term, weight in mine.items())
        if score >= threshold:
            scored.append((item, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].kind, pair[0].id))
    return scored[:limit]


# A small vocabulary (with stop words, grammatical variants and words shorter than three letters)
# so that texts overlap a lot, some repeat word for word, and some share nothing with others.
WORDS = (
    "police officers officer policing neighbourhood neighbourhoods commission commissioning services service victims victim "
    "violence women girls specialist support supporting funding funded review reviews publish published data training "
    "the and of to a in for should must will mayor mopac recommendation ask it be by on at or no"
).split()
RARE = ("immigration", "ombudsman", "forensic", "tasers", "drones")


def _collection(seed: int, size: int) -> list[Item]:
    rng = random.Random(seed)
    items, texts = [], []
    for n in range(size):
        kind = rng.choice(("recommendation", "ask", "commitment"))
        if texts and rng.random() < 0.15:
            text = rng.choice(texts)  # the same words in another document
        elif rng.random() < 0.05:
            text = rng.choice(("To be confirmed.", "", "It is.", rng.choice(RARE) + " " + rng.choice(RARE)))
        else:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25))).capitalize() + "."
        texts.append(text)
        items.append(Item(kind, n + 1, f"{kind}-group:{rng.randint(1, 25)}", text))
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(("limit", "threshold"), [(8, 0.05), (10_000, 0.05), (10_000, 0.0), (15, 0.3)])
def test_the_suggestions_and_their_scores_are_those_of_the_full_computation(seed, limit, threshold):
    items = _collection(seed, 400)
    for target in items[::13] + [item for item in items if not terms(item.text)][:3]:
        expected = reference_most_similar(target, items, limit=limit, threshold=threshold)
        assert most_similar(target, items, limit=limit, threshold=threshold) == expected


def test_the_suggestions_are_not_trivial_so_the_comparison_above_means_something():
    items = _collection(1, 400)
    rankings = [reference_most_similar(target, items, limit=50) for target in items[::13]]
    assert sum(map(bool, rankings)) >= len(rankings) - 3, "nearly every target has suggestions"
    assert len({score for ranking in rankings for _, score in ranking}) > 100, "many different scores"
    assert any(len({item.text for item, _ in ranking}) < len(ranking) for ranking in rankings), "texts repeat"


def test_a_target_outside_the_collection_is_compared_with_it_too():
    """The page passes the newest items plus the target; the answer does not depend on where the
    target sits in the list or whether it is already in it."""
    items = _collection(4, 300)
    target = items[150]
    others = items[:150] + items[151:]
    expected = reference_most_similar(target, items, limit=20)
    assert most_similar(target, [*others, target], limit=20) == expected
    assert most_similar(target, [target, *others], limit=20) == expected


def test_a_text_worked_out_earlier_gives_the_same_answer_after_the_collection_changes():
    """Each text's words are remembered between requests; the document frequencies are not, so a
    new or changed item changes the scores of the others exactly as a fresh computation would."""
    items = _collection(5, 300)
    target = items[0]
    most_similar(target, items)
    changed = [*items[1:200], Item("ask", 9_999, "ask-group:new", items[0].text), Item(items[200].kind, items[200].id, items[200].group, "Tasers and drones.")]
    assert most_similar(target, [target, *changed], limit=30) == reference_most_similar(target, [target, *changed], limit=30)
