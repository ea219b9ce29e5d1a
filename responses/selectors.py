"""Reads for the commitments and consultations pages, prefetched for a fixed number of queries.

Nothing here reads the clock: views pass ``today`` in.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Count, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from recommendations import deadline_rules

from .models import Ask, Commitment, CommitmentRevision, Consultation, Submission


class CommitmentDueStatus(models.TextChoices):
    """Where a commitment stands against its due date on a given day."""

    OVERDUE = "overdue", "Overdue"  # open, due date passed
    DUE_SOON = "due_soon", "Due soon"  # open, due within DUE_SOON_DAYS
    UPCOMING = "upcoming", "Upcoming"  # open, due later
    NO_DATE = "no_date", "No due date"  # open, the promise names no date
    CLOSED = "closed", "Closed"  # done, dropped or superseded


def commitment_list(*, today: datetime.date, due_soon_days: int | None = None) -> QuerySet:
    """Commitments with ``due_status`` (a ``CommitmentDueStatus``) annotated, soonest first, and
    how often the due date was revised (``revision_count``) and what it first was
    (``first_due_date``), in the same query."""
    conditions = deadline_rules.commitment_conditions(deadline_rules.Window.on(today, due_soon_days))
    revisions = CommitmentRevision.objects.filter(commitment=OuterRef("pk"))
    return (
        Commitment.objects.annotate(
            revision_count=Coalesce(
                Subquery(revisions.order_by().values("commitment").annotate(n=Count("pk")).values("n")[:1]), 0
            ),
            first_due_date=Subquery(revisions.order_by("created_at", "pk").values("previous_due_date")[:1]),
        )
        .annotate(
            due_status=Case(
                *(When(condition, then=Value(CommitmentDueStatus(status))) for status, condition in conditions.items()),
                output_field=models.CharField(),
            )
        )
        .select_related("owner", "document", "response__recommendation__report", "recommendation__report")
        .order_by(models.F("due_date").asc(nulls_last=True), "document_id", "position")
    )


def consultation_list() -> QuerySet:
    return Consultation.objects.annotate(
        submission_count=Count("submissions", distinct=True), ask_count=Count("submissions__asks", distinct=True)
    ).order_by("title")


def consultation_detail(*, slug: str) -> Consultation:
    """A consultation with its submissions and their asks. Raises ``Consultation.DoesNotExist``."""
    return Consultation.objects.prefetch_related(
        Prefetch(
            "submissions",
            queryset=Submission.objects.select_related("organisation", "document")
            .prefetch_related(Prefetch("asks", queryset=Ask.objects.order_by("line")))
            .order_by("document__date", "document_id", "start_line"),
        )
    ).get(slug=slug)
