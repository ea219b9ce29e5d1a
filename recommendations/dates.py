"""Date rules of the tracker: precision of dates, calendar-month arithmetic, response due dates.

Pure functions; ``today`` and settings are passed in or read at the edge.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.dateformat import format as date_format


class DatePrecision(models.TextChoices):
    """How much of a date the source gave. A month or year is stored as its last day."""

    DAY = "day", "Day"  # "18 August 2022"
    MONTH = "month", "Month"  # "by May 2020" -> 31 May 2020
    YEAR = "year", "Year"  # "later this year" -> 31 December
    FINANCIAL_YEAR = "financial_year", "Financial year"  # "2022-23" -> 31 March 2023
    UNKNOWN = "unknown", "Unknown"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later, clamped to the month's end.

    31 December + 2 months is 28 (or 29) February; 30 June + 2 months is 30 August.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_start_due_on_or_after(today: datetime.date, months: int) -> datetime.date:
    """The earliest start date whose ``add_months(start, months)`` is on or after ``today``.

    ``add_months`` never decreases as the start moves later, so a report published before the
    returned date has a reply due before ``today``: this turns "due date passed" into a plain
    date comparison the database can index.
    """
    try:
        candidate = add_months(today, -months)
    except ValueError:
        return datetime.date.min  # ``today`` is in the first months of year 1: every start qualifies
    while add_months(candidate, months) < today:
        candidate += datetime.timedelta(days=1)
    while candidate > datetime.date.min and add_months(candidate - datetime.timedelta(days=1), months) >= today:
        candidate -= datetime.timedelta(days=1)
    return candidate


@dataclass(frozen=True)
class ResponseDue:
    """When the Mayor's reply to a report is due, and why. ``at_the_latest`` when the publication
    date is not known and ``date`` is the latest it can be (``published_before`` + the rule)."""

    date: datetime.date | None
    explanation: str
    at_the_latest: bool = False
    published_before: datetime.date | None = None  # the bound, when the publication date is not known


def deadlines_disagree(deadlines) -> bool:
    """Whether a recommendation's copies conflict: at least two different deadlines among those
    that give one (a copy without a deadline never conflicts)."""
    return len({day for day in deadlines if day is not None}) >= 2


def _words(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def published_before(earliest_deadline: datetime.date | None, earliest_reply: datetime.date | None) -> datetime.date | None:
    """The latest a report of unknown publication date can have been published: the earlier of
    the earliest deadline it sets and its first reply (None when it has neither)."""
    known = [day for day in (earliest_deadline, earliest_reply) if day is not None]
    return min(known) if known else None


def _latest_possible_due(earliest_deadline, earliest_reply, months: int) -> ResponseDue:
    bound = published_before(earliest_deadline, earliest_reply)
    if bound is None:
        return ResponseDue(
            None,
            "Due date unknown: the report's publication date is not known, and it sets no deadline "
            "and has no reply that would show when it was published at the latest.",
        )
    why = "the earliest deadline it sets" if bound == earliest_deadline else "the date of the first reply to it"
    due = add_months(bound, months)
    return ResponseDue(
        due,
        f"Publication date not known. It was published before {_words(bound)} ({why}), "
        f"so the Mayor's reply was due by {_words(due)} at the latest.",
        at_the_latest=True,
        published_before=bound,
    )


def response_due_for(
    *,
    published: datetime.date | None,
    published_precision: str,
    override: datetime.date | None,
    override_reason: str,
    earliest_deadline: datetime.date | None = None,
    earliest_reply: datetime.date | None = None,
    months: int | None = None,
) -> ResponseDue:
    """When a reply to a report is due, with the sentence a page shows to explain it.

    An editor's date wins, then the rule from a known publication date. When the publication date
    is not known, the report was published before ``earliest_deadline`` (the earliest any of its
    recommendations sets) and before ``earliest_reply`` (its first reply), so the reply was due
    ``months`` after the earlier of them *at the latest*. ``ReportQuerySet.reply_due_before``
    is the same rule in SQL (tests/unknown_publication pins the two together).
    """
    months = settings.RESPONSE_DUE_MONTHS if months is None else months
    if override is not None:
        return ResponseDue(override, f"Set by an editor to {_words(override)}: {override_reason}")
    if published is None:
        return _latest_possible_due(earliest_deadline, earliest_reply, months)
    due = add_months(published, months)
    published_words = _words(published)
    if published_precision == DatePrecision.MONTH:
        published_words = f"{date_format(published, 'F Y')} (taken as its last day)"
    elif published_precision == DatePrecision.YEAR:
        published_words = f"{published.year} (taken as 31 December)"
    month_words = "one calendar month" if months == 1 else f"{months} calendar months"
    return ResponseDue(
        due,
        f"{month_words.capitalize()} after publication on {published_words}, "
        "the convention UK select committees use (there is no statutory deadline).",
    )
