"""Every deadline rule, written once.

Where a due date stands on ``today`` (a recommendation's deadline, a commitment's due date):

- **overdue**: before ``today`` ("by May 2020" is 31 May 2020, so it is overdue from 1 June);
- **due soon**: from ``today`` to ``today + DUE_SOON_DAYS``, both days included;
- **upcoming**: later than that.

The rule is the table ``WINDOWS`` below. Everything else is built from it: the ``Q`` objects
every queryset, list filter, count, feed and job uses (``Window.q``), the SQL conditions the
dashboard's one-pass counts use for speed (``Window.sql``; tests/rules_once pins them to the
``Q`` objects over the boundary dates), and the Python test for one date (``Window.state_of``,
for the digest's report replies and the pages' "3 days overdue"). A recommendation's and a
commitment's statuses (``recommendation_conditions``, ``commitment_conditions``) combine those
with whether a reply arrived or the commitment is still open.

Nothing here reads the clock: pass ``today`` in.
"""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q

OVERDUE, DUE_SOON, UPCOMING = "overdue", "due_soon", "upcoming"

# Each state of a due date as (lookup, bound) pairs that must all hold: the one statement of the rule.
WINDOWS: dict[str, tuple[tuple[str, str], ...]] = {
    OVERDUE: (("lt", "today"),),
    DUE_SOON: (("gte", "today"), ("lte", "soon")),
    UPCOMING: (("gt", "soon"),),
}
_SQL_OPERATORS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_PYTHON_OPERATORS = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}


@dataclass(frozen=True)
class Window:
    """``today`` and the last day that counts as due soon."""

    today: datetime.date
    soon: datetime.date

    @classmethod
    def on(cls, today: datetime.date, due_soon_days: int | None = None) -> Window:
        """The window for ``today``, due soon meaning within ``due_soon_days`` (default ``DUE_SOON_DAYS``)."""
        days = settings.DUE_SOON_DAYS if due_soon_days is None else due_soon_days
        return cls(today=today, soon=today + datetime.timedelta(days=days))

    def _bound(self, name: str) -> datetime.date:
        return {"today": self.today, "soon": self.soon}[name]

    def q(self, state: str, field: str) -> Q:
        """Rows whose date ``field`` is in ``state`` (``OVERDUE``, ``DUE_SOON``, ``UPCOMING``)."""
        return Q(**{f"{field}__{lookup}": self._bound(bound) for lookup, bound in WINDOWS[state]})

    @staticmethod
    def sql(state: str, column: str) -> str:
        """``q`` as an SQL condition on ``column``, with ``%(today)s`` and ``%(soon)s`` placeholders
        (``params()`` fills them). For raw SQL kept for speed only."""
        return " AND ".join(f"{column} {_SQL_OPERATORS[lookup]} %({bound})s" for lookup, bound in WINDOWS[state])

    def params(self) -> dict[str, datetime.date]:
        return {"today": self.today, "soon": self.soon}

    def state_of(self, day: datetime.date | None) -> str | None:
        """The state of one date in Python (None for no date)."""
        if day is None:
            return None
        for state, conditions in WINDOWS.items():
            if all(_PYTHON_OPERATORS[lookup](day, self._bound(bound)) for lookup, bound in conditions):
                return state
        raise AssertionError(f"WINDOWS does not cover {day}")  # the table covers every date


def is_overdue(day: datetime.date | None, *, today: datetime.date) -> bool:
    """Whether a due date ``day`` has passed on ``today`` (the due-soon bound plays no part)."""
    return Window(today=today, soon=today).state_of(day) == OVERDUE


def published_by(today: datetime.date, *, field: str = "published") -> Q:
    """Reports published by ``today``, or of unknown date (their recommendations exist): the
    ones whose recommendations can be awaiting a response."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": today})


def published_by_sql(column: str) -> str:
    """``published_by`` as SQL on ``column`` (``%(today)s`` placeholder)."""
    return f"({column} IS NULL OR {column} <= %(today)s)"


def recommendation_conditions(window: Window, *, replied: Q, replied_in_time: Q, deadline: str = "deadline") -> dict[str, Q]:
    """One ``Q`` per recommendation deadline status (``querysets.DeadlineStatus`` values), each
    excluding the others. ``replied``: a reply was received by ``today``; ``replied_in_time``:
    one was received by ``today`` and on or before the deadline. Callers pass them as ``Exists``
    (filters, which use indexes) or over an annotated first reply date (the status annotation)."""
    dated = Q(**{f"{deadline}__isnull": False})
    return {
        "no_deadline": Q(**{f"{deadline}__isnull": True}),
        "met": dated & replied_in_time,
        "missed": dated & replied & ~replied_in_time,
        OVERDUE: window.q(OVERDUE, deadline) & ~replied,
        DUE_SOON: window.q(DUE_SOON, deadline) & ~replied,
        UPCOMING: window.q(UPCOMING, deadline) & ~replied,
    }


def recommendation_state(window: Window, *, deadline: datetime.date | None, first_reply: datetime.date | None) -> str:
    """``recommendation_conditions`` for one recommendation in Python, for a page that has its
    replies in hand: ``first_reply`` is the first reply received by ``window.today`` (or None).
    tests/rules_once pins it to the annotation over the boundary days."""
    if deadline is None:
        return "no_deadline"
    if first_reply is not None:
        return "met" if first_reply <= deadline else "missed"
    return window.state_of(deadline)


def first_reply_conditions(*, first_reply: str = "first_reply_date", deadline: str = "deadline") -> dict[str, Q]:
    """``replied`` and ``replied_in_time`` over an annotated first reply date (by ``today``)."""
    return {
        "replied": Q(**{f"{first_reply}__isnull": False}),
        "replied_in_time": Q(**{f"{first_reply}__isnull": False, f"{first_reply}__lte": F(deadline)}),
    }


OPEN_COMMITMENT = Q(status="open")


def commitment_conditions(window: Window, *, due_date: str = "due_date") -> dict[str, Q]:
    """One ``Q`` per commitment due status (``responses.selectors.CommitmentDueStatus`` values):
    closed (kept, dropped or superseded), open with no date, or open and overdue, due soon or upcoming."""
    return {
        "closed": ~OPEN_COMMITMENT,
        "no_date": OPEN_COMMITMENT & Q(**{f"{due_date}__isnull": True}),
        OVERDUE: OPEN_COMMITMENT & window.q(OVERDUE, due_date),
        DUE_SOON: OPEN_COMMITMENT & window.q(DUE_SOON, due_date),
        UPCOMING: OPEN_COMMITMENT & window.q(UPCOMING, due_date),
    }
