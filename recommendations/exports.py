"""Open data: one flat record per recommendation, response, commitment or submission.

The same records feed the ``export`` command (JSON Lines or CSV), the CSV download of a filtered
list and the read-only JSON API, so every channel gives the same fields. Ids are stable across
databases: they are built from slugs, numbers and file hashes, never from database ids.

Each ``*_records`` function takes a queryset and ``today`` and yields dicts, iterating in chunks,
so an export of any size runs in constant memory and a fixed number of queries per chunk.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from responses.models import Commitment, Response, Submission

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


def recommendations_for_export(queryset: QuerySet, *, today: datetime.date) -> QuerySet:
    """Everything ``recommendation_records`` reads, prefetched."""
    return (
        queryset.with_deadline_status(today=today)
        .select_related("report")
        .prefetch_related(
            "addressees",
            # A record names each document by title: its full text (kilobytes, repeated for every
            # copy and reply in it) is never loaded.
            Prefetch("appearances", queryset=RecommendationAppearance.objects.select_related("document").defer("document__text")),
            Prefetch(
                "responses",
                queryset=Response.objects.filter(date_received__lte=today)
                .select_related("letter")
                .defer("letter__text")
                .order_by("date_received"),
            ),
        )
    )


def recommendation_record(rec: Recommendation) -> dict:
    """One recommendation as open data. ``rec`` comes from ``recommendations_for_export``."""
    responses = list(rec.responses.all())
    first = responses[0] if responses else None
    return {
        "id": recommendation_id(rec.report.slug, rec.number),
        "report": rec.report.slug,
        "report_title": rec.report.title,
        "number": rec.number,
        "text": rec.text,
        "short_text": rec.short_text,
        "addressees": [org.name for org in rec.addressees.all()],
        "chapter": rec.chapter,
        "deadline": _iso(rec.deadline),
        "deadline_text": rec.deadline_text,
        "deadline_precision": rec.deadline_precision or None,
        "deadline_conflicts": [
            {
                "date": _iso(appearance.deadline),
                "words": appearance.deadline_text,
                "found_in": appearance.document.title,
                "section": appearance.section,
                "line": appearance.line,
            }
            for appearance in rec.deadline_conflicts()
        ],
        "deadline_status": rec.deadline_status,
        "response_date": _iso(first.date_received) if first else None,
        "response_text": first.text if first else None,
        "response_document": first.letter.title if first else None,
        "assessment": first.assessment if first else None,
        "implementation_status": first.implementation_status if first else None,
    }


def recommendation_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    for rec in recommendations_for_export(queryset, today=today).order_by("report__slug", "number").iterator(CHUNK):
        yield recommendation_record(rec)


def response_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    rows = queryset.select_related("recommendation__report", "letter").order_by(
        "recommendation__report__slug", "recommendation__number", "date_received"
    )
    for response in rows.iterator(CHUNK):
        rec = response.recommendation
        yield {
            "id": f"{recommendation_id(rec.report.slug, rec.number)}/{response.letter.sha256[:12]}",
            "recommendation": recommendation_id(rec.report.slug, rec.number),
            "report": rec.report.slug,
            "number": rec.number,
            "letter": response.letter.title,
            "letter_reference": response.letter.reference,
            "date_received": _iso(response.date_received),
            "text": response.text,
            "assessment": response.assessment,
            "assessment_rationale": response.assessment_rationale,
            "implementation_status": response.implementation_status,
        }


def commitment_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    rows = queryset.select_related(
        "document", "owner", "response__recommendation__report", "recommendation__report"
    ).order_by(
        "document__sha256", "position"
    )
    for commitment in rows.iterator(CHUNK):
        rec = commitment.response.recommendation if commitment.response_id else commitment.recommendation
        yield {
            "id": f"{commitment.document.sha256[:12]}/{commitment.position}",
            "document": commitment.document.title,
            "recommendation": recommendation_id(rec.report.slug, rec.number) if rec else None,
            "owner": commitment.owner.name if commitment.owner else None,
            "text": commitment.text,
            "due_date": _iso(commitment.due_date),
            "due_text": commitment.due_text,
            "due_precision": commitment.due_precision or None,
            "status": commitment.status,
        }


def submission_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """Submissions with their asks. The text itself is not exported: it may hold private
    individuals' contact details."""
    rows = queryset.select_related("consultation", "organisation", "document").prefetch_related("asks")
    for submission in rows.order_by("consultation__slug", "document__sha256", "start_line").iterator(CHUNK):
        yield {
            "id": f"{submission.document.sha256[:12]}/{submission.start_line}",
            "consultation": submission.consultation.title,
            "label": submission.label,
            "respondent": submission.respondent if submission.organisation_id else "",
            "organisation": submission.organisation.name if submission.organisation else None,
            "respondent_kind": submission.respondent_kind,
            "date": _iso(submission.date),
            "subject": submission.subject,
            "asks": [{"number": ask.number, "section": ask.section, "text": ask.text} for ask in submission.asks.all()],
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


def csv_lines(records: Iterable[dict], fields: list[str]) -> Iterator[str]:
    """CSV text, a header then one line per record; lists and dicts become JSON in their cell."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    yield buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
                for key, value in record.items()
            }
        )
        yield buffer.getvalue()


__all__ = ["DATASETS", "DeadlineStatus", "csv_lines", "jsonl_lines", "recommendation_records"]
