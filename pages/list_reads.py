"""A page of the recommendation list read by hand-written SQL (``pages.selectors.recommendation_rows``).

The list finds a page's ids with its filters and order (querysets: they vary with the filter),
then reads those rows, their addressees and their replies: three queries that are the same every
time but for the ids. Built as querysets, compiling them took most of that read's time (as on the
recommendation page: ``pages/detail_reads.py``); here each is written once, from the models' own
table and column names, and its rows come back as plain values. tests/perf_cold pins them to the
querysets they replaced.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connection

from recommendations.models import Organisation, Recommendation, Report
from responses.models import Response

# The recommendation's and its report's columns, in the order ``rows`` returns them.
ROW_FIELDS = ("id", "number", "text", "short_text", "chapter", "deadline", "report_id")
REPORT_FIELDS = ("title", "slug", "published", "published_precision", "response_due_override", "response_due_override_reason", "committee_id")
REPLY_FIELDS = ("date_received", "stated_position", "assessment", "implementation_status")


def _name(model, field: str | None = None) -> str:
    """The quoted table of ``model``, or the quoted column of its ``field``."""
    return connection.ops.quote_name(model._meta.get_field(field).column if field else model._meta.db_table)


@functools.cache
def _sql(vendor: str) -> dict[str, str]:
    """The three queries, each for the ids in ``{ids}`` (as many placeholders as ids)."""
    link = Recommendation.addressees.through
    columns = ", ".join([*(f"rec.{_name(Recommendation, f)}" for f in ROW_FIELDS), *(f"report.{_name(Report, f)}" for f in REPORT_FIELDS)])
    replies = ", ".join(f"reply.{_name(Response, f)}" for f in REPLY_FIELDS)
    reply_rec, reply_date = _name(Response, "recommendation"), _name(Response, "date_received")
    return {
        "rows": f"""SELECT {columns} FROM {_name(Recommendation)} rec JOIN {_name(Report)} report ON report.id = rec.{_name(Recommendation, "report")}
            WHERE rec.id IN ({{ids}})""",
        # Organisation's ordering (by name), then its id for names alike.
        "addressees": f"""SELECT link.{_name(link, "recommendation")}, org.{_name(Organisation, "short_name")}, org.{_name(Organisation, "name")}
            FROM {_name(link)} link JOIN {_name(Organisation)} org ON org.id = link.{_name(link, "organisation")}
            WHERE link.{_name(link, "recommendation")} IN ({{ids}}) ORDER BY org.{_name(Organisation, "name")}, org.id""",
        "replies": f"""SELECT reply.{reply_rec}, {replies} FROM {_name(Response)} reply
            WHERE reply.{reply_rec} IN ({{ids}}) AND reply.{reply_date} <= %s ORDER BY reply.{reply_date}, reply.id""",
    }


def _fetch(name: str, ids: list[int], *extra) -> list[tuple]:
    sql = _sql(connection.vendor)[name].replace("{ids}", ", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *extra])
        return cursor.fetchall()


def rows(ids: list[int]) -> list[tuple]:
    """(``ROW_FIELDS``..., ``REPORT_FIELDS``...) of the recommendations ``ids``, in no order."""
    return _fetch("rows", ids) if ids else []


def addressee_names(ids: list[int]) -> list[tuple[int, str, str]]:
    """(recommendation id, short name, name) of their addressees, in the organisations' order."""
    return _fetch("addressees", ids) if ids else []


def replies_by(ids: list[int], today: datetime.date) -> list[tuple]:
    """(recommendation id, ``REPLY_FIELDS``...) of their replies received by ``today``, oldest first."""
    return _fetch("replies", ids, today) if ids else []
