"""Search with phrases and operators, the same on every database as far as each allows.

A query is read the way web search engines (and PostgreSQL's ``websearch_to_tsquery``) read it:
words and "quoted phrases" must all appear; ``or`` between two of them lets either do; a leading
``-`` excludes a word or phrase. ``"domestic abuse" refuge or shelter -police``.

PostgreSQL: ``websearch_to_tsquery`` (English stemming) over the record's words. Other databases:
``parse_query`` reads the same syntax and ``matches`` turns it into case-insensitive containment
(no stemming). The search page (``/search/``) groups what matches by kind: recommendations (with
their replies' words, ``search_recommendations``), replies, commitments and consultation
asks, each a fixed number of queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DateField, Exists, Expression, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import OrderBy

from responses.models import Response

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_TERMS = 32  # a query of more words than this is read up to here: each is a condition


@dataclass(frozen=True)
class ParsedQuery:
    """``required``: groups that must each match (a group matches when any of its alternatives
    does); ``excluded``: words or phrases none of which may appear."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.required or self.excluded)


def _tokens(text: str) -> list[tuple[bool, str, bool]]:
    """(excluded, words, quoted) per token, in order."""
    tokens = []
    for match in _TOKEN.finditer(text):
        if match.group(3) is not None:
            word = match.group(3)
            negated = word.startswith("-") and len(word) > 1
            tokens.append((negated, word[1:] if negated else word, False))
        else:
            phrase = " ".join(match.group(2).split())
            if phrase:
                tokens.append((bool(match.group(1)), phrase, True))
    return tokens[:MAX_TERMS]


def parse_query(text: str) -> ParsedQuery:
    """Read a web-search style query (pure). ``"domestic abuse" or refuge -police`` is
    required ``[["domestic abuse", "refuge"]]`` and excluded ``["police"]``. A lone ``or``, at the
    start or end or after an exclusion, is an ordinary word, as in ``websearch_to_tsquery``."""
    required: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for negated, words, quoted in _tokens(text):
        if not quoted and not negated and words.lower() == "or" and required and not join_next:
            join_next = True
            continue
        if negated:
            excluded.append(words)
        elif join_next:
            required[-1].append(words)
        else:
            required.append([words])
        join_next = False
    if join_next:  # a trailing "or" is a word
        required.append(["or"])
    return ParsedQuery(required=required, excluded=excluded)


def _contains(fields: list[str], words: str, extra=None) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": words})
    if extra is not None:
        condition |= Q(extra(words))
    return condition


def matches(query: ParsedQuery, fields: list[str], *, extra=None) -> Q:
    """The condition that a row matches ``query`` in any of ``fields`` (containment, any case).
    ``extra(words)`` adds a condition per word or phrase (e.g. "a reply to it contains it")."""
    condition = Q()
    for alternatives in query.required:
        group = Q()
        for words in alternatives:
            group |= _contains(fields, words, extra)
        condition &= group
    for words in query.excluded:
        condition &= ~_contains(fields, words, extra)
    return condition


