"""Wording similarity between items of different documents: pure, text in and scores out.

TF-IDF over words (lower-cased, light suffix stripping, stop words dropped), cosine between
items. The collection is bounded by the caller (``settings.SIMILARITY_MAX_ITEMS``), so the cost is
fixed. It runs the same on every database; bench/SIMILARITY.md compares it with PostgreSQL's
trigram similarity on the seeds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Item:
    kind: str  # "recommendation", "ask", "commitment"
    id: int
    group: str  # the document it comes from: items of one group are never compared
    text: str


def _vectors(items: list[Item]) -> list[dict[str, float]]:
    counts = [Counter(terms(item.text)) for item in items]
    document_frequency = Counter(term for count in counts for term in count)
    total = len(items)
    vectors = []
    for count in counts:
        vector = {t: (1 + math.log(n)) * math.log((1 + total) / (1 + document_frequency[t])) for t, n in count.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def most_similar(target: Item, items: Iterable[Item], *, limit: int = 10, threshold: float = 0.05) -> list[tuple[Item, float]]:
    """The items most like ``target`` in wording, best first, from other groups than its own."""
    pool = [item for item in items if (item.kind, item.id) != (target.kind, target.id)]
    vectors = _vectors([target, *pool])
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
