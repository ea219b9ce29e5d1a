"""What changed, read from the records the tracker already keeps: replies (by the date they were
received), the history of replies, recommendations and reports (django-simple-history: assessment,
implementation status, deadline and reply-due changes) and overdue flags (the day the daily job
found an item overdue).

One reading serves the digest's "what changed", the /changes/ page, its Atom feed and the emails
to people watching one recommendation or report. Reads only; the day is passed in, never read from
the clock. Each source is one query (two for histories, whose previous versions are read in one
go), so a page of changes costs a fixed number of queries however many there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from recommendations.models import Recommendation, Report
from recommendations.querysets import addressee_links

from .models import Assessment, ImplementationStatus, OverdueFlag, Response


class ChangeKind:
    """What happened (the values are stable: watch notifications are keyed on them)."""

    REPLY = "reply"  # a reply arrived
    STATUS = "status"  # an officer changed a reply's assessment or implementation status
    DEADLINE = "deadline"  # an editor changed a recommendation's deadline
    REPLY_DUE = "reply_due"  # an editor changed (or cleared) when a report's reply is due
    OVERDUE = "overdue"  # the daily job found an item overdue

    LABELS = {
        REPLY: "Reply received",
        STATUS: "Status changed",
        DEADLINE: "Deadline changed",
        REPLY_DUE: "Reply due date changed",
        OVERDUE: "Became overdue",
    }


# The kinds the tracker keeps itself (others are added by other apps, ``change_source_add``).
TRACKER_KINDS = frozenset(ChangeKind.LABELS)


@dataclass(frozen=True)
class Change:
    """One change, on the London date it happened, with the recommendation and report it concerns.

    ``key`` names the change uniquely and stably (the source row), so a watcher is emailed about
    it once whatever reads it again."""

    key: str
    kind: str
    on: datetime.date
    report: Report | None
    recommendation: Recommendation | None
    summary: str
    details: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()
    sort_key: tuple = field(default=(), compare=False)

    @property
    def label(self) -> str:
        return ChangeKind.LABELS[self.kind]

    @property
    def title(self) -> str:
        if self.recommendation is not None:
            return f"{self.label}: {self.recommendation.report.title}, recommendation {self.recommendation.number}"
        return f"{self.label}: {self.report.title}" if self.report is not None else self.label

    @property
    def path(self) -> str:
        if self.recommendation is not None:
            return self.recommendation.get_absolute_url()
        return self.report.get_absolute_url() if self.report is not None else "/"


def first_lines(text: str, *, lines: int = 2, chars: int = 300) -> str:
    """The opening of a reply: its first ``lines`` non-empty lines, at most ``chars`` characters."""
    kept = " ".join([line.strip() for line in text.splitlines() if line.strip()][:lines])
    return kept if len(kept) <= chars else kept[: chars - 1].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes to read: between two London dates (inclusive), for one report, one addressee,
    one recommendation. ``limit`` bounds each source (newest first), for paging."""

    start: datetime.date
    end: datetime.date
    report_id: int | None = None
    addressee_id: int | None = None
    recommendation_id: int | None = None
    limit: int | None = None

    def recommendations(self, field: str) -> Q:
        """The rows whose foreign key ``field`` names a recommendation the filter asks for. The
        addressee is a subquery, not a join, so no row comes twice and none needs a DISTINCT (a
        DISTINCT over every reply took a second at 173,617 replies)."""
        q = Q()
        if self.report_id is not None:
            q &= Q(**{f"{field}__report_id": self.report_id})
        if self.addressee_id is not None:
            q &= Q(**{f"{field}_id__in": self.addressed()})
        if self.recommendation_id is not None:
            q &= Q(**{f"{field}_id": self.recommendation_id})
        return q

    def addressed(self):
        """The ids of the recommendations addressed to ``addressee_id`` (a subquery)."""
        return addressee_links(self.addressee_id).values("recommendation_id")

    def addressed_reports(self):
        """The ids of the reports with a recommendation addressed to ``addressee_id`` (a subquery)."""
        return Recommendation.objects.filter(pk__in=self.addressed()).values("report_id")

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The window as aware datetimes: midnight in London at ``start`` to midnight after ``end``."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time(), tzinfo=zone)
        after = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
        return first, after

    def cut(self, rows):
        return rows[: self.limit] if self.limit is not None else rows


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _replies(f: ChangeFilter) -> list[Change]:
    rows = (
        Response.objects.filter(date_received__gte=f.start, date_received__lte=f.end)
        .filter(f.recommendations("recommendation"))
        .select_related("recommendation__report")
        .prefetch_related("commitments")
        .order_by("-date_received", "-pk")
    )
    changes = []
    for reply in f.cut(rows):
        rec = reply.recommendation
        promises = tuple(_promise(c) for c in reply.commitments.all())
        position = f"The reply says: {reply.get_stated_position_display()}. " if reply.stated_position else ""
        changes.append(
            Change(
                key=f"reply:{reply.pk}",
                kind=ChangeKind.REPLY,
                on=reply.date_received,
                report=rec.report,
                recommendation=rec,
                summary=position + first_lines(reply.text),
                commitments=promises,
                sort_key=(reply.pk,),
            )
        )
    return changes


