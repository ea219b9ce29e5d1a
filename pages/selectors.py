"""Reads for pages: each returns a queryset (or a small dataclass) with everything the page needs
prefetched, so a page runs a fixed number of queries however many rows there are.

Nothing here reads the clock: views call ``tracker.clock.today()`` once and pass ``today`` in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import CharField, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from pages import list_reads
from pages.detail_reads import read_recommendation
from recommendations.dates import ResponseDue
from recommendations.deadline_rules import DUE_SOON, OVERDUE, Window, published_by_sql, recommendation_state
from recommendations.durations import duration_in_words
from recommendations.models import Document, Organisation, Recommendation, RecommendationAppearance, Report
from recommendations.querysets import DeadlineStatus, earliest
from responses.history import recommendation_history
from responses.models import Response, Submission
from responses.progress import recommendation_progress, with_progress
from responses.services import missing_reply_commitments


def _first_reply(today: datetime.date) -> QuerySet:
    """The first reply to the outer recommendation received by ``today`` (the one exports use)."""
    return Response.objects.filter(recommendation=OuterRef("pk"), date_received__lte=today).order_by("date_received", "pk")


def recommendation_list(*, today: datetime.date, annotated: bool = True) -> QuerySet:
    """Recommendations in report and number order, with their reports and addressees; annotated
    (``with_list_annotations``) unless ``annotated`` is False, for callers that annotate only
    when a filter or sort needs it (the list page, whose rows ``recommendation_rows`` reads)."""
    queryset = Recommendation.objects.select_related("report").prefetch_related("addressees").order_by("report__title", "number")
    return with_list_annotations(queryset, today=today) if annotated else queryset


def with_list_annotations(queryset: QuerySet, *, today: datetime.date) -> QuerySet:
    """Annotate ``deadline_status``, ``first_reply_date``, ``progress`` and the first reply's
    ``reply_assessment`` and ``reply_implementation_status``, so lists can filter and sort on them
    in the database (once: a queryset that has them is returned as it is)."""
    if "progress" in queryset.query.annotations:
        return queryset
    first = _first_reply(today)
    return with_progress(queryset.with_deadline_status(today=today), today=today).annotate(
        reply_assessment=Subquery(first.values("assessment")[:1]),
        reply_implementation_status=Subquery(first.values("implementation_status")[:1]),
    )


def recommendation_detail(*, pk: int, today: datetime.date) -> Recommendation:
    """One recommendation with its report, addressees, every copy, replies and their commitments.

    Raises ``Recommendation.DoesNotExist`` for an unknown id. Read by hand-written SQL into the
    instances ``select_related``/``prefetch_related`` would give (``pages.detail_reads``: compiling
    the querysets was most of the page's time), with the report's publication bounds, so
    ``report.response_due`` needs no query, and each commitment's due-date revisions (public: a
    slipping date shows as such).
    """
    recommendation = read_recommendation(pk)
    # Where it stands, from the replies in hand rather than one more annotated query.
    replies = [reply for reply in recommendation.responses.all() if reply.date_received <= today]
    _where_it_stands(recommendation, replies=replies, window=Window.on(today))
    return recommendation


def _where_it_stands(recommendation: Recommendation, *, replies: list[Response], window: Window) -> None:
    """Set what ``recommendation_list`` annotates (``first_reply_date``, ``deadline_status``,
    ``progress``, the first reply's ``reply_assessment`` and ``reply_implementation_status``) from
    the ``replies`` received by ``window.today`` (oldest first): the same rules in Python, for
    pages that have the replies in hand (tests/rules_once pins the two together)."""
    first = replies[0] if replies else None
    recommendation.first_reply_date = first.date_received if first else None
    recommendation.reply_assessment = first.assessment if first else None
    recommendation.reply_implementation_status = first.implementation_status if first else None
    recommendation.deadline_status = recommendation_state(window, deadline=recommendation.deadline, first_reply=recommendation.first_reply_date)
    recommendation.progress = recommendation_progress(recommendation, replies=replies, today=window.today)


@dataclass(slots=True)
class ListRow:
    """A recommendation as the list shows it: read as plain values (no model instances for the
    rows, their replies or addressees: building them was most of the list's remaining time), with
    where it stands set by ``_where_it_stands`` as for a ``Recommendation``."""

    pk: int
    number: int
    text: str
    short_text: str
    chapter: str
    deadline: datetime.date | None
    report: Report
    addressee_names: list[str]
    first_reply_date: datetime.date | None = None
    reply_assessment: str | None = None
    reply_implementation_status: str | None = None
    deadline_status: str | None = None
    progress: str | None = None


class ReplyFacts(NamedTuple):
    """What where-it-stands reads of a reply (a reply's text can run to pages)."""

    date_received: datetime.date
    stated_position: str
    assessment: str
    implementation_status: str


def recommendation_rows(ids: list[int], *, today: datetime.date) -> list[ListRow]:
    """The list's rows ``ids``, in that order, as ``recommendation_list`` gives them: read by id
    with their replies and where each stands worked out in Python. The list finds a page's ids
    with its filters and order, then reads them here: three small fixed queries
    (``pages/list_reads.py``: the rows with their reports, the addressees, the replies), plus one
    for publication bounds when a report lacks a date."""
    reports: dict[int, Report] = {}
    by_id: dict[int, ListRow] = {}
    width = len(list_reads.ROW_FIELDS)
    for values in list_reads.rows(ids):
        pk, number, text, short_text, chapter, deadline, report_id = values[:width]
        if report_id not in reports:
            reports[report_id] = Report(id=report_id, **dict(zip(list_reads.REPORT_FIELDS, values[width:], strict=True)))
        by_id[pk] = ListRow(pk, number, text, short_text, chapter, deadline, reports[report_id], [])
    for rec_id, short_name, name in list_reads.addressee_names(list(by_id)):
        by_id[rec_id].addressee_names.append(short_name or name)  # ``str(organisation)``
    replies: dict[int, list[ReplyFacts]] = {pk: [] for pk in by_id}
    for rec_id, *facts in list_reads.replies_by(list(by_id), today):
        replies[rec_id].append(ReplyFacts(*facts))
    Report.read_publication_bounds(list(reports.values()))
    window = Window.on(today)
    rows = [by_id[pk] for pk in ids if pk in by_id]
    for row in rows:
        _where_it_stands(row, replies=replies[row.pk], window=window)
    return rows


@dataclass(frozen=True)
class StaffPanel:
    """What signed-in staff see on a recommendation's page besides what everyone sees."""

    notes: list
    missing_replies: list  # commitments recording a reply promised but not yet received
    history: list  # responses.history.HistoryEntry, newest first


def recommendation_staff_panel(recommendation: Recommendation) -> StaffPanel:
    """Notes, recorded missing replies and the full history of changes: a fixed number of queries."""
    return StaffPanel(
        notes=list(recommendation.notes.select_related("author").order_by("created_at", "pk")),
        missing_replies=list(missing_reply_commitments(recommendation).select_related("document").order_by("due_date", "pk")),
        history=recommendation_history(recommendation),
    )


# --- Reports ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    """How timely the Mayor's reply to a report was (or is being), in words and days."""

    state: str  # "replied", "awaiting" or "not_published"
    days: int | None  # publication to the reply, or to today while awaiting; None when unknown
    days_late: int | None  # past the due date (0 or more) when there is one
    sentence: str
    # The publication date is not known: ``days`` counts from the latest it can be, so the real
    # wait is at least that long (the chart marks the bar as uncertain).
    at_least: bool = False
    span: str = ""  # ``days`` in words ("2 years 3 months"), for the chart's labels

    @property
    def overdue(self) -> bool:
        return bool(self.days_late)


def _days_since_publication(report: Report, due: ResponseDue, day: datetime.date) -> int | None:
    """Days from publication (or, when that is not known, from the latest it can have been) to
    ``day``; None when neither is known or the bound is after ``day`` (nothing can be said)."""
    start = report.published or due.published_before
    if start is None or (report.published is None and start > day):
        return None
    return (day - start).days


def _span(report: Report, due: ResponseDue, day: datetime.date) -> str:
    """``_days_since_publication`` in words ("4 months 2 weeks"); empty when it is not known."""
    start = report.published or due.published_before
    if start is None or (report.published is None and start > day):
        return ""
    return duration_in_words(start, day)


def _replied(report: Report, due: ResponseDue, reply: datetime.date) -> Timeliness:
    days = _days_since_publication(report, due, reply)
    late = max((reply - due.date).days, 0) if due.date else None
    at_least = "at least " if due.at_the_latest else ""
    if report.published:
        sentence = f"Reply received {duration_in_words(report.published, reply)} after publication"
    else:
        sentence = f"Reply received on {reply:%-d %B %Y} (publication date not known)"
    if late:
        sentence += f", {at_least}{duration_in_words(due.date, reply)} after it was due"
    elif due.at_the_latest:
        sentence += f"; it was due by {due.date:%-d %B %Y} at the latest, so whether it was on time is not known"
    elif due.date:
        sentence += ", on time"
    return Timeliness("replied", days, late, sentence + ".", at_least=bool(at_least) and days is not None, span=_span(report, due, reply))


def _awaiting(report: Report, due: ResponseDue, today: datetime.date) -> Timeliness:
    days = _days_since_publication(report, due, today)
    at_least = due.at_the_latest and days is not None
    if due.date is None:
        return Timeliness("awaiting", days, None, "Awaiting a reply; due date unknown (publication date not known).")
    if today > due.date:
        late = (today - due.date).days
        prefix = "at least " if due.at_the_latest else ""
        sentence = f"Awaiting a reply, {prefix}{duration_in_words(due.date, today)} overdue."
        return Timeliness("awaiting", days, late, sentence, at_least, span=_span(report, due, today))
    if due.at_the_latest:
        sentence = f"Awaiting a reply, due by {due.date:%-d %B %Y} at the latest."
        return Timeliness("awaiting", days, 0, sentence, at_least, span=_span(report, due, today))
    left = f"due in {duration_in_words(today, due.date)}" if due.date > today else "due today"
    return Timeliness("awaiting", days, 0, f"Awaiting a reply, {left}.", span=_span(report, due, today))


def report_timeliness(report: Report, *, first_reply_date: datetime.date | None, today: datetime.date) -> Timeliness:
    """``report``'s reply timeliness on ``today``: "received 4 months 3 weeks after publication",
    "awaiting a reply, 1 month overdue", or, when the publication date is not known, against the
    latest possible due date ("at least 6 years 6 months overdue"). Pure: ``first_reply_date`` and the
    report's publication bounds come from the selector."""
    due = report.response_due
    if first_reply_date is not None:
        return _replied(report, due, first_reply_date)
    if report.published and report.published > today:
        return Timeliness("not_published", None, None, "Not yet published.")
    return _awaiting(report, due, today)


def reports_with_replies(*, today: datetime.date) -> QuerySet:
    """Reports annotated with ``first_reply_date`` (by ``today``), ``recommendation_count`` and
    ``answered_count``, most recently published first.

    Each figure is a subquery for its own report (an index probe each) rather than a join grouped
    over every report, so a page of 50 reports or the dashboard's 40 costs the same however many
    reports there are: PostgreSQL works the figures out only for the rows it returns.
    """
    replies = Response.objects.filter(recommendation__report=OuterRef("pk"), date_received__lte=today)
    answered = Recommendation.objects.filter(report=OuterRef("pk")).answered(today=today)
    recommendations = Recommendation.objects.filter(report=OuterRef("pk"))
    return (
        Report.objects.select_related("committee")
        .with_publication_bounds()
        .annotate(
            first_reply_date=earliest(replies, "date_received", per="recommendation__report"),
            recommendation_count=Coalesce(Subquery(recommendations.order_by().values("report").annotate(n=Count("pk")).values("n")[:1]), 0),
            answered_count=Subquery(answered.order_by().values("report").annotate(n=Count("pk")).values("n")[:1]),
        )
        .order_by(F("published").desc(nulls_last=True), "title", "pk")
    )


@dataclass(frozen=True)
class ReportRow:
    report: Report
    timeliness: Timeliness


def report_row(report: Report, *, today: datetime.date) -> ReportRow:
    """One report from ``reports_with_replies`` with its timeliness."""
    return ReportRow(report, report_timeliness(report, first_reply_date=report.first_reply_date, today=today))


def report_rows(*, today: datetime.date, limit: int | None = None) -> list[ReportRow]:
    """Reports with their timeliness, most recently published first; the first ``limit`` only
    when given (the dashboard shows the most recent, and links to the paginated reports page)."""
    reports = reports_with_replies(today=today)
    if limit is not None:
        reports = reports[:limit]
    return [report_row(report, today=today) for report in reports]


def report_detail(*, slug: str, today: datetime.date) -> tuple[Report, Timeliness, list[Recommendation]]:
    """A report with its timeliness and every recommendation with replies prefetched and where
    each stands (worked out in Python from those replies, as on the recommendation page).

    Raises ``Report.DoesNotExist`` for an unknown slug.
    """
    report = reports_with_replies(today=today).get(slug=slug)
    recommendations = list(
        Recommendation.objects.filter(report=report)
        .order_by("number")
        .prefetch_related("addressees", Prefetch("responses", queryset=Response.objects.select_related("letter").order_by("date_received", "pk")))
    )
    window = Window.on(today)
    for recommendation in recommendations:
        recommendation.report = report  # read once, with its publication bounds
        replies = [reply for reply in recommendation.responses.all() if reply.date_received <= today]
        _where_it_stands(recommendation, replies=replies, window=window)
    return report, report_timeliness(report, first_reply_date=report.first_reply_date, today=today), recommendations


# --- Dashboard -------------------------------------------------------------------------------------


def _replied_by_sql(only: str = "") -> str:
    """SQL for the ids of recommendations with a reply received by ``%(today)s``: joined once (a
    hash join over the reply index) rather than asked per row, which at 250,000 rows is the
    difference between one pass and a quarter of a million index probes per condition."""
    return f"""
        SELECT DISTINCT recommendation_id FROM {Response._meta.db_table}
        WHERE date_received <= %(today)s {only.format(column="recommendation_id")}
    """


def _only(ids) -> tuple[str, dict]:
    """An ``AND {column} IN (...)`` condition (``str.format`` the column in) and its parameters for
    the recommendation ids ``ids``; nothing for ``None`` (every row). For ``pages.figures``,
    which keeps the stored counts current by counting the rows a write touched."""
    if ids is None:
        return "", {}
    params = {f"only{n}": pk for n, pk in enumerate(sorted(ids))}
    placeholders = ", ".join(f"%({name})s" for name in params) or "NULL"
    return "AND {column} IN (" + placeholders + ")", params


def dashboard_counts(*, today: datetime.date, due_soon_days: int, recommendation_ids=None) -> dict[str, int]:
    """The dashboard's figures: recommendations in all, overdue, due within ``due_soon_days``,
    awaiting a response and answered, in one pass over the recommendations (the same rows as the
    querysets ``overdue``, ``due_within``, ``awaiting_response`` and ``answered``, which the list's
    links use); then reports in all and with the Mayor's reply overdue. Given
    ``recommendation_ids``, the recommendations' figures of those only, and no report figures."""
    only, only_params = _only(recommendation_ids)
    sql = f"""
        SELECT
            COUNT(*),
            COUNT(*) FILTER (WHERE replied.recommendation_id IS NULL AND {Window.sql(OVERDUE, "rec.deadline")}),
            COUNT(*) FILTER (WHERE replied.recommendation_id IS NULL AND {Window.sql(DUE_SOON, "rec.deadline")}),
            COUNT(*) FILTER (WHERE replied.recommendation_id IS NULL AND {published_by_sql("report.published")}),
            COUNT(replied.recommendation_id)
        FROM {Recommendation._meta.db_table} rec
        JOIN {Report._meta.db_table} report ON report.id = rec.report_id
        LEFT JOIN ({_replied_by_sql(only)}) replied ON replied.recommendation_id = rec.id
        WHERE TRUE {only.format(column="rec.id")}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {**Window.on(today, due_soon_days).params(), **only_params})
        total, overdue, due_soon, awaiting, answered = cursor.fetchone()
    counts = {"recommendations": total, "overdue": overdue, "due_soon": due_soon, "awaiting_response": awaiting, "answered": answered}
    return counts if recommendation_ids is not None else {**counts, **report_counts(today=today)}


def report_counts(*, today: datetime.date, report_ids=None) -> dict[str, int]:
    """Reports in all, with the Mayor's reply overdue (``response_overdue``: by the known or the
    latest possible due date) and still awaiting a reply with no due date at all
    (``reply_due_unknown``), in one query; of the reports ``report_ids`` only, if given."""
    reports = Report.objects.all() if report_ids is None else Report.objects.filter(pk__in=report_ids)
    overdue = reports.response_overdue(today=today).values("pk")
    unknown = reports.awaiting_response(today=today).reply_due_unknown().values("pk")
    return reports.aggregate(
        reports=Count("pk"),
        reports_response_overdue=Count("pk", filter=Q(pk__in=overdue)),
        reports_reply_due_unknown=Count("pk", filter=Q(pk__in=unknown)),
    )


def most_overdue(*, today: datetime.date, limit: int = 10) -> QuerySet:
    """The ``limit`` overdue recommendations whose deadline passed longest ago, with their reports
    and addressees, each marked ``deadline_status`` overdue (what ``deadline_note`` reads). Found with
    the overdue conditions alone (``overdue``), not the list's every annotation: the same rows, and
    planning that query was most of the dashboard's time."""
    overdue = Recommendation.objects.overdue(today=today).select_related("report").prefetch_related("addressees")
    overdue = overdue.annotate(deadline_status=Value(DeadlineStatus.OVERDUE, output_field=CharField()))
    return overdue.order_by("deadline", "report__title", "number")[:limit]


@dataclass(frozen=True)
class AddresseeRow:
    organisation: Organisation
    recommendations: int
    overdue: int
    awaiting: int


def _addressee_figures_sql(only: str) -> str:
    through = Recommendation.addressees.through._meta.db_table
    return f"""
            SELECT
                addressee.organisation_id,
                COUNT(*) AS total,
                COUNT(*) FILTER (WHERE replied.recommendation_id IS NULL AND {Window.sql(OVERDUE, "rec.deadline")}) AS overdue,
                COUNT(*) FILTER (WHERE replied.recommendation_id IS NULL AND {published_by_sql("report.published")}) AS awaiting
            FROM {through} addressee
            JOIN {Recommendation._meta.db_table} rec ON rec.id = addressee.recommendation_id
            JOIN {Report._meta.db_table} report ON report.id = rec.report_id
            LEFT JOIN ({_replied_by_sql(only)}) replied ON replied.recommendation_id = rec.id
            WHERE TRUE {only.format(column="addressee.recommendation_id")}
            GROUP BY addressee.organisation_id
    """


def addressee_rows(*, today: datetime.date) -> list[AddresseeRow]:
    """Everyone recommendations are addressed to, with how many, how many overdue and awaiting
    (as ``overdue`` and ``awaiting_response`` count them), most first: one pass over the
    addressees table with the replies joined once."""
    sql = f"""
        SELECT org.*, figures.total, figures.overdue, figures.awaiting
        FROM {Organisation._meta.db_table} org
        JOIN ({_addressee_figures_sql("")}) figures ON figures.organisation_id = org.id
        ORDER BY figures.total DESC, org.name
    """
    return [AddresseeRow(org, org.total, org.overdue, org.awaiting) for org in Organisation.objects.raw(sql, Window.on(today).params())]


def addressee_counts(*, today: datetime.date, recommendation_ids=None) -> list[tuple[int, int, int, int]]:
    """``addressee_rows``' figures as (organisation id, recommendations, overdue, awaiting), of the
    recommendations ``recommendation_ids`` only if given (for ``pages.figures``)."""
    only, only_params = _only(recommendation_ids)
    with connection.cursor() as cursor:
        cursor.execute(_addressee_figures_sql(only), {**Window.on(today).params(), **only_params})
        return [tuple(row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class ChartBar:
    """One report's bar in the timeliness chart, in SVG user units."""

    row: ReportRow
    y: int
    width: int
    due_x: int | None


@dataclass(frozen=True)
class TimelinessChart:
    bars: list[ChartBar]
    unknown: list[ReportRow]  # reports whose publication date is not known: no bar to draw
    height: int
    max_days: int
    label_width: int = 0
    plot_width: int = 0


CHART_PLOT_WIDTH = 420
CHART_ROW = 34


def _due_days(report: Report) -> int | None:
    """Days from publication (or the latest it can have been) to the (latest possible) due date."""
    due = report.response_due
    start = report.published or due.published_before
    return (due.date - start).days if due.date and start else None


def timeliness_chart(rows: list[ReportRow]) -> TimelinessChart:
    """Bars of days from publication to reply (or to today while awaiting), with the due date
    marked, scaled to the longest bar. Drawn server-side as SVG so it needs no JavaScript.

    A report whose publication date is not known is drawn from the latest it can have been
    published (``Timeliness.at_least``: the template marks the bar as "at least"); one with nothing
    to bound it is listed below the chart instead."""
    drawable = [row for row in rows if row.timeliness.days is not None]
    unknown = [row for row in rows if row.timeliness.days is None]
    due_days = {row.report.pk: _due_days(row.report) for row in drawable}
    max_days = max([row.timeliness.days for row in drawable] + [d for d in due_days.values() if d is not None] + [1])
    bars = []
    for index, row in enumerate(drawable):
        due = due_days[row.report.pk]
        due_x = round(due / max_days * CHART_PLOT_WIDTH) if due is not None else None
        bars.append(ChartBar(row, index * CHART_ROW, max(round(row.timeliness.days / max_days * CHART_PLOT_WIDTH), 2), due_x))
    return TimelinessChart(bars, unknown, max(len(bars), 1) * CHART_ROW + 24, max_days, 260, CHART_PLOT_WIDTH)


# --- Documents -------------------------------------------------------------------------------------

CONSULTATION_KINDS = {Document.Kind.CONSULTATION_SUBMISSION, Document.Kind.CONSULTATION_COMPILATION}


def document_detail(*, pk: int) -> Document:
    """A document with what it holds: copies of recommendations, replies, commitments, submissions.

    Raises ``Document.DoesNotExist`` for an unknown id.
    """
    return (
        Document.objects.select_related("report", "author_organisation", "recipient_organisation")
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=RecommendationAppearance.objects.select_related("recommendation").order_by("line"),
            ),
            Prefetch("responses", queryset=Response.objects.select_related("recommendation").order_by("line", "pk")),
            Prefetch("submissions", queryset=Submission.objects.select_related("organisation").order_by("start_line")),
        )
        .get(pk=pk)
    )


# The list's order; ``Document.Meta`` has an index in this order (with ``id``), so a page is read
# from the index rather than by sorting every document.
DOCUMENT_LIST_ORDER = ("kind", "-date", "title", "pk")


def document_list(*, kind: str = "") -> QuerySet:
    """Documents grouped by kind, newest first, with only the columns the list shows (never the
    stored text, which is most of each row); ``kind`` ("" for all) keeps one kind."""
    documents = Document.objects.all() if not kind else Document.objects.filter(kind=kind)
    return (
        documents.select_related("report")
        .only("pk", "kind", "title", "reference", "date", "date_text", "report__slug", "report__title")
        .order_by(*DOCUMENT_LIST_ORDER)
    )


def documents_by_id(ids: list[int]) -> list[Document]:
    """``document_list``'s rows with these ids, in this order (a page found from the index)."""
    found = document_list().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


# --- Timeline of one recommendation ----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    date: datetime.date
    title: str
    detail: str = ""
    url: str = ""
    is_today: bool = False


# Functions (recommendation, *, today) -> [TimelineEvent] that apps depending on this one add in
# their AppConfig.ready (followup adds the chasers sent), so this app never imports them.
TIMELINE_SOURCES: list = []


def recommendation_timeline(recommendation: Recommendation, *, today: datetime.date) -> list[TimelineEvent]:
    """Published, reply due (and how that was worked out), each copy's deadline, each reply and
    each commitment's due date, in date order, with today marked. Uses prefetched rows only."""
    report = recommendation.report
    events = []
    if report.published:
        vague = report.published_precision not in ("day", "")
        detail = f"Only the {report.get_published_precision_display().lower()} is known; taken as its last day." if vague else ""
        events.append(TimelineEvent(report.published, "Report published", detail, report.get_absolute_url()))
    due = report.response_due
    if due.date:
        title = "Mayor's reply to the report due at the latest" if due.at_the_latest else "Mayor's reply to the report due"
        events.append(TimelineEvent(due.date, title, due.explanation))
    appearances = [a for a in recommendation.appearances.all() if a.deadline]
    if appearances:
        seen = set()
        for appearance in appearances:
            key = (appearance.deadline, appearance.deadline_text)
            where = f"{appearance.document.title} ({appearance.get_section_display().lower()}, line {appearance.line})"
            if key in seen and not recommendation.deadline_conflicts():
                continue
            seen.add(key)
            events.append(TimelineEvent(appearance.deadline, f"Deadline: “{appearance.deadline_text}”", f"As stated in {where}", appearance.get_absolute_url()))
    elif recommendation.deadline:
        events.append(TimelineEvent(recommendation.deadline, f"Deadline: “{recommendation.deadline_text}”"))
    for response in recommendation.responses.all():
        events.append(TimelineEvent(response.date_received, "Reply received", response.letter.title, response.get_absolute_url()))
        for commitment in response.commitments.all():
            if commitment.due_date:
                events.append(TimelineEvent(commitment.due_date, f"Commitment due: “{commitment.due_text}”", commitment.text))
    for source in TIMELINE_SOURCES:  # other apps' events (followup: chasers sent)
        events.extend(source(recommendation, today=today))
    events.append(TimelineEvent(today, "Today", is_today=True))
    return sorted(events, key=lambda e: (e.date, e.is_today))
