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

import datetime
import json
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db.models import Count, QuerySet
from django.urls import reverse

from recommendations.dates import deadlines_disagree
from recommendations.identifiers import recommendation_id
from recommendations.models import Recommendation, RecommendationAppearance, Report
from recommendations.querysets import DeadlineStatus
from responses.models import Ask, Commitment, Consultation, Response, Submission
from responses.progress import with_progress

from .spreadsheet import CSV_BATCH, csv_download, csv_lines  # CSV for people: labels, "A; B" lists, a byte order mark

CHUNK = 2000

RECOMMENDATION_FIELDS = [
    "id", "url", "report", "report_title", "number", "text", "short_text", "addressees", "chapter", "deadline",
    "deadline_text", "deadline_precision", "deadline_conflicts", "deadline_status", "progress", "response_date",
    "response_text", "response_document", "assessment", "implementation_status",
]
RESPONSE_FIELDS = [
    "id", "url", "recommendation", "report", "number", "letter", "letter_reference", "date_received", "text",
    "assessment", "assessment_rationale", "implementation_status",
]
COMMITMENT_FIELDS = [
    "id", "url", "document", "recommendation", "owner", "text", "due_date", "due_text", "due_precision", "status",
]
SUBMISSION_FIELDS = [
    "id", "url", "consultation", "label", "respondent", "organisation", "respondent_kind", "date", "subject", "asks",
]


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


_URL_MARK = "987654321"  # stands for the argument while a page's address is reversed once


def submission_url(consultation_page: Callable[..., str], slug: str, submission_id: int) -> str:
    """A submission's address: its consultation's page asked for the submission, which answers
    with the page of submissions that holds it (``?submission=``), at its heading."""
    return f"{consultation_page(slug)}?submission={submission_id}#submission-{submission_id}"


def page_url(name: str) -> Callable[..., str]:
    """A function giving the absolute address (``SITE_URL``) of the page ``name`` for one
    argument (a pk or a slug), and an optional ``#fragment``: reversed once, so a record's address
    costs a string format, not a URL reversal."""
    head, tail = reverse(name, args=[_URL_MARK]).split(_URL_MARK)
    site = settings.SITE_URL.rstrip("/")

    def url(arg, fragment: str = "") -> str:
        return f"{site}{head}{arg}{tail}" + (f"#{fragment}" if fragment else "")

    return url


_RECOMMENDATION_COLUMNS = (
    "pk", "report__slug", "report__title", "number", "text", "short_text", "chapter", "deadline",
    "deadline_text", "deadline_precision", "deadline_status", "progress",
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
        with_progress(queryset.with_deadline_status(today=today), today=today)
        .order_by("report__slug", "number")
        .values_list(*_RECOMMENDATION_COLUMNS)
        .iterator(CHUNK)
    )
    page = page_url("recommendation-detail")
    for chunk in _chunks(rows, CHUNK):
        ids = [row[0] for row in chunk]
        addressees = _addressee_names(ids)
        conflicts = _deadline_conflicts(ids)
        replies = _first_replies(ids, today=today)
        for pk, slug, title, number, text, short_text, chapter, deadline, deadline_text, precision, status, progress in chunk:
            reply_date, reply_text, reply_document, assessment, implementation = replies.get(pk, _NO_REPLY)
            yield {
                "id": recommendation_id(slug, number),
                "url": page(pk),
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
                "progress": progress,  # where it stands, from the latest reply (responses.progress)
                "response_date": _iso(reply_date),
                "response_text": reply_text,
                "response_document": reply_document,
                "assessment": assessment,
                "implementation_status": implementation,
            }


