"""Lengths of time in words a reader takes in at a glance: "6 years 6 months", "3 weeks",
"4 months 2 weeks", "5 days", rather than "2376 days".

Calendar arithmetic, the same as deadlines use (``dates.add_months``: a month from 31 January is 28
or 29 February, a year from 29 February is 28 February), so "1 month overdue" starts on the day a
reader would say so. Pure: both dates are passed in (``today`` among them); nothing reads the clock.
"""

from __future__ import annotations

import datetime

from .dates import add_months


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def whole_months(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (``start`` <= ``end``)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months and add_months(start, months) > end:
        months -= 1
    return months


def duration_in_words(start: datetime.date, end: datetime.date) -> str:
    """The time between two days in words, whichever comes first.

    Under two weeks: days ("1 day", "13 days"). Under a month: weeks and days ("2 weeks",
    "3 weeks 2 days"). Under a year: months and weeks ("4 months", "4 months 2 weeks"). From a
    year: years and months ("6 years 6 months", "2 years").
    """
    start, end = sorted((start, end))
    months = whole_months(start, end)
    rest = (end - add_months(start, months)).days
    if months == 0:
        if rest < 14:
            return _plural(rest, "day")
        weeks, days = divmod(rest, 7)
        return _plural(weeks, "week") + (f" {_plural(days, 'day')}" if days else "")
    if months < 12:
        weeks = rest // 7
        return _plural(months, "month") + (f" {_plural(weeks, 'week')}" if weeks else "")
    years, months = divmod(months, 12)
    return _plural(years, "year") + (f" {_plural(months, 'month')}" if months else "")


def due_in_words(day: datetime.date, *, today: datetime.date) -> str:
    """A due date against ``today``: "3 weeks left", "6 years 6 months overdue", "due today"."""
    if day == today:
        return "due today"
    return f"{duration_in_words(day, today)} {'overdue' if day < today else 'left'}"
