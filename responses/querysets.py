"""Deadline state of commitments as queryset methods. Pass ``today`` in; nothing reads the clock."""

from __future__ import annotations

import datetime

from django.db import models

from recommendations import deadline_rules


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        """Commitments not yet kept, dropped or superseded."""
        return self.filter(deadline_rules.OPEN_COMMITMENT)

    def overdue(self, *, today: datetime.date) -> CommitmentQuerySet:
        """Open commitments whose due date is before ``today``.

        "Later this year" in a letter of August 2022 is due 31 December 2022, so it is overdue
        from 1 January 2023.
        """
        return self.filter(deadline_rules.commitment_conditions(deadline_rules.Window.on(today))[deadline_rules.OVERDUE])

    def due_within(self, days: int, *, today: datetime.date) -> CommitmentQuerySet:
        """Open commitments due from ``today`` to ``today + days`` inclusive."""
        window = deadline_rules.Window.on(today, days)
        return self.filter(deadline_rules.commitment_conditions(window)[deadline_rules.DUE_SOON])
