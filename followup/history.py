"""Each recommendation's status history as open data: every change of its deadline, its reply's
assessment, implementation status and date, and its report's reply due date, with when it
happened, from django-simple-history records, overdue flags and chasers sent.

``event_records`` reads a fixed number of queries per chunk of recommendations (five), whatever
the length of the history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Q

from pages.exports import page_url, recommendation_id
from recommendations.models import Recommendation, Report
from responses.models import OverdueFlag, Response

from .models import Chaser

EVENT_FIELDS = ["recommendation", "url", "date", "recorded_at", "subject", "field", "old", "new", "source"]
# What each kind of record contributes: the fields whose changes are events.
TRACKED = {
    "recommendation": ("deadline", "deadline_text"),
    "reply": ("date_received", "assessment", "implementation_status", "stated_position"),
    "report": ("published", "response_due_override"),
}
CHUNK = 500


def _value(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _diffs(records: list, subject: str, fields: tuple[str, ...]) -> Iterator[dict]:
    """Events from one object's history records in order: its creation, each change of a tracked
    field, its deletion."""
    previous = None
    for record in records:
        when = record.history_date
        if record.history_type == "-":
            yield {"date": when.date(), "recorded_at": when, "subject": subject, "field": "deleted", "old": "", "new": "", "source": "history"}
            previous = None
            continue
        for name in fields:
            new = _value(getattr(record, name))
            old = "" if previous is None else _value(getattr(previous, name))
            if new != old and (previous is not None or new):
                day = getattr(record, "date_received", None) if (name == "date_received" and previous is None) else when.date()
                yield {"date": day, "recorded_at": when, "subject": subject, "field": name, "old": old, "new": new, "source": "history"}
        previous = record


def _grouped(records: Iterable, key: str) -> dict[int, list]:
    groups = defaultdict(list)
    for record in records:
        groups[getattr(record, key)].append(record)
    return groups


def _chunk_events(rows: list[tuple], url) -> Iterator[dict]:
    ids = [pk for pk, *_ in rows]
    report_ids = {report_id for _, report_id, _, _ in rows}
    rec_history = _grouped(Recommendation.history.filter(id__in=ids).order_by("history_date", "history_id"), "id")
    reply_history = _grouped(Response.history.filter(recommendation_id__in=ids).order_by("history_date", "history_id"), "recommendation_id")
    report_history = _grouped(Report.history.filter(id__in=report_ids).order_by("history_date", "history_id"), "id")
    flags = defaultdict(list)
    for flag in OverdueFlag.objects.filter(recommendation_id__in=ids).order_by("raised_on", "pk"):
        flags[flag.recommendation_id].append(flag)
    chases = defaultdict(list)
    through = Chaser.recommendations.through.objects.filter(recommendation_id__in=ids, chaser__status=Chaser.Status.SENT)
    for rec_id, sent_on, reference, sent_to in through.values_list("recommendation_id", "chaser__sent_on", "chaser__reference", "chaser__sent_to"):
        chases[rec_id].append((sent_on, reference, sent_to))
    for pk, report_id, slug, number in rows:
        events = list(_diffs(rec_history[pk], "recommendation", TRACKED["recommendation"]))
        for reply_id, records in _grouped(reply_history[pk], "id").items():
            events += _diffs(records, f"reply {reply_id}", TRACKED["reply"])
        events += _diffs(report_history[report_id], "report", TRACKED["report"])
        events += _flag_events(flags[pk])
        events += [
            {"date": sent_on, "recorded_at": None, "subject": "chaser", "field": "chased", "old": "", "new": f"{reference} to {sent_to}", "source": "chaser"}
            for sent_on, reference, sent_to in chases[pk]
        ]
        events.sort(key=lambda e: (e["date"], e["recorded_at"] or datetime.datetime.min.replace(tzinfo=datetime.UTC)))
        stable = recommendation_id(slug, number)
        for event in events:
            yield {
                "recommendation": stable,
                "url": url(pk),
                **event,
                "date": _value(event["date"]),
                "recorded_at": event["recorded_at"].isoformat() if event["recorded_at"] else "",
            }


def _flag_events(flags: list[OverdueFlag]) -> Iterator[dict]:
    for flag in flags:
        yield {
            "date": flag.raised_on,
            "recorded_at": flag.raised_at,
            "subject": "deadline",
            "field": "overdue",
            "old": "",
            "new": _value(flag.due_date),
            "source": "flag",
        }
        if flag.resolved_on:
            yield {
                "date": flag.resolved_on,
                "recorded_at": flag.resolved_at,
                "subject": "deadline",
                "field": "overdue_resolved",
                "old": "",
                "new": flag.resolution,
                "source": "flag",
            }


def event_records(queryset, *, today: datetime.date | None = None) -> Iterator[dict]:
    """Every event of the recommendations of ``queryset``, recommendation by recommendation, each
    in date order. ``today`` is accepted for the export interface; events are history and need none."""
    url = page_url("recommendation-detail")
    rows = queryset.order_by("report__slug", "number").values_list("pk", "report_id", "report__slug", "number")
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _chunk_events(chunk, url)
            chunk = []
    if chunk:
        yield from _chunk_events(chunk, url)


def event_page(queryset, *, after: tuple[str, int] | None, size: int) -> tuple[list[dict], tuple[str, int] | None]:
    """The events of the first ``size`` recommendations of ``queryset`` after ``after`` (a report's
    slug and a number) in the export's order, and where the next page starts (None at the end).
    Keyset, not an offset: the last page of 250,000 costs what the first does (an index walk from
    the slug), in a fixed number of queries."""
    rows = queryset.order_by("report__slug", "number")
    if after is not None:
        slug, number = after
        # ``slug >= ...`` lets the report slug index start there; the OR only breaks the tie.
        rows = rows.filter(Q(report__slug__gte=slug) & (Q(report__slug__gt=slug) | Q(number__gt=number)))
    chunk = list(rows.values_list("pk", "report_id", "report__slug", "number")[: size + 1])
    following = (chunk[size - 1][2], chunk[size - 1][3]) if len(chunk) > size else None
    return list(_chunk_events(chunk[:size], page_url("recommendation-detail"))), following
