"""Wording similarity on the seeds: TF-IDF cosine (followup.similarity, every database) against
PostgreSQL's trigram similarity (pg_trgm), on the two facts the tests pin (Solace's asks against
the VAWG recommendations and the Mayor's commitments), in both directions.

    DATABASE_URL=postgres://... .venv/bin/python manage.py shell -c "import bench.similarity as b; b.main()"

(on a database with the seeds loaded: ``manage.py migrate && manage.py load_seed_data``).
Writes the table to standard output; bench/SIMILARITY.md keeps the figures.
"""

from __future__ import annotations

import time

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection

from followup.selectors import _collection
from followup.similarity import most_similar
from recommendations.models import Recommendation
from responses.models import Ask, Commitment

VAWG = "violence-against-women-and-girls"
FACTS = [  # (recommendation number, the ask's words)
    (10, "Commission community-based services from specialist"),
    (11, "immigration status"),
]


def _tfidf(kind, pk, want, items):
    target = next(i for i in items if (i.kind, i.id) == (kind, pk))
    ranked = [(i.kind, i.id) for i, _ in most_similar(target, items, limit=len(items), threshold=0.0)]
    return ranked.index(want) + 1 if want in ranked else None


def _trigram(kind, pk, want, function):
    text = (Recommendation if kind == "recommendation" else Ask).objects.get(pk=pk).text
    pools = []
    if kind != "recommendation":
        pools.append(("recommendation", Recommendation.objects.exclude(report__slug="__none__")))
    else:
        pools.append(("recommendation", Recommendation.objects.exclude(report_id=Recommendation.objects.get(pk=pk).report_id)))
    # Items of the same document are never suggested (as in followup.similarity): not Solace's own other asks.
    pools.append(("ask", Ask.objects.exclude(submission_id=Ask.objects.get(pk=pk).submission_id) if kind == "ask" else Ask.objects.all()))
    pools.append(("commitment", Commitment.objects.all()))
    scored = []
    for name, queryset in pools:
        # word_similarity(string, column): how well the query's words occur in each text.
        expression = function(text, "text") if function is TrigramWordSimilarity else function("text", text)
        for other_pk, score in queryset.annotate(s=expression).values_list("pk", "s"):
            scored.append((score, name, other_pk))
    scored.sort(key=lambda row: -row[0])
    ranked = [(name, other_pk) for _, name, other_pk in scored]
    return ranked.index(want) + 1 if want in ranked else None


def main():
    assert connection.vendor == "postgresql", "trigram similarity needs PostgreSQL"
    items, _ = _collection()
    print(f"{len(items)} items (recommendations, asks, commitments)")
    print("| query | expected | TF-IDF rank | trigram_similarity rank | word_similarity rank |")
    print("|---|---|---|---|---|")
    timings = {"tfidf": 0.0, "trigram": 0.0, "word": 0.0}
    for number, words in FACTS:
        rec = Recommendation.objects.get(report__slug=VAWG, number=number)
        ask = Ask.objects.get(text__contains=words)
        for (kind, pk), want in ((("recommendation", rec.pk), ("ask", ask.pk)), (("ask", ask.pk), ("recommendation", rec.pk))):
            ranks = []
            for label, run, extra in (
                ("tfidf", _tfidf, items),
                ("trigram", _trigram, TrigramSimilarity),
                ("word", _trigram, TrigramWordSimilarity),
            ):
                start = time.perf_counter()
                ranks.append(run(kind, pk, want, extra))
                timings[label] += time.perf_counter() - start
            name = f"VAWG rec {number}" if kind == "recommendation" else f"Solace ask ({words[:30]}…)"
            target = f"Solace ask ({words[:30]}…)" if kind == "recommendation" else f"VAWG rec {number}"
            print(f"| {name} | {target} | {ranks[0]} | {ranks[1]} | {ranks[2]} |")
    print("time for the 4 queries (s): " + ", ".join(f"{k} {v:.3f}" for k, v in timings.items()))