def response_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    page = page_url("recommendation-detail")
    rows = queryset.order_by("recommendation__report__slug", "recommendation__number", "date_received", "pk").values_list(
        "recommendation_id", "recommendation__report__slug", "recommendation__number", "letter__sha256", "letter__title", "letter__reference",
        "date_received", "text", "assessment", "assessment_rationale", "implementation_status",
    )
    for rec_pk, slug, number, sha256, title, reference, received, text, assessment, rationale, status in rows.iterator(CHUNK):
        rec_id = recommendation_id(slug, number)
        yield {
            "id": f"{rec_id}/{sha256[:12]}",
            "url": page(rec_pk, "reply"),
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
    plan) to the recommendation it names, if any. Its page is that recommendation's (at its
    commitments), else the document's it was made in."""
    recommendation_page, document_page = page_url("recommendation-detail"), page_url("document-detail")
    rows = queryset.order_by("document__sha256", "position").values_list(
        "document__sha256", "position", "document_id", "document__title", "response_id", "response__recommendation_id",
        "response__recommendation__report__slug", "response__recommendation__number", "recommendation_id",
        "recommendation__report__slug", "recommendation__number", "owner__name", "text", "due_date", "due_text",
        "due_precision", "status",
    )
    for (sha256, position, document_id, title, response_id, reply_rec, reply_slug, reply_number, rec, slug, number, owner, text,
         due_date, due_text, due_precision, status) in rows.iterator(CHUNK):
        if response_id:
            rec, slug, number = reply_rec, reply_slug, reply_number
        yield {
            "id": f"{sha256[:12]}/{position}",
            "url": recommendation_page(rec, "commitments") if rec else document_page(document_id),
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
    page = page_url("consultation-detail")
    rows = queryset.order_by("consultation__slug", "document__sha256", "start_line").values_list(
        "pk", "document__sha256", "start_line", "consultation__slug", "consultation__title", "label", "respondent", "organisation_id",
        "organisation__name", "respondent_kind", "date", "subject",
    )
    for chunk in _chunks(rows.iterator(CHUNK), CHUNK):
        asks = _asks([row[0] for row in chunk])
        for pk, sha256, start_line, slug, consultation, label, respondent, organisation_id, organisation, kind, date, subject in chunk:
            yield {
                "id": f"{sha256[:12]}/{start_line}",
                "url": submission_url(page, slug, pk),
                "consultation": consultation,
                "label": label,
                "respondent": respondent if organisation_id else "",
                "organisation": organisation,
                "respondent_kind": kind,
                "date": _iso(date),
                "subject": subject,
                "asks": asks.get(pk, []),
            }


REPORT_FIELDS = [
    "id", "url", "title", "committee", "published", "published_precision", "response_due", "recommendations",
    "recommendations_answered", "first_reply_date", "reply",
]
CONSULTATION_FIELDS = ["id", "url", "title", "submissions", "asks"]
ASK_FIELDS = [
    "id", "url", "consultation", "submission", "respondent", "organisation", "respondent_kind", "number", "section", "text",
]


def report_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """Reports as the reports page lists them (most recently published first), with their reply's
    timeliness in words: one query, the figures being subqueries per report."""
    from .selectors import report_row, reports_with_replies  # selectors reads pages; exports is below them

    page = page_url("report-detail")
    reports = reports_with_replies(today=today).filter(pk__in=queryset.values("pk"))
    for report in reports.iterator(CHUNK):
        row = report_row(report, today=today)
        yield {
            "id": report.slug,
            "url": page(report.slug),
            "title": report.title,
            "committee": report.committee.name,
            "published": _iso(report.published),
            "published_precision": report.published_precision or None,
            "response_due": _iso(report.response_due.date),
            "recommendations": report.recommendation_count,
            "recommendations_answered": report.answered_count or 0,
            "first_reply_date": _iso(report.first_reply_date),
            "reply": row.timeliness.sentence,
        }


def consultation_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """Consultations in title order with how many submissions and asks each drew (one query)."""
    page = page_url("consultation-detail")
    rows = queryset.order_by("title", "pk").annotate(
        submission_count=Count("submissions", distinct=True), ask_count=Count("submissions__asks", distinct=True)
    ).values_list("slug", "title", "submission_count", "ask_count")
    for slug, title, submissions, asks in rows.iterator(CHUNK):
        yield {"id": slug, "url": page(slug), "title": title, "submissions": submissions, "asks": asks}


def ask_records(queryset: QuerySet, *, today: datetime.date) -> Iterator[dict]:
    """One record per ask, in its submission's order, with who asked (a private individual by the
    submission's label only, as ``submission_records``) and the address of its submission on the
    consultation's page. One query."""
    page = page_url("consultation-detail")
    rows = queryset.order_by("submission__consultation__slug", "submission__document__sha256", "submission__start_line", "line").values_list(
        "submission__document__sha256", "submission__start_line", "line", "submission_id", "submission__consultation__slug",
        "submission__consultation__title", "submission__label", "submission__respondent", "submission__organisation_id",
        "submission__organisation__name", "submission__respondent_kind", "number", "section", "text",
    )
    for (sha256, start_line, line, submission_id, slug, consultation, label, respondent, organisation_id, organisation, kind,
         number, section, text) in rows.iterator(CHUNK):
        yield {
            "id": f"{sha256[:12]}/{start_line}/{line}",
            "url": submission_url(page, slug, submission_id),
            "consultation": consultation,
            "submission": label,
            "respondent": respondent if organisation_id else "",
            "organisation": organisation,
            "respondent_kind": kind,
            "number": number,
            "section": section,
            "text": text,
        }


DATASETS = {
    "recommendations": (Recommendation, recommendation_records, RECOMMENDATION_FIELDS),
    "responses": (Response, response_records, RESPONSE_FIELDS),
    "commitments": (Commitment, commitment_records, COMMITMENT_FIELDS),
    "submissions": (Submission, submission_records, SUBMISSION_FIELDS),
    "reports": (Report, report_records, REPORT_FIELDS),
    "consultations": (Consultation, consultation_records, CONSULTATION_FIELDS),
    "asks": (Ask, ask_records, ASK_FIELDS),
}


def csv_response(dataset: str, queryset: QuerySet, *, today: datetime.date, name: str = ""):
    """The CSV download of ``queryset``'s rows of ``dataset`` (every row, streamed), as a list page
    offers it: ``<name or dataset>-<today>.csv``."""
    _model, records, fields = DATASETS[dataset]
    return csv_download(dataset, records(queryset, today=today), fields, filename=f"{name or dataset}-{today:%Y-%m-%d}.csv")


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """JSON Lines for programs: codes as codes (``no_deadline``), lists as JSON arrays."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"


__all__ = ["CSV_BATCH", "DATASETS", "DeadlineStatus", "csv_lines", "csv_response", "jsonl_lines", "page_url", "recommendation_records"]
