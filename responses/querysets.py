"""Deadline state of commitments as queryset methods. Pass ``today`` in; nothing reads the clock."""

from __future__ import annotations

import datetime

from django.db import models


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        """Commitments not yet kept, dropped or superseded."""
        return self.filter(status="open")

    def overdue(self, *, today: datetime.date) -> CommitmentQuerySet:
        """Open commitments whose due date is before ``today``.

        "Later this year" in a letter of August 2022 is due 31 December 2022, so it is overdue
        from 1 January 2023.
        """
        return self.open().filter(due_date__lt=today)

    def due_within(self, days: int, *, today: datetime.date) -> CommitmentQuerySet:
        """Open commitments due from ``today`` to ``today + days`` inclusive."""
        return self.open().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))
