"""``column = ANY(ARRAY(subquery))``: a condition that a column is one of a few ids a subquery
finds, which PostgreSQL reads first, once (an InitPlan), and then looks each up by an index.

Written as ``column IN (subquery)``, PostgreSQL plans the subquery into the joins: with many joins
(more than it reorders) or a wrong guess of how many rows come back it joins or scans every row
first. Other databases get ``IN (subquery)``, which they run well at their sizes."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet


class _AnyOf(Func):
    """``column = ANY(array)``, a condition (PostgreSQL)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, array = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"{column[0]} = ANY({array[0]})", (*column[1], *array[1])


def one_of(column: str, subquery: QuerySet) -> Q:
    """Rows whose ``column`` is one of the values ``subquery`` (one column, e.g. ``.values("pk")``)
    returns; keep the subquery small (a page of ids, one report's recommendations)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(_AnyOf(F(column), ArraySubquery(subquery)))
    return Q(**{f"{column}__in": subquery})
