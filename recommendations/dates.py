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
    candidate = add_months(today, -months)
    while add_months(candidate, months) < today:
        candidate += datetime.timedelta(days=1)
    while add_months(candidate - datetime.timedelta(days=1), months) >= today:
        candidate -= datetime.timedelta(days=1)
    return candidate


@dataclass(frozen=True)
class ResponseDue:
    date: datetime.date | None
    explanation: str


def deadlines_disagree(deadlines) -> bool:
    """Whether a recommendation's copies conflict: at least two different deadlines among those
    that give one (a copy without a deadline never conflicts)."""
    return len({day for day in deadlines if day is not None}) >= 2


def _words(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def response_due_for(
    *,
    published: datetime.date | None,
    published_precision: str,
    override: datetime.date | None,
    override_reason: str,
    months: int | None = None,
) -> ResponseDue:
    """When a reply to a report is due, with the sentence a page shows to explain it."""
    months = settings.RESPONSE_DUE_MONTHS if months is None else months
    if override is not None:
        return ResponseDue(override, f"Set by an editor to {_words(override)}: {override_reason}")
    if published is None:
        return ResponseDue(None, "No due date: the report's publication date is not known.")
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
