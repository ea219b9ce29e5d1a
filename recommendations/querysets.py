"""Deadline state as queryset methods. Nothing here reads the clock: pass ``today`` in.

A recommendation counts as *answered* on ``today`` when a response to it was received on or before
``today``; a reply dated later than ``today`` has not arrived yet as far as that day is concerned,
so the same data answers "what was overdue on 1 June 2020?" correctly.
"""

from __future__ import annotations

import datetime
import functools
import operator

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Case, Exists, ExpressionWrapper, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Least

from . import deadline_rules
from .dates import earliest_start_due_on_or_after


class DeadlineStatus(models.TextChoices):
    """Where a recommendation stands against its own deadline on a given day."""

    OVERDUE = "overdue", "Overdue"  # deadline passed, nothing received
    DUE_SOON = "due_soon", "Due soon"  # nothing received, deadline within DUE_SOON_DAYS
    UPCOMING = "upcoming", "Upcoming"  # nothing received, deadline further off
    MET = "met", "Met"  # a reply arrived on or before the deadline
    MISSED = "missed", "Missed"  # a reply arrived, but after the deadline
    NO_DEADLINE = "no_deadline", "No deadline"  # the recommendation sets none


def _responses_model():
    # Replies live in the app above this one; they are named, not imported (dependencies run one way).
    return apps.get_model("responses", "Response")


class RecommendationQuerySet(models.QuerySet):
    def _replies_by(self, today: datetime.date) -> models.QuerySet:
        return _responses_model().objects.filter(recommendation=OuterRef("pk"), date_received__lte=today)

    def answered(self, *, today: datetime.date) -> RecommendationQuerySet:
        """Recommendations with at least one reply received on or before ``today``."""
        return self.filter(Exists(self._replies_by(today)))

    def awaiting_response(self, *, today: datetime.date) -> RecommendationQuerySet:
        """Recommendations with no reply received by ``today``, from reports published by then.

        Reports whose publication date is unknown count as published: their recommendations exist.
        Use it for "awaiting a response" counts; it says nothing about deadlines.
        """
        return self.filter(~Exists(self._replies_by(today))).filter(deadline_rules.published_by(today, field="report__published"))

    def overdue(self, *, today: datetime.date) -> RecommendationQuerySet:
        """Recommendations whose own deadline is before ``today`` with no reply received yet.

        A deadline of "by May 2020" is stored as 31 May 2020, so it is overdue from 1 June 2020.
        """
        return self.deadline_status_is(DeadlineStatus.OVERDUE, today=today)

    def due_within(self, days: int, *, today: datetime.date) -> RecommendationQuerySet:
        """Unanswered recommendations whose deadline falls from ``today`` to ``today + days`` inclusive.

        ``due_within(0, today=d)`` is what falls due on ``d`` itself.
        """
        return self.deadline_status_is(DeadlineStatus.DUE_SOON, today=today, due_soon_days=days)

    def with_first_reply_date(self, *, today: datetime.date) -> RecommendationQuerySet:
        """Annotate ``first_reply_date``: the earliest reply received by ``today`` (or None)."""
        first = self._replies_by(today).order_by("date_received").values("date_received")[:1]
        return self.annotate(first_reply_date=Subquery(first))

    def with_deadline_status(
        self, *, today: datetime.date, due_soon_days: int | None = None
    ) -> RecommendationQuerySet:
        """Annotate ``first_reply_date`` and ``deadline_status`` (a ``DeadlineStatus`` value).

        One database expression, so lists can filter and sort on it without loading rows.
        """
        window = deadline_rules.Window.on(today, due_soon_days)
        conditions = deadline_rules.recommendation_conditions(window, **deadline_rules.first_reply_conditions())
        return self.with_first_reply_date(today=today).annotate(
            deadline_status=Case(
                *(When(condition, then=Value(status)) for status, condition in conditions.items()),
                output_field=models.CharField(),
            )
        )


    def deadline_status_is(
        self, status: str, *, today: datetime.date, due_soon_days: int | None = None
    ) -> RecommendationQuerySet:
        """Recommendations whose ``deadline_status`` on ``today`` is ``status``.

        The same rows as filtering ``with_deadline_status`` on its annotation, written as plain
        conditions (a deadline range, whether a reply exists) so the database can use its indexes
        rather than work out the status of every row first. Use it for filters.
        """
        window = deadline_rules.Window.on(today, due_soon_days)
        replied = Q(Exists(self._replies_by(today)))
        replied_in_time = Q(Exists(self._replies_by(today).filter(date_received__lte=OuterRef("deadline"))))
        conditions = deadline_rules.recommendation_conditions(window, replied=replied, replied_in_time=replied_in_time)
        return self.filter(conditions[DeadlineStatus(status)])


