"""One recommendation's page read by hand-written SQL (``pages.selectors.recommendation_detail``).

The page needs the same few rows every time (the recommendation and its report, its addressees,
its copies, its replies with their commitments and revisions). Built as querysets, most of its
time went to Django building and compiling them: about 0.5 ms of CPU a query against 0.02 ms to
run the same SQL. Here each query is written once and its rows are made into the same model
instances ``select_related``/``prefetch_related`` would give (the backend's converters applied,
related objects and prefetched lists cached on them), so templates, tags and model methods read
them as before. Long texts the page never shows (a document's or a letter's full text, a copy's
or a reply's restatement) are left unread: reading one would cost a query, never a wrong value.

Queries that would find nothing are skipped on facts the query before reads with its row
(whether it has overdue flags, whether a reply has commitments, whether a commitment has
revisions): four queries for most recommendations, six at most.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connection

from recommendations.models import Document, Organisation, Recommendation, RecommendationAppearance, Report
from responses.models import Commitment, CommitmentRevision, OverdueFlag, Response


class Columns:
    """The columns of ``model`` (all but ``leave_out``) as ``alias`` in hand-written SQL, and their
    values made into an instance as the ORM makes one (columns left out are deferred)."""

    def __init__(self, model, alias: str, *, leave_out: tuple[str, ...] = ()):
        self.model = model
        self.alias = alias
        self.fields = [field for field in model._meta.concrete_fields if field.attname not in leave_out]
        self.attnames = [field.attname for field in self.fields]
        self.width = len(self.fields)

    @property
    def sql(self) -> str:
        return ", ".join(f"{self.alias}.{connection.ops.quote_name(field.column)}" for field in self.fields)

    def converters(self) -> list:
        """(position, expression, converters) for the columns the backend converts (SQLite's
        datetimes made aware, its booleans), worked out once per backend."""
        return _converters(self, connection.vendor)

    def instance(self, row, start: int = 0):
        """The instance whose values start at ``row[start]``; None for a left join's empty side."""
        values = list(row[start : start + self.width])
        if values[0] is None:  # the primary key, read first
            return None
        for position, expression, converters in self.converters():
            for convert in converters:
                values[position] = convert(values[position], expression, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


@functools.cache
def _converters(columns: Columns, vendor: str) -> list:
    found = []
    for position, field in enumerate(columns.fields):
        expression = field.get_col(columns.model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if converters:
            found.append((position, expression, converters))
    return found


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _as_date(value) -> datetime.date | None:
    """A computed date (``MIN(...)``), which SQLite returns as text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _prefetched(instance, name: str, rows: list) -> None:
    """Keep ``rows`` as ``instance.<name>.all()``, as ``prefetch_related`` does."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _cached(instance, name: str, value) -> None:
    """``instance.<name>`` is ``value`` (a foreign key's object), as ``select_related`` does."""
    instance._meta.get_field(name).set_cached_value(instance, value)


RECOMMENDATION = Columns(Recommendation, "rec")
REPORT = Columns(Report, "report")
ADDRESSEE = Columns(Organisation, "org")
COPY = Columns(RecommendationAppearance, "copy", leave_out=("text",))
DOCUMENT = Columns(Document, "doc", leave_out=("text",))
REPLY = Columns(Response, "reply", leave_out=("restated_text",))
LETTER = Columns(Document, "letter", leave_out=("text",))
COMMITMENT = Columns(Commitment, "com")
OWNER = Columns(Organisation, "owner")
REVISION = Columns(CommitmentRevision, "rev")
FLAG = Columns(OverdueFlag, "flag")


@functools.cache
def _sql(vendor: str) -> dict[str, str]:
    """The page's queries, each taking the recommendation's id as ``%(pk)s``."""
    rec, report, response, commitment = _table(Recommendation), _table(Report), _table(Response), _table(Commitment)
    through = Recommendation.addressees.through
    undated = "report.published IS NULL AND report.response_due_override IS NULL"  # Report.needs_publication_bounds
    replies = f"SELECT reply.id FROM {response} reply WHERE reply.recommendation_id = %(pk)s"
    return {
        # with its report's publication bounds (querysets.publication_bounds) when they matter
        "recommendation": f"""
            SELECT {RECOMMENDATION.sql}, {REPORT.sql},
                CASE WHEN {undated} THEN (SELECT MIN(other.deadline) FROM {rec} other WHERE other.report_id = report.id) END,
                CASE WHEN {undated} THEN (
                    SELECT MIN(reply.date_received) FROM {response} reply JOIN {rec} other ON other.id = reply.recommendation_id
                    WHERE other.report_id = report.id
                ) END,
                EXISTS (SELECT 1 FROM {_table(OverdueFlag)} flag WHERE flag.recommendation_id = rec.id)
            FROM {rec} rec JOIN {report} report ON report.id = rec.report_id
            WHERE rec.id = %(pk)s""",
        "addressees": f"""
            SELECT {ADDRESSEE.sql} FROM {_table(Organisation)} org JOIN {_table(through)} link ON link.organisation_id = org.id
            WHERE link.recommendation_id = %(pk)s ORDER BY org.name""",
        "appearances": f"""
            SELECT {COPY.sql}, {DOCUMENT.sql} FROM {_table(RecommendationAppearance)} copy JOIN {_table(Document)} doc ON doc.id = copy.document_id
            WHERE copy.recommendation_id = %(pk)s ORDER BY doc.date, copy.document_id, copy.line""",
        "responses": f"""
            SELECT {REPLY.sql}, {LETTER.sql}, EXISTS (SELECT 1 FROM {commitment} com WHERE com.response_id = reply.id)
            FROM {response} reply JOIN {_table(Document)} letter ON letter.id = reply.letter_id
            WHERE reply.recommendation_id = %(pk)s ORDER BY reply.date_received, reply.id""",
        "commitments": f"""
            SELECT {COMMITMENT.sql}, {OWNER.sql}, EXISTS (SELECT 1 FROM {_table(CommitmentRevision)} rev WHERE rev.commitment_id = com.id)
            FROM {commitment} com LEFT JOIN {_table(Organisation)} owner ON owner.id = com.owner_id
            WHERE com.response_id IN ({replies}) ORDER BY com.position""",
        "revisions": f"""
            SELECT {REVISION.sql} FROM {_table(CommitmentRevision)} rev
            WHERE rev.commitment_id IN (SELECT com.id FROM {commitment} com WHERE com.response_id IN ({replies}))
            ORDER BY rev.created_at, rev.id""",
        "overdue_flags": f"""
            SELECT {FLAG.sql} FROM {_table(OverdueFlag)} flag
            WHERE flag.recommendation_id = %(pk)s ORDER BY flag.raised_on DESC, flag.kind, flag.id""",
    }


def _rows(cursor, name: str, pk: int) -> list:
    cursor.execute(_sql(connection.vendor)[name], {"pk": pk})
    return cursor.fetchall()


def read_recommendation(pk: int) -> Recommendation:
    """The recommendation ``pk`` with its report (and its publication bounds), addressees, copies
    with their documents, overdue flags, replies with their letters, their commitments with their
    owners and revisions, as ``recommendation_detail``'s querysets read them.

    Raises ``Recommendation.DoesNotExist`` for an unknown id."""
    low, high = connection.ops.integer_field_range(Recommendation._meta.pk.get_internal_type())
    with connection.cursor() as cursor:
        found = _rows(cursor, "recommendation", pk) if low <= pk <= high else []  # no row has an id out of range
        if not found:
            raise Recommendation.DoesNotExist(f"No recommendation {pk}")
        first = found[0]
        recommendation = RECOMMENDATION.instance(first)
        report = REPORT.instance(first, RECOMMENDATION.width)
        report.earliest_deadline, report.earliest_reply, has_flags = (_as_date(first[-3]), _as_date(first[-2]), first[-1])
        _cached(recommendation, "report", report)
        _prefetched(recommendation, "addressees", [ADDRESSEE.instance(row) for row in _rows(cursor, "addressees", pk)])
        _prefetched(recommendation, "appearances", _with_parent(_copies(_rows(cursor, "appearances", pk)), "recommendation", recommendation))
        flags = [FLAG.instance(row) for row in _rows(cursor, "overdue_flags", pk)] if has_flags else []
        _prefetched(recommendation, "overdue_flags", _with_parent(flags, "recommendation", recommendation))
        _prefetched(recommendation, "responses", _with_parent(_replies(cursor, pk), "recommendation", recommendation))
    return recommendation


def _with_parent(rows: list, name: str, parent) -> list:
    """Each row's foreign key ``name`` cached as ``parent`` (a prefetch sets the way back)."""
    for row in rows:
        _cached(row, name, parent)
    return rows


def _copies(rows: list) -> list[RecommendationAppearance]:
    copies = []
    for row in rows:
        copy = COPY.instance(row)
        _cached(copy, "document", DOCUMENT.instance(row, COPY.width))
        copies.append(copy)
    return copies


def _replies(cursor, pk: int) -> list[Response]:
    """The replies with their letters, and their commitments when any has some."""
    replies, any_commitments = _flagged(_rows(cursor, "responses", pk), REPLY, LETTER, "letter")
    _attach(replies, _commitments(cursor, pk) if any_commitments else [], key="response_id", name="commitments", back="response")
    return replies


def _commitments(cursor, pk: int) -> list[Commitment]:
    """The commitments made in the replies, with their owners, and their revisions when any has some."""
    commitments, any_revisions = _flagged(_rows(cursor, "commitments", pk), COMMITMENT, OWNER, "owner")
    revisions = [REVISION.instance(row) for row in _rows(cursor, "revisions", pk)] if any_revisions else []
    _attach(commitments, revisions, key="commitment_id", name="revisions", back="commitment")
    return commitments


def _flagged(rows: list, main: Columns, joined: Columns, name: str) -> tuple[list, bool]:
    """The ``main`` instances of ``rows`` with their ``name`` (``joined``, read in the same row)
    cached, and whether any row's last column says it has rows of the next query."""
    found, more = [], False
    for row in rows:
        instance = main.instance(row)
        _cached(instance, name, joined.instance(row, main.width))
        found.append(instance)
        more = more or bool(row[-1])
    return found, more


def _attach(parents: list, children: list, *, key: str, name: str, back: str) -> None:
    """Each parent's ``children`` (by their ``key``) as ``parent.<name>.all()``, each child's
    ``back`` the parent, as ``prefetch_related`` leaves them."""
    by_parent: dict[int, list] = {parent.pk: [] for parent in parents}
    for child in children:
        by_parent[getattr(child, key)].append(child)
    for parent in parents:
        _prefetched(parent, name, _with_parent(by_parent[parent.pk], back, parent))