def _promise(commitment) -> str:
    if commitment.due_date:
        return f"{commitment.text} (due {commitment.due_date:%-d %B %Y})"
    return f"{commitment.text} ({commitment.due_text})" if commitment.due_text else commitment.text


def _history_diffs(history_model, rows, fields: tuple[str, ...], id_field: str = "id") -> dict[int, dict]:
    """For each history row in ``rows`` (changes, ``~``), which of ``fields`` differ from the
    version before it: {history_id: {field: (old, new)}}. Previous versions in one query."""
    ids = {getattr(row, id_field) for row in rows}
    if not ids:
        return {}
    versions: dict[int, list] = {}
    for row in history_model.objects.filter(**{f"{id_field}__in": ids}, history_date__lte=max(r.history_date for r in rows)).order_by(
        "history_date", "history_id"
    ):
        versions.setdefault(getattr(row, id_field), []).append(row)
    diffs = {}
    for row in rows:
        chain = versions.get(getattr(row, id_field), [])
        position = next((i for i, v in enumerate(chain) if v.history_id == row.history_id), None)
        if not position:
            continue
        before = chain[position - 1]
        changed = {name: (getattr(before, name), getattr(row, name)) for name in fields if getattr(before, name) != getattr(row, name)}
        if changed:
            diffs[row.history_id] = changed
    return diffs


def _status_changes(f: ChangeFilter) -> list[Change]:
    first, after = f.moments()
    history = Response.history.model
    rows = list(
        f.cut(
            history.objects.filter(history_type="~", history_date__gte=first, history_date__lt=after)
            .filter(f.recommendations("recommendation"))
            .order_by("-history_date", "-history_id")
        )
    )
    diffs = _history_diffs(history, rows, ("assessment", "implementation_status"))
    recs = Recommendation.objects.select_related("report").in_bulk({row.recommendation_id for row in rows if row.history_id in diffs})
    labels = {"assessment": ("Assessment", Assessment), "implementation_status": ("Implementation", ImplementationStatus)}
    changes = []
    for row in rows:
        if row.history_id not in diffs or row.recommendation_id not in recs:
            continue
        parts = []
        for name, (old, new) in diffs[row.history_id].items():
            label, choices = labels[name]
            parts.append(f"{label}: {choices(old).label if old in choices.values else old} → {choices(new).label if new in choices.values else new}")
        rec = recs[row.recommendation_id]
        changes.append(
            Change(
                key=f"response-history:{row.history_id}",
                kind=ChangeKind.STATUS,
                on=_local_date(row.history_date),
                report=rec.report,
                recommendation=rec,
                summary="; ".join(parts),
                details=(row.history_change_reason,) if row.history_change_reason else (),
                sort_key=(row.history_id,),
            )
        )
    return changes


def _deadline_changes(f: ChangeFilter) -> list[Change]:
    first, after = f.moments()
    history = Recommendation.history.model
    q = Q()
    if f.report_id is not None:
        q &= Q(report_id=f.report_id)
    if f.recommendation_id is not None:
        q &= Q(id=f.recommendation_id)
    if f.addressee_id is not None:
        q &= Q(id__in=f.addressed())
    rows = list(f.cut(history.objects.filter(q, history_type="~", history_date__gte=first, history_date__lt=after).order_by("-history_date", "-history_id")))
    diffs = _history_diffs(history, rows, ("deadline",))
    recs = Recommendation.objects.select_related("report").in_bulk({row.id for row in rows if row.history_id in diffs})
    changes = []
    for row in rows:
        if row.history_id not in diffs or row.id not in recs:
            continue
        old, new = diffs[row.history_id]["deadline"]
        rec = recs[row.id]
        changes.append(
            Change(
                key=f"recommendation-history:{row.history_id}",
                kind=ChangeKind.DEADLINE,
                on=_local_date(row.history_date),
                report=rec.report,
                recommendation=rec,
                summary=f"Deadline: {_day(old)} → {_day(new)}",
                details=(row.history_change_reason,) if row.history_change_reason else (),
                sort_key=(row.history_id,),
            )
        )
    return changes