def publication_bounds(report_ref: OuterRef, *, recommendation_model) -> dict[str, Subquery]:
    """The two facts that bound a report's publication date from above, as subqueries for the
    report ``report_ref`` points at: ``earliest_deadline`` (the earliest deadline any of its
    recommendations sets) and ``earliest_reply`` (its first reply, whenever received: a report is
    published before any reply to it, whatever day it is now). ``dates.response_due_for`` turns
    them into the latest possible due date."""
    response_model = _responses_model()
    deadlines = recommendation_model.objects.filter(report=report_ref, deadline__isnull=False)
    replies = response_model.objects.filter(recommendation__report=report_ref)
    return {
        "earliest_deadline": earliest(deadlines, "deadline", per="report"),
        "earliest_reply": earliest(replies, "date_received", per="recommendation__report"),
    }


def earliest(rows: models.QuerySet, field: str, *, per: str) -> Subquery:
    """The earliest ``field`` of ``rows`` (a queryset correlated on one ``per``, e.g. a report's
    replies), as a subquery: ``MIN()`` over that one group rather than ``ORDER BY field LIMIT 1``,
    for which PostgreSQL may walk the whole date index from the start looking for the group's
    first row (on the 2,500 dataset the reports page took 78 ms instead of 1 ms that way)."""
    return Subquery(rows.order_by().values(per).annotate(first=Min(field)).values("first")[:1], output_field=models.DateField())


def published_before_expression() -> Least:
    """``dates.published_before`` in SQL over the annotated bounds: the earlier of the two, or
    NULL when there is neither (each Coalesce keeps one NULL from hiding the other)."""
    return Least(Coalesce("earliest_deadline", "earliest_reply"), Coalesce("earliest_reply", "earliest_deadline"))


