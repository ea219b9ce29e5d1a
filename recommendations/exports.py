"""Open data: one flat record per recommendation, response, commitment or submission.

The same records feed the ``export`` command (JSON Lines or CSV), the CSV download of a filtered
list and the read-only JSON API, so every channel gives the same fields. Ids are stable across
databases: they are built from slugs, numbers and file hashes, never from database ids.

Each ``*_records`` function takes a queryset and ``today`` and yields dicts, iterating in chunks,
so an export of any size runs in constant memory and a fixed number of queries per chunk. Records
are built from plain rows (``values_list``), never model instances, which cost several times more
than the rows at 100,000 records; many-valued columns (addressees, conflicting copies, replies,
asks) are read in one query per chunk each.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from responses.models import Ask, Commitment, Response, Submission
from tracker.csvcells import csv_cell

from .dates import deadlines_disagree
from .models import Recommendation, RecommendationAppearance
from .querysets import DeadlineStatus

CHUNK = 2000

RECOMMENDATION_FIELDS = [
    "id", "report", "report_title", "number", "text", "short_text", "addressees", "chapter", "deadline",
    "deadline_text", "deadline_precision", "deadline_conflicts", "deadline_status", "response_date",
    "response_text", "response_document", "assessment", "implementation_status",
]
RESPONSE_FIELDS = [
    "id", "recommendation", "report", "number", "letter", "letter_reference", "date_received", "text",
    "assessment", "assessment_rationale", "implementation_status",
]
COMMITMENT_FIELDS = [
    "id", "document", "recommendation", "owner", "text", "due_date", "due_text", "due_precision", "status",
]
SUBMISSION_FIELDS = [
    "id", "consultation", "label", "respondent", "organisation", "respondent_kind", "date", "subject", "asks",
]


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def recommendation_id(report_slug: str, number: int) -> str:
    return f"{report_slug}/{number}"


_RECOMMENDATION_COLUMNS = (
    "pk", "report__slug", "report__title", "number", "text", "short_text", "chapter", "deadline",
    "deadline_text", "deadline_precision", "deadline_status",
)


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _addressee_names(ids: list[int]) -> dict[int, list[str]]:
    """Each recommendation's addressees by name, in name order (``Organisation``'s ordering)."""
    names: dict[int, list[str]] = {}
    through = Recommendation.addressees.through.objects.filter(recommendation_id__in=ids)
    for rec_id, name in through.order_by("organisation__name").values_list("recommendation_id", "organisation__name"):
        names.setdefault(rec_id, []).append(name)
    return names


def _deadline_conflicts(ids: list[int]) -> dict[int, list[dict]]:
    """``Recommendation.deadline_conflicts()`` for each recommendation, as records: every copy that
    gives a deadline, when the copies give at least two different ones. Copies come in the
    appearances' own order (document, then line); a copy without a deadline never counts, so it is
    not read. Documents are named by title: their full text is never loaded."""
    copies: dict[int, list[tuple]] = {}
    rows = RecommendationAppearance.objects.filter(recommendation_id__in=ids, deadline__isnull=False).values_list(
        "recommendation_id", "deadline", "deadline_text", "document__title", "section", "line"
    )
    for rec_id, *copy in rows:
        copies.setdefault(rec_id, []).append(copy)
    return {
        rec_id: [
            {"date": _iso(deadline), "words": words, "found_in": title, "section": section, "line": line}
            for deadline, words, title, section, line in found
        ]
        for rec_id, found in copies.items()
        if deadlines_disagree(copy[0] for copy in found)
    }


def _first_replies(ids: list[int], *, today: datetime.date) -> dict[int, tuple]:
    """The earliest reply received by ``today`` to each recommendation:
    (date received, text, letter title, assessment, implementation status)."""
    first: dict[int, tuple] = {}
    rows = (
        Response.objects.filter(recommendation_id__in=ids, date_received__lte=today)
        .order_by("date_received", "pk")  # the first reply as the list shows it
        .values_list("recommendation_id", "date_received", "text", "letter__title", "assessment", "implementation_status")
    )
    for rec_id, *reply in rows:
        first.setdefault(rec_id, tuple(reply))
    return first


_NO_REPLY = (None, None, None, None, None)


def recommendation_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """One record per recommendation, in report and number order.

    Reads ``CHUNK`` recommendations at a time as rows, then three queries per chunk: addressees,
    copies with a deadline (for conflicts), replies received by ``today``. The deadline status is
    the database's ``with_deadline_status`` for ``today``.
    """
    rows = (
        queryset.with_deadline_status(today=today)
        .order_by("report__slug", "number")
        .values_list(*_RECOMMENDATION_COLUMNS)
        .iterator(CHUNK)
    )
    for chunk in _chunks(rows, CHUNK):
        ids = [row[0] for row in chunk]
        addressees = _addressee_names(ids)
        conflicts = _deadline_conflicts(ids)
        replies = _first_replies(ids, today=today)
        for pk, slug, title, number, text, short_text, chapter, deadline, deadline_text, precision, status in chunk:
            reply_date, reply_text, reply_document, assessment, implementation = replies.get(pk, _NO_REPLY)
            yield {
                "id": recommendation_id(slug, number),
                "report": slug,
                "report_title": title,
                "number": number,
                "text": text,
                "short_text": short_text,
                "addressees": addressees.get(pk, []),
                "chapter": chapter,
                "deadline": _iso(deadline),
                "deadline_text": deadline_text,
                "deadline_precision": precision or None,
                "deadline_conflicts": conflicts.get(pk, []),
                "deadline_status": status,
                "response_date": _iso(reply_date),
                "response_text": reply_text,
                "response_document": reply_document,
                "assessment": assessment,
                "implementation_status": implementation,
            }


def response_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    rows = queryset.order_by("recommendation__report__slug", "recommendation__number", "date_received", "pk").values_list(
        "recommendation__report__slug", "recommendation__number", "letter__sha256", "letter__title", "letter__reference",
        "date_received", "text", "assessment", "assessment_rationale", "implementation_status",
    )
    for slug, number, sha256, title, reference, received, text, assessment, rationale, status in rows.iterator(CHUNK):
        rec_id = recommendation_id(slug, number)
        yield {
            "id": f"{rec_id}/{sha256[:12]}",
            "recommendation": rec_id,
            "report": slug,
            "number": number,
            "letter": title,
            "letter_reference": reference,
            "date_received": _iso(received),
            "text": text,
            "assessment": assessment,
            "assessment_rationale": rationale,
            "implementation_status": status,
        }


def commitment_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """A commitment made in a reply belongs to that reply's recommendation; one made elsewhere (a
    plan) to the recommendation it names, if any."""
    rows = queryset.order_by("document__sha256", "position").values_list(
        "document__sha256", "position", "document__title", "response_id", "response__recommendation__report__slug",
        "response__recommendation__number", "recommendation__report__slug", "recommendation__number", "owner__name",
        "text", "due_date", "due_text", "due_precision", "status",
    )
    for (sha256, position, title, response_id, reply_slug, reply_number, slug, number, owner, text, due_date, due_text,
         due_precision, status) in rows.iterator(CHUNK):
        if response_id:
            slug, number = reply_slug, reply_number
        yield {
            "id": f"{sha256[:12]}/{position}",
            "document": title,
            "recommendation": recommendation_id(slug, number) if slug is not None else None,
            "owner": owner,
            "text": text,
            "due_date": _iso(due_date),
            "due_text": due_text,
            "due_precision": due_precision or None,
            "status": status,
        }


def _asks(ids: list[int]) -> dict[int, list[dict]]:
    asks: dict[int, list[dict]] = {}
    for submission_id, number, section, text in Ask.objects.filter(submission_id__in=ids).values_list(
        "submission_id", "number", "section", "text"
    ):
        asks.setdefault(submission_id, []).append({"number": number, "section": section, "text": text})
    return asks


def submission_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """Submissions with their asks (one query per chunk). The text itself is not exported: it may
    hold private individuals' contact details."""
    rows = queryset.order_by("consultation__slug", "document__sha256", "start_line").values_list(
        "pk", "document__sha256", "start_line", "consultation__title", "label", "respondent", "organisation_id",
        "organisation__name", "respondent_kind", "date", "subject",
    )
    for chunk in _chunks(rows.iterator(CHUNK), CHUNK):
        asks = _asks([row[0] for row in chunk])
        for pk, sha256, start_line, consultation, label, respondent, organisation_id, organisation, kind, date, subject in chunk:
            yield {
                "id": f"{sha256[:12]}/{start_line}",
                "consultation": consultation,
                "label": label,
                "respondent": respondent if organisation_id else "",
                "organisation": organisation,
                "respondent_kind": kind,
                "date": _iso(date),
                "subject": subject,
                "asks": asks.get(pk, []),
            }