def _day(value: datetime.date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "none"


def _reply_due_changes(f: ChangeFilter) -> list[Change]:
    if f.recommendation_id is not None:
        return []
    first, after = f.moments()
    history = Report.history.model
    q = Q(id=f.report_id) if f.report_id is not None else Q()
    if f.addressee_id is not None:
        q &= Q(id__in=f.addressed_reports())
    rows = list(f.cut(history.objects.filter(q, history_type="~", history_date__gte=first, history_date__lt=after).order_by("-history_date", "-history_id")))
    diffs = _history_diffs(history, rows, ("response_due_override",))
    reports = Report.objects.in_bulk({row.id for row in rows if row.history_id in diffs})
    changes = []
    for row in rows:
        if row.history_id not in diffs or row.id not in reports:
            continue
        old, new = diffs[row.history_id]["response_due_override"]
        reason = row.response_due_override_reason or row.history_change_reason
        changes.append(
            Change(
                key=f"report-history:{row.history_id}",
                kind=ChangeKind.REPLY_DUE,
                on=_local_date(row.history_date),
                report=reports[row.id],
                recommendation=None,
                summary=f"Reply due date set by an editor: {_day(old)} → {_day(new)}" if new else f"Editor's reply due date {_day(old)} cleared",
                details=(reason,) if reason else (),
                sort_key=(row.history_id,),
            )
        )
    return changes


def _overdue(f: ChangeFilter) -> list[Change]:
    q = Q(raised_on__gte=f.start, raised_on__lte=f.end) & ~Q(kind=OverdueFlag.Kind.COMMITMENT)
    if f.recommendation_id is not None:
        q &= Q(recommendation_id=f.recommendation_id)
    if f.report_id is not None:
        q &= Q(recommendation__report_id=f.report_id) | Q(report_id=f.report_id)
    if f.addressee_id is not None:
        q &= Q(recommendation_id__in=f.addressed()) | Q(report_id__in=f.addressed_reports())
    rows = f.cut(OverdueFlag.objects.filter(q).select_related("recommendation__report", "report").order_by("-raised_on", "-pk"))
    changes = []
    for flag in rows:
        rec = flag.recommendation
        report = rec.report if rec is not None else flag.report
        if report is None:
            continue
        what = "deadline" if rec is not None else "reply"
        changes.append(
            Change(
                key=f"overdue-flag:{flag.pk}",
                kind=ChangeKind.OVERDUE,
                on=flag.raised_on,
                report=report,
                recommendation=rec,
                summary=f"The {what} due {flag.due_date:%-d %B %Y} passed without a reply.",
                sort_key=(flag.pk,),
            )
        )
    return changes


SOURCES = (_replies, _status_changes, _deadline_changes, _reply_due_changes, _overdue)

# Changes kept by apps above this one (``followup``: a chaser letter recorded as sent), which add
# their source here when they start (``change_source_add`` in their ``AppConfig.ready``): a
# function of a ``ChangeFilter`` returning its changes, newest first, at most ``limit``, in a fixed
# number of queries. The digest, /changes/, its feed and watches read them with the tracker's own.
CHANGE_SOURCES: list[Callable[[ChangeFilter], list[Change]]] = []


def change_source_add(source: Callable[[ChangeFilter], list[Change]], *, kind: str, label: str) -> None:
    """Read ``source``'s changes with the others; its changes are of ``kind``, shown as ``label``."""
    ChangeKind.LABELS.setdefault(kind, label)
    if source not in CHANGE_SOURCES:
        CHANGE_SOURCES.append(source)


def change_log(changes: ChangeFilter) -> list[Change]:
    """Every change the filter asks for, newest first (at most ``limit`` from each source)."""
    found = [change for source in (*SOURCES, *CHANGE_SOURCES) for change in source(changes)]
    found.sort(key=lambda c: (c.on, c.kind, c.sort_key), reverse=True)
    return found