class ReportQuerySet(models.QuerySet):
    """The reply due date, known or latest possible, is one rule: ``dates.response_due_for`` in
    Python, ``reply_due_before``/``reply_due_from`` here in SQL (over ``with_publication_bounds``),
    pinned together by tests/unknown_publication over boundary dates. Every count, list, feed and
    job uses these."""

    def with_publication_bounds(self) -> ReportQuerySet:
        """Annotate ``earliest_deadline`` and ``earliest_reply`` (see ``publication_bounds``), which
        ``Report.response_due`` reads when the publication date is not known."""
        if "earliest_deadline" in self.query.annotations:
            return self
        recommendation_model = apps.get_model("recommendations", "Recommendation")
        return self.annotate(**publication_bounds(OuterRef("pk"), recommendation_model=recommendation_model))

    @staticmethod
    def _unknown_publication() -> Q:
        return Q(response_due_override__isnull=True, published__isnull=True)

    def reply_due_before(self, day: datetime.date, *, months: int | None = None) -> ReportQuerySet:
        """Reports whose reply was due before ``day``: by the editor's date, by the rule from a
        known publication date, or, when that is not known, even by the latest possible due date."""
        months = settings.RESPONSE_DUE_MONTHS if months is None else months
        cutoff = earliest_start_due_on_or_after(day, months)  # due before ``day`` <=> start before ``cutoff``
        by_bound = self._unknown_publication() & (Q(earliest_deadline__lt=cutoff) | Q(earliest_reply__lt=cutoff))
        return self.with_publication_bounds().filter(
            Q(response_due_override__lt=day) | Q(response_due_override__isnull=True, published__lt=cutoff) | by_bound
        )

    def reply_due_from(self, day: datetime.date, *, months: int | None = None) -> ReportQuerySet:
        """Reports whose reply is due (known or latest possible) on ``day`` or later: those with a
        due date that ``reply_due_before(day)`` leaves out (the calendar feeds' "from")."""
        months = settings.RESPONSE_DUE_MONTHS if months is None else months
        cutoff = earliest_start_due_on_or_after(day, months)
        by_bound = (
            self._unknown_publication()
            & (Q(earliest_deadline__isnull=False) | Q(earliest_reply__isnull=False))
            & (Q(earliest_deadline__isnull=True) | Q(earliest_deadline__gte=cutoff))
            & (Q(earliest_reply__isnull=True) | Q(earliest_reply__gte=cutoff))
        )
        return self.with_publication_bounds().filter(
            Q(response_due_override__gte=day) | Q(response_due_override__isnull=True, published__gte=cutoff) | by_bound
        )

    def reply_due_unknown(self) -> ReportQuerySet:
        """Reports with no due date at all: no editor's date, no publication date, no deadline and
        no reply to bound it. Never counted overdue; the dashboard shows how many there are."""
        return self.with_publication_bounds().filter(
            self._unknown_publication(), earliest_deadline__isnull=True, earliest_reply__isnull=True
        )

    def published_before_in_year(self, year: int) -> ReportQuerySet:
        """Reports of unknown publication date whose latest possible publication date (the
        earlier of ``earliest_deadline`` and ``earliest_reply``) falls in ``year``: published in
        ``year`` or earlier. The list's year filter offers them as "2020 or earlier"."""
        return (
            self.with_publication_bounds()
            .annotate(published_before=published_before_expression())
            .filter(published__isnull=True, published_before__year=year)
        )

    def publication_years(self) -> list[tuple[int, bool]]:
        """(year, known) pairs, latest first, known dates first: the year of each known
        publication date, and of the latest possible one where it is not known. One query."""
        if self.db == "default" and connection.vendor == "postgresql" and not self.query.where:
            with connection.cursor() as cursor:
                cursor.execute(*_publication_years_skipping_sql(self.model))
                return [(int(year), bool(known)) for year, known in cursor.fetchall()]
        return list(self._publication_year_rows())

    def _publication_year_rows(self) -> models.QuerySet:
        latest = Coalesce("published", published_before_expression())
        return (
            self.with_publication_bounds()
            .annotate(year=ExtractYear(latest), known=ExpressionWrapper(Q(published__isnull=False), models.BooleanField()))
            .filter(year__isnull=False)
            .values_list("year", "known")
            .distinct()
            .order_by("-known", "-year")
        )

    def _replies_by(self, today: datetime.date) -> models.QuerySet:
        return _responses_model().objects.filter(recommendation__report=OuterRef("pk"), date_received__lte=today)

    def responded(self, *, today: datetime.date) -> ReportQuerySet:
        """Reports with at least one reply to any of their recommendations received by ``today``."""
        return self.filter(Exists(self._replies_by(today)))

    def awaiting_response(self, *, today: datetime.date) -> ReportQuerySet:
        """Reports published by ``today`` (or of unknown date) with no reply received by ``today``."""
        return self.filter(~Exists(self._replies_by(today))).filter(deadline_rules.published_by(today))

    def response_overdue(self, *, today: datetime.date, months: int | None = None) -> ReportQuerySet:
        """Reports still awaiting a reply whose response due date is before ``today``.

        The due date is the editor's override where set, otherwise ``months`` (default
        ``settings.RESPONSE_DUE_MONTHS``) calendar months after publication; when the publication
        date is not known, the latest possible due date (``reply_due_before``). A report with no
        due date at all (``reply_due_unknown``) is never overdue. Rows carry the bounds annotated.
        """
        return self.awaiting_response(today=today).reply_due_before(today, months=months)

    def newest(self, limit: int, *, chosen: Q | None = None, found: Q | None = None) -> list:
        """What every list of reports to choose from shows (the digest's, /changes/', the staff
        forms', the list filters'): the ``limit`` newest of these reports, the ``limit`` newest of
        those matching ``found`` (a search), and every one matching ``chosen`` (those already
        chosen), in one query. Newest first, then undated reports by title, both in the order shown
        and in picking the newest: undated ones fill the list only when too few are dated.

        The newest dated (and undated) ones are read from the first rows of ``report_published_idx``
        (published DESC, title) rather than by sorting every report; of the rows read, the first
        ``limit`` of each group in the final order are that group's newest. The outer query names
        rows only by those id subqueries, so this queryset's own filters are not tested on every
        report again (``reports_with_replies`` that way took 180 ms at 250,000 recommendations)."""
        groups = {"newest": Q(), **({"found": found} if found is not None else {})}
        shown = [self._newest_ids(condition, limit) for condition in groups.values()]
        if chosen is not None:
            shown.append(Q(pk__in=self.filter(chosen).values("pk")))
        flags = {"_found": found, "_chosen": chosen}
        rows = (
            self.model._default_manager.using(self.db)
            .filter(functools.reduce(operator.or_, shown))
            .annotate(**{name: ExpressionWrapper(flag, output_field=models.BooleanField()) for name, flag in flags.items() if flag is not None})
            .order_by(models.F("published").desc(nulls_last=True), "title", "pk")
        )
        taken = dict.fromkeys(groups, 0)
        kept = []
        for report in rows:
            counted = [name for name in groups if (name == "newest" or report._found) and taken[name] < limit]
            for name in counted:
                taken[name] += 1
            if counted or getattr(report, "_chosen", False):
                kept.append(report)
        return kept

    def newest_titles(self, limit: int) -> list[tuple[str, str]]:
        """(slug, title) of ``newest(limit)`` when nothing is chosen or searched for, in two small
        queries whatever the data (the list filters' cold path): the reports' publication index
        walked for the newest dated ones, and for the first undated ones by title, which fill the
        list only when too few are dated."""
        dated = self.filter(published__isnull=False).order_by("-published", "title", "pk").values_list("slug", "title")[:limit]
        undated = self.filter(published__isnull=True).order_by("title", "pk").values_list("slug", "title")[:limit]
        return [*dated, *undated][:limit]

    def _newest_ids(self, condition: Q, limit: int) -> Q:
        """Rows among the ``limit`` newest dated and the ``limit`` first undated of these reports matching ``condition``."""
        matching = self.filter(condition)
        dated = matching.filter(published__isnull=False).order_by("-published", "title", "pk").values("pk")[:limit]
        undated = matching.filter(published__isnull=True).order_by("title", "pk").values("pk")[:limit]
        return Q(pk__in=dated) | Q(pk__in=undated)