DATASETS = {
    "recommendations": (Recommendation, recommendation_records, RECOMMENDATION_FIELDS),
    "responses": (Response, response_records, RESPONSE_FIELDS),
    "commitments": (Commitment, commitment_records, COMMITMENT_FIELDS),
    "submissions": (Submission, submission_records, SUBMISSION_FIELDS),
}


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"


# Records per piece of CSV text: one write per record costs more than the record itself (for
# a streamed response, a bytes conversion and a socket write each).
CSV_BATCH = 200


def _csv_cell(value):
    # csv_cell: text that would start a spreadsheet formula is written as text (tracker/csvcells.py)
    return csv_cell(json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value)


def csv_lines(records: Iterable[dict], fields: list[str]) -> Iterator[str]:
    """CSV text, a header then the records' lines, ``CSV_BATCH`` records to a piece; lists and
    dicts become JSON in their cell, a field a record lacks an empty cell (as ``csv.DictWriter``),
    and no cell starts a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    yield buffer.getvalue()
    for batch in _chunks(records, CSV_BATCH):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([[_csv_cell(record.get(key, "")) for key in fields] for record in batch])
        yield buffer.getvalue()


__all__ = ["DATASETS", "DeadlineStatus", "csv_lines", "jsonl_lines", "recommendation_records"]