def search_fields(queryset: QuerySet, text: str, fields: list[str]) -> QuerySet:
    """Rows of ``queryset`` whose ``fields`` match the query ``text``: full-text search on
    PostgreSQL, ``matches`` elsewhere. An empty query matches everything."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="english")
        return queryset.alias(search_words=vector).filter(search_words=SearchQuery(text, search_type="websearch", config="english"))
    query = parse_query(text)
    return queryset.filter(matches(query, fields)) if query else queryset


# --- The search page ------------------------------------------------------------------------------

RESULTS_PER_KIND = 20


@dataclass(frozen=True)
class ResultGroup:
    """One kind of record that matched: its first ``RESULTS_PER_KIND`` rows, and whether more did."""

    kind: str  # "recommendations", "replies", "commitments", "asks"
    title: str
    rows: list
    more: bool
    all_url: str = ""  # the list holding every match, where there is one

    @property
    def count_text(self) -> str:
        return f"first {len(self.rows)} shown" if self.more else f"{len(self.rows)} found"


def _first(queryset: QuerySet) -> tuple[list, bool]:
    rows = list(queryset[: RESULTS_PER_KIND + 1])
    return rows[:RESULTS_PER_KIND], len(rows) > RESULTS_PER_KIND


def _by_date(name: str, *, descending: bool = False, from_the_index: bool = True) -> OrderBy:
    """Order by the date column ``name``. On PostgreSQL, with
    ``from_the_index``, so that the matches are read from the full-text index and then sorted:
    ordering by the bare column lets the planner walk a date index instead, working out each
    row's words until it has a page, quick for a common word but every row of the table (seconds)
    for a rare one, whose count it guesses wrongly. ``date + 0`` is the same date, but no index
    holds it. A query that only excludes words matches most rows: walking the dates is right then."""
    if connection.vendor != "postgresql" or not from_the_index:
        return OrderBy(F(name), descending=descending)
    unindexed = ExpressionWrapper(F(name) + Value(0), output_field=DateField())
    return OrderBy(unindexed, descending=descending)


# How many of the newest rows a search on PostgreSQL looks through first (see ``_newest_first``).
QUICK_LOOK = 100


def _newest_first(model, text: str, fields: list[str], ordering: tuple, walk: tuple) -> QuerySet:
    """The pks of the first ``RESULTS_PER_KIND`` + 1 rows matching ``text``, in ``ordering``, for a
    word that may be in most rows (PostgreSQL). ``walk`` is the same order on the bare columns, which
    an index holds. The ``QUICK_LOOK`` first rows in that order are looked through first: when
    enough of them match, they are the first matches of all (every other match comes after them),
    and the full-text index is not read; otherwise the matches are read from the index and sorted,
    as for a rare word. One query (a ``UNION ALL`` whose second part runs only when the first
    found too few)."""
    wanted = RESULTS_PER_KIND + 1
    first_rows = model.objects.order_by(*walk).values("pk")[:QUICK_LOOK]
    among_first = search_fields(model.objects.filter(pk__in=first_rows), text, fields)
    too_few = ~Exists(among_first[wanted - 1 : wanted])
    from_the_index = search_fields(model.objects.all(), text, fields).filter(too_few).order_by(*ordering).values("pk")[:wanted]
    return among_first.order_by(*walk).values("pk")[:wanted].union(from_the_index, all=True)


def _matching(rows: QuerySet, text: str, fields: list[str], ordering: tuple, *, walk: tuple = ()) -> QuerySet:
    """``rows`` (with what each result shows joined) limited to the first ``RESULTS_PER_KIND`` + 1
    that match ``text`` in ``fields``, in ``ordering``: one query, in which the matches are sorted
    by their keys alone and only the page's rows are then joined, so a common word's tens of
    thousands of matches are never joined or sorted whole (``arrays.one_of``: as a plain
    ``IN (...)`` PostgreSQL joins every row first, the joins being too many for it to reorder).
    With ``walk`` (``ordering`` on the bare, indexed columns), PostgreSQL looks through the first
    rows in that order before reading the full-text index (``_newest_first``)."""
    from .arrays import one_of

    if walk and connection.vendor == "postgresql":
        matches = _newest_first(rows.model, text, fields, ordering, walk)
    else:
        matches = search_fields(rows.model.objects.all(), text, fields).order_by(*ordering).values("pk")[: RESULTS_PER_KIND + 1]
    return rows.filter(one_of("pk", matches)).order_by(*ordering)


def search_results(text: str) -> list[ResultGroup]:
    """What matches ``text``, grouped by kind: recommendations (with their replies' words),
    replies, commitments, consultation asks. One query per kind, however many rows match."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from recommendations.models import Recommendation
    from responses.models import Ask, Commitment

    recommendations = search_recommendations(Recommendation.objects.select_related("report"), text).order_by("report__title", "number")
    from_the_index = bool(parse_query(text).required)  # some word must appear: few rows may match
    # Not the letters' and documents' whole texts: each result shows only their titles.
    # A word in most replies is found among the newest few (``walk``), a rare one from the index.
    walk = from_the_index
    replies = _matching(
        Response.objects.select_related("recommendation__report", "letter").defer("letter__text"),
        text,
        ["text"],
        (_by_date("date_received", descending=True, from_the_index=from_the_index), "-pk"),
        walk=(_by_date("date_received", descending=True, from_the_index=False), "-pk") if walk else (),
    )
    commitments = _matching(
        Commitment.objects.select_related("owner", "document", "response__recommendation__report", "recommendation__report").defer("document__text"),
        text,
        ["text", "due_text"],
        (_by_date("due_date", from_the_index=from_the_index), "pk"),
        walk=(_by_date("due_date", from_the_index=False), "pk") if walk else (),
    )
    asks = _matching(
        Ask.objects.select_related("submission__consultation", "submission__organisation"),
        text,
        ["text", "section"],
        ("submission__consultation__title", "submission_id", "line"),
    )
    groups = []
    for kind, title, queryset, all_url in (
        ("recommendations", "Recommendations", recommendations, f"{reverse('recommendation-list')}?{urlencode({'q': text})}"),
        ("replies", "Replies", replies, ""),
        ("commitments", "Commitments", commitments, ""),
        ("asks", "Consultation asks", asks, ""),
    ):
        rows, more = _first(queryset)
        groups.append(ResultGroup(kind, title, rows, more, all_url))
    return groups


class SearchDocument(Expression):
    """The recommendation's stored search document on PostgreSQL: a ``tsvector`` of its text,
    short text and chapter and every reply's text, GIN-indexed and kept current by triggers
    (recommendations migration 0005). The column is database-only (the model does not declare it, so it is never
    loaded with a recommendation or written to fixtures); this expression names it on whichever
    alias the recommendations table has in the query."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.alias = None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name('search_document')}", []


# The number of recommendations whose search document holds the one word a search asks for, from
# the stored counts (recommendations migration 0014: a sum of the word's rows). NULL for any other
# search (two words, a phrase, a -word, ``or``, only stop words), which is then counted. A tsquery
# of one word prints the way a tsvector of it is read back, so the word comes out as stored.
_WORD_COUNT_SQL = (
    "SELECT SUM(stored.recommendations) FROM recommendations_search_word stored WHERE stored.word = ("
    "SELECT (tsvector_to_array(query::text::tsvector))[1] FROM websearch_to_tsquery('english', %s) AS query "
    "WHERE numnode(query) = 1)"
)


@dataclass(frozen=True)
class StoredNumber:
    """SQL giving one number, or NULL when none is stored (``CappedCountPaginator.stored_count``)."""

    sql: str
    params: tuple

    def sql_with_params(self) -> tuple[str, tuple]:
        return self.sql, self.params


def stored_search_count(words: str) -> StoredNumber | None:
    """How many recommendations ``search_recommendations(all, words)`` finds, when it is stored: a
    one-word search on PostgreSQL (counted from the words' stored totals rather than by reading
    each match's row). None where nothing is stored (other databases)."""
    words = words.strip()
    if connection.vendor != "postgresql" or not words:
        return None
    return StoredNumber(_WORD_COUNT_SQL, (words,))


def search_word_counts_compact() -> int:
    """Fold each search word's stored changes into one row (PostgreSQL; the daily flag job): a
    word's count then stays one row to read however many writes changed it. Returns the words
    kept (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT recommendation_search_words_compact()")
        return cursor.fetchone()[0]


def search_recommendations(queryset: QuerySet, words: str) -> QuerySet:
    """Recommendations whose wording or replies match ``words``.

    PostgreSQL: full-text search (English stemming, web-search syntax: "quoted phrases", -not) over
    the recommendation's stored search document, which holds its words and its replies' words as
    one text: the words asked for may come from either (as on SQLite), and a -word excludes a
    recommendation if it or any reply uses it.
    Other databases: the same syntax (``search.parse_query``): every word or "quoted phrase" must
    appear, case-insensitively, in the recommendation or a reply; ``or`` lets either of two do;
    a -word excludes a recommendation if it or any reply uses it.
    """
    words = words.strip()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        # One indexed condition on the row itself: the list can walk reports in title order and
        # stop after a page, or read the GIN index when few rows match.
        query = SearchQuery(words, search_type="websearch", config="english")
        return queryset.alias(search_document=SearchDocument()).filter(search_document=query)
    query = parse_query(words)
    if not query:
        return queryset

    def in_a_reply(phrase: str) -> Exists:
        return Exists(Response.objects.filter(recommendation=OuterRef("pk"), text__icontains=phrase))

    return queryset.filter(matches(query, ["text", "short_text", "chapter"], extra=in_a_reply))
