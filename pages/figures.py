"""The dashboard's counts, stored per day and kept current on every write (issue 16).

Working the counts out reads every recommendation (about 600 ms at 250,000), so they are stored in
``DashboardFigures``: one row per (day, due-soon days, organisation), organisation 0 holding the
totals. The same SQL (``selectors.dashboard_counts``, ``report_counts``, ``addressee_rows``)
computes them for every row or for a few, so stored and live figures cannot follow different rules.

- **Filled**: the daily flag job stores today and tomorrow (so London midnight needs no write and
  no scan); any other day is worked out once, on its first request, and stored.
- **Adjusted on write**: before a recommendation, reply, report or addressee link is saved or
  deleted, the figures of the recommendations and reports it touches are read (for every stored
  day); after the write they are read again and the difference is added to the stored rows, in the
  writer's transaction. A cascade (deleting a report deletes its recommendations and their
  replies) reads each recommendation's "before" once and applies the difference once.
- **Cleared** by bulk writes that send no model signals (``pagecache.data_changed()``: COPY,
  ``bulk_create``, ``update()``, a restore): the next request works them out afresh and stores them.

What this does not cover, and why it is safe: a write made outside any transaction (the app's
writes all run in one: services, the admin) reaches the stored figures in a second statement, so a
day first stored in between could count it twice; the daily job replaces today's and tomorrow's
rows from scratch, so any such drift lasts until its next run.
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from recommendations.models import DashboardFigures, Organisation, Recommendation, Report

ALL = 0  # the organisation id of the totals row
# Columns of a figures row, each a count.
REC_COLUMNS = ("recommendations", "overdue", "due_soon", "awaiting_response", "answered")
REPORT_COLUMNS = ("reports", "reports_response_overdue", "reports_reply_due_unknown")
ADDRESSEE_COLUMNS = ("recommendations", "overdue", "awaiting_response")
Key = tuple[datetime.date, int]  # (day, due-soon days)
Figures = dict[tuple[int, str], int]  # (organisation id or ALL, column) -> count


def compute(day: datetime.date, due_soon_days: int, *, recommendation_ids=None, report_ids=None, organisations: dict | None = None) -> Figures:
    """The figures for ``day`` live: of every row, or only of the given recommendations and reports
    (``None`` = all; an empty set = none). Given a dict ``organisations``, every addressee is put in
    it by id (read in the same query)."""
    from . import selectors

    figures: Figures = Counter()
    if recommendation_ids is None or recommendation_ids:
        counts = selectors.dashboard_counts(today=day, due_soon_days=due_soon_days, recommendation_ids=recommendation_ids)
        for column in REC_COLUMNS:
            figures[ALL, column] += counts[column]
        if organisations is not None:
            rows = selectors.addressee_rows(today=day)
            organisations.update((row.organisation.pk, row.organisation) for row in rows)
            rows = [(row.organisation.pk, row.recommendations, row.overdue, row.awaiting) for row in rows]
        else:
            rows = selectors.addressee_counts(today=day, recommendation_ids=recommendation_ids)
        for organisation_id, total, overdue, awaiting in rows:
            figures[organisation_id, "recommendations"] += total
            figures[organisation_id, "overdue"] += overdue
            figures[organisation_id, "awaiting_response"] += awaiting
    if report_ids is None or report_ids:
        counts = selectors.report_counts(today=day, report_ids=report_ids)
        for column in REPORT_COLUMNS:
            figures[ALL, column] += counts[column]
    return figures


def _store(key: Key, figures: Figures, *, replace: bool = True) -> None:
    day, due_soon_days = key
    organisations = {organisation for organisation, _ in figures} | {ALL}
    if replace:
        DashboardFigures.objects.filter(day=day, due_soon_days=due_soon_days).delete()
    DashboardFigures.objects.bulk_create(
        ignore_conflicts=True,  # another request stored the day meanwhile: theirs are as fresh
        objs=(
            DashboardFigures(
                day=day,
                due_soon_days=due_soon_days,
                organisation_id=organisation,
                **{column: figures.get((organisation, column), 0) for column in REC_COLUMNS + REPORT_COLUMNS},
            )
            for organisation in sorted(organisations)
        ),
    )


def _lock_for_filling(*, wait: bool) -> None:
    """On PostgreSQL (in a transaction), keep writers' adjustments out while a day is filled: a
    writer's uncommitted adjustment makes the fill wait (or fail, ``wait=False``: OperationalError)
    and the fill then sees its data; a writer arriving during the fill adjusts the stored rows
    after it. SQLite has one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Not waiting means waiting briefly (a writer's adjustment is a few milliseconds), not behind a long import.
            timeout = "0" if wait else "'200ms'"
            cursor.execute(f"SET LOCAL lock_timeout = {timeout}; LOCK TABLE {DashboardFigures._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def fill(*, days: Iterable[datetime.date], due_soon_days: int | None = None) -> None:
    """Work out and store (replacing) the figures of ``days``: the daily job's call."""
    due_soon_days = settings.DUE_SOON_DAYS if due_soon_days is None else due_soon_days
    days = list(days)
    with transaction.atomic():
        _lock_for_filling(wait=True)
        for day in days:
            _store((day, due_soon_days), compute(day, due_soon_days))
        DashboardFigures.objects.filter(day__lt=min(days) - datetime.timedelta(days=1)).delete()  # past days are not asked for


def clear() -> None:
    """Forget every stored figure (after a bulk write that sends no model signals)."""
    table = DashboardFigures._meta.db_table
    if table not in connection.introspection.table_names():  # a database not migrated yet stores none
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


@dataclass(frozen=True)
class DashboardNumbers:
    counts: dict[str, int]
    addressees: list  # selectors.AddresseeRow, most recommendations first


def dashboard_numbers(*, today: datetime.date, due_soon_days: int) -> DashboardNumbers:
    """The dashboard's counts and addressee table for ``today``: stored, or worked out once and stored."""
    from .selectors import AddresseeRow

    rows = {row.organisation_id: row for row in DashboardFigures.objects.filter(day=today, due_soon_days=due_soon_days)}
    organisations: dict[int, Organisation] | None = None
    if ALL not in rows:
        organisations = {}
        figures = compute(today, due_soon_days, organisations=organisations)
        try:
            # A request runs in autocommit, so this is its own transaction (no savepoint). Inside
            # another transaction (a command, a test) it is a savepoint: a lock not granted within
            # its timeout then undoes only this, and the caller's transaction goes on.
            with transaction.atomic():
                _lock_for_filling(wait=False)
                _store((today, due_soon_days), figures, replace=False)
        except OperationalError:  # a writer is adjusting the figures: worked out, not stored
            pass
        rows = {
            organisation: DashboardFigures(
                organisation_id=organisation, **{column: figures.get((organisation, column), 0) for column in REC_COLUMNS + REPORT_COLUMNS}
            )
            for organisation in {organisation for organisation, _ in figures} | {ALL}
        }
    total = rows.pop(ALL)
    if organisations is None:
        organisations = Organisation.objects.in_bulk([pk for pk, row in rows.items() if row.recommendations > 0])
    addressees = sorted(
        (AddresseeRow(organisations[pk], row.recommendations, row.overdue, row.awaiting_response) for pk, row in rows.items() if pk in organisations),
        key=lambda row: (-row.recommendations, row.organisation.name),
    )
    return DashboardNumbers(counts={column: getattr(total, column) for column in REC_COLUMNS + REPORT_COLUMNS}, addressees=addressees)


# The list's filters whose match count is a stored figure: (deadline status, addressee?) -> column.
_LIST_COLUMNS = {
    (None, False): "recommendations",
    ("overdue", False): "overdue",
    ("due_soon", False): "due_soon",
    (None, True): "recommendations",
    ("overdue", True): "overdue",
}


def stored_list_count(*, today: datetime.date, status: str | None, organisation_id: int | None):
    """How many recommendations the list matches with no filter, a deadline status of overdue or due
    soon, an addressee, or an addressee and overdue: a query (not run here) for today's stored
    figure, the same rows as those filters (``selectors.dashboard_counts``); it finds nothing when
    today's figures are not stored. None for any other filter."""
    column = _LIST_COLUMNS.get((status or None, organisation_id is not None))
    if column is None:
        return None
    stored = DashboardFigures.objects.filter(day=today, due_soon_days=settings.DUE_SOON_DAYS, organisation_id=organisation_id or ALL)
    return stored.values_list(column, flat=True)[:1]


def stored_reply_overdue_count(*, today: datetime.date):
    """A query (not run here) for today's stored number of reports whose reply is overdue (the
    chaser home's count, the same rows as ``Report.objects.response_overdue``); it finds nothing
    when today's figures are not stored."""
    stored = DashboardFigures.objects.filter(day=today, due_soon_days=settings.DUE_SOON_DAYS, organisation_id=ALL)
    return stored.values_list("reports_response_overdue", flat=True)[:1]


def stored_overdue_by_organisation(*, today: datetime.date) -> dict[int, int] | None:
    """Organisation id -> its overdue recommendations on ``today`` from today's stored figures (the
    same rows as ``Recommendation.objects.overdue`` addressed to it; bodies with none left out), or
    None when today's figures are not stored."""
    stored = dict(DashboardFigures.objects.filter(day=today, due_soon_days=settings.DUE_SOON_DAYS).values_list("organisation_id", "overdue"))
    if stored.pop(ALL, None) is None:
        return None
    return {organisation_id: n for organisation_id, n in stored.items() if n}


# --- Keeping the stored figures current on write -----------------------------------------------------


@dataclass
class _Pending:
    """A write under way on this thread: what it touches and their figures before it."""

    recommendation_ids: set[int] = field(default_factory=set)
    report_ids: set[int] = field(default_factory=set)
    before: dict[Key, Figures] = field(default_factory=dict)
    applied: bool = False  # a deletion's first rows are gone (and counted); more may follow


_local = threading.local()


def _stored_keys() -> list[Key]:
    return list(DashboardFigures.objects.filter(organisation_id=ALL).values_list("day", "due_soon_days"))


def _reports_of(recommendation_ids: set[int]) -> set[int]:
    return set(Recommendation.objects.filter(pk__in=recommendation_ids).values_list("report_id", flat=True)) if recommendation_ids else set()


def _touches_before(sender, instance) -> tuple[set[int], set[int]]:
    """The recommendations and reports a write of ``instance`` changes the figures of, as stored now."""
    from responses.models import Response

    through = Recommendation.addressees.through
    if sender is Recommendation:
        recs = {instance.pk} if instance.pk else set()
        return recs, _reports_of(recs) | {instance.report_id}
    if sender is Response:
        recs = {instance.recommendation_id}
        if instance.pk:  # a reply moved to another recommendation changes both
            recs |= set(Response.objects.filter(pk=instance.pk).values_list("recommendation_id", flat=True))
        recs.discard(None)
        return recs, _reports_of(recs)
    if sender is Report:
        if not instance.pk:
            return set(), set()
        return set(Recommendation.objects.filter(report_id=instance.pk).values_list("pk", flat=True)), {instance.pk}
    if sender is Organisation and instance.pk:  # deleting one deletes its addressee links without signals
        recs = set(through.objects.filter(organisation_id=instance.pk).values_list("recommendation_id", flat=True))
        return recs, set()
    if sender is through:
        return {instance.recommendation_id}, set()
    return set(), set()


def _before(sender, instance) -> None:
    recs, reports = _touches_before(sender, instance)
    pending = getattr(_local, "pending", None)
    if pending is None:
        keys = _stored_keys()
        if not keys:
            return  # nothing stored, nothing to keep current
        pending = _local.pending = _Pending(before={key: Counter() for key in keys})
    new_recs, new_reports = recs - pending.recommendation_ids, reports - pending.report_ids
    if not new_recs and not new_reports:
        return
    for key, figures in pending.before.items():
        figures.update(compute(*key, recommendation_ids=new_recs, report_ids=new_reports))
    pending.recommendation_ids |= new_recs
    pending.report_ids |= new_reports


def _after(created_recs: Iterable[int] = (), created_reports: Iterable[int] = (), *, more_may_follow: bool = False) -> None:
    """Add (after - before) to the stored rows for everything the write touched. A recommendation
    or report created by the write had no figures before, so it joins here. A deletion deletes one
    model's rows at a time, each followed by its ``post_delete``: ``more_may_follow`` keeps the
    figures just applied as the next step's "before"."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        return
    _local.pending = pending if more_may_follow else None
    pending.applied = True
    recs = pending.recommendation_ids | set(created_recs)
    reports = pending.report_ids | set(created_reports) | _reports_of(set(created_recs))
    table = DashboardFigures._meta.db_table
    with connection.cursor() as cursor:
        for key, before in pending.before.items():
            after = compute(*key, recommendation_ids=recs, report_ids=reports)
            delta = Counter(after)
            delta.subtract(before)
            pending.before[key] = Counter(after)
            by_organisation: dict[int, dict[str, int]] = {}
            for (organisation, column), change in delta.items():
                if change:
                    by_organisation.setdefault(organisation, {})[column] = change
            for organisation, changes in sorted(by_organisation.items()):
                columns = REC_COLUMNS + REPORT_COLUMNS
                values = [changes.get(column, 0) for column in columns]
                # A newly addressed organisation has no row yet; only days that are stored are kept current.
                cursor.execute(
                    f"""INSERT INTO {table} (day, due_soon_days, organisation_id, {", ".join(columns)})
                    SELECT %s, %s, %s, {", ".join(["%s"] * len(columns))}
                    WHERE EXISTS (SELECT 1 FROM {table} WHERE day = %s AND due_soon_days = %s AND organisation_id = {ALL})
                    ON CONFLICT (day, due_soon_days, organisation_id) DO UPDATE SET
                    {", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in columns)}""",
                    [key[0], key[1], organisation, *values, key[0], key[1]],
                )


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if sender in _watched() and sender is not Organisation:  # an organisation's own fields are not counted
        _local.pending = None  # a save is never part of a cascade: forget what a failed write left
        _before(sender, instance)


def _on_post_save(sender, instance, created=False, **kwargs):
    if sender in _watched() and sender is not Organisation:
        _after(
            created_recs=[instance.pk] if created and sender is Recommendation else (),
            created_reports=[instance.pk] if created and sender is Report else (),
        )


def _on_pre_delete(sender, instance, **kwargs):
    if sender in _watched():
        if getattr(getattr(_local, "pending", None), "applied", False):
            _local.pending = None  # a new deletion: every pre_delete of one comes before its first post_delete
        _before(sender, instance)


def _on_post_delete(sender, instance, **kwargs):
    if sender in _watched():
        _after(more_may_follow=True)


def _on_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if sender is not Recommendation.addressees.through:
        return
    if action.startswith("pre_"):
        _local.pending = None
        if not reverse:
            recs = {instance.pk}
        elif pk_set is not None:
            recs = set(pk_set)
        else:  # clearing an organisation's recommendations
            recs = set(sender.objects.filter(organisation_id=instance.pk).values_list("recommendation_id", flat=True))
        for pk in recs:
            _before(sender, sender(recommendation_id=pk))
    else:
        _after()


def _watched() -> tuple:
    from responses.models import Response

    return (Recommendation, Report, Response, Organisation)


def connect() -> None:
    """Keep stored figures current on every ORM write (``PagesConfig.ready``), and clear
    them on bulk writes (``pagecache.data_changed``)."""
    from tracker import pagecache

    uid = "pages.figures"
    pre_save.connect(_on_pre_save, dispatch_uid=uid)
    post_save.connect(_on_post_save, dispatch_uid=uid)
    pre_delete.connect(_on_pre_delete, dispatch_uid=uid)
    post_delete.connect(_on_post_delete, dispatch_uid=uid)
    m2m_changed.connect(_on_m2m_changed, dispatch_uid=uid)
    pagecache.on_bulk_write(clear)