@functools.cache
def _publication_years_skipping_sql(report_model) -> tuple[str, tuple]:
    """``publication_years`` on PostgreSQL without reading every report: the known years by a
    skip scan down ``report_published_idx`` (one index probe per year, from the latest), then
    the years of the reports with no date (few; the same expression as elsewhere), in one query.
    Built once per process: the query takes no values from the request or the data, and building
    its dozen subqueries took longer than running them (1.5 ms of the list page's 18)."""
    table = connection.ops.quote_name(report_model._meta.db_table)
    unknown = report_model._default_manager.all()._publication_year_rows().filter(published__isnull=True)
    unknown_sql, params = unknown.query.sql_with_params()
    sql = f"""
        WITH RECURSIVE years(year) AS (
            SELECT EXTRACT(YEAR FROM MAX(published))::int FROM {table}
            UNION ALL
            SELECT (SELECT EXTRACT(YEAR FROM MAX(published))::int FROM {table} WHERE published < make_date(years.year, 1, 1))
            FROM years WHERE years.year IS NOT NULL
        )
        SELECT year, true FROM years WHERE year IS NOT NULL
        UNION ALL
        SELECT * FROM ({unknown_sql}) AS unknown
        ORDER BY 2 DESC, 1 DESC
    """
    return sql, tuple(params)


def addressee_links(organisation) -> models.QuerySet:
    """The rows of ``Recommendation.addressees`` linking recommendations to ``organisation`` (a body,
    its id, or ``OuterRef("pk")``): the one place "addressed to this body" is written.
    ``.values("recommendation_id")`` is the recommendations addressed to it, as a subquery (no join,
    so no row comes twice and none needs a DISTINCT); ``OrganisationQuerySet.addressed`` the bodies."""
    return apps.get_model("recommendations", "Recommendation").addressees.through.objects.filter(organisation=organisation)


class OrganisationQuerySet(models.QuerySet):
    def addressed(self) -> OrganisationQuerySet:
        """Bodies at least one recommendation is addressed to: EXISTS per body (an index probe
        each), not a DISTINCT over every addressee link."""
        return self.filter(Exists(addressee_links(OuterRef("pk"))))
