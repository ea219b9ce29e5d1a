"""Wording similarity between items of different documents: pure, text in and scores out.

TF-IDF over words (lower-cased, light suffix stripping, stop words dropped), cosine between
items. The collection is bounded by the caller (``settings.SIMILARITY_MAX_ITEMS``), so the cost is
fixed. It runs the same on every database; bench/SIMILARITY.md compares it with PostgreSQL's
trigram similarity on the seeds.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import NamedTuple

STOP_WORDS = frozenset(
    """a about above after all also an and any are as at be been being but by can could do does for from had has have he his
    how i if in into is it its itself may me more most must my no not of on once only or other our out over own same
    she should so some such than that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your mayor mopac met london
    recommendation recommendations ask asks""".split()
)
_WORD = re.compile(r"[a-z]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s")


def stem(word: str) -> str:
    """A light suffix strip ("commissioning" -> "commission", "services" -> "servic"): enough to
    meet the same word in another grammatical form."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    text = text.casefold().replace("’", "'").replace("‘", "'")
    return [stem(w) for w in _WORD.findall(text) if w not in STOP_WORDS and len(w) > 2]


class Item(NamedTuple):  # a named tuple rather than a dataclass: a page builds ~9,000, and these build faster
    kind: str  # "recommendation", "ask", "commitment"
    id: int
    group: str  # the document it comes from: items of one group are never compared
    text: str


# Each text's term counts, worked out once per process: a pure function of the text, so this cache
# cannot go stale. It must hold the whole compared collection (3 x SIMILARITY_MAX_ITEMS texts):
# a page reads every text in turn, and a smaller least-recently-used cache would drop each text
# before its next use (tests/similar_speed pins this). Memory grows only with the texts seen.
@functools.lru_cache(maxsize=32768)
def _counts(text: str) -> dict[str, int]:
    """How often each term occurs in ``text``, in order of first use (shared: never modify it)."""
    return dict(Counter(terms(text)))


def _vector(count: dict[str, int], document_frequency: Counter, total: int) -> dict[str, float]:
    vector = {t: (1 + math.log(n)) * math.log((1 + total) / (1 + document_frequency[t])) for t, n in count.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def most_similar(target: Item, items: Iterable[Item], *, limit: int = 10, threshold: float = 0.05) -> list[tuple[Item, float]]:
    """The items most like ``target`` in wording, best first, from other groups than its own.

    The TF-IDF vectors are those of ``target`` and every other item together, but only items
    sharing a term with ``target`` are scored (the others score 0, under any positive threshold),
    and each distinct text once: the scores are the same as scoring every item's full vector."""
    pool = [item for item in items if (item.kind, item.id) != (target.kind, target.id)]
    mine_count = _counts(target.text)
    counts = [_counts(item.text) for item in pool]
    document_frequency = Counter(chain.from_iterable([mine_count, *counts]))  # each text counts a term once
    total = len(pool) + 1
    mine = _vector(mine_count, document_frequency, total)
    mine_terms = mine.keys()
    scores: dict[str, float] = {}  # by text: items worded alike score alike
    scored = []
    for item, count in zip(pool, counts, strict=True):
        if item.group == target.group or (threshold > 0 and mine_terms.isdisjoint(count)):
            continue
        score = scores.get(item.text)
        if score is None:
            vector = _vector(count, document_frequency, total)
            score = scores[item.text] = sum(weight * vector.get(term, 0.0) for term, weight in mine.items())
        if score >= threshold:
            scored.append((item, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].kind, pair[0].id))
    return scored[:limit]
