"""Reads for the commitments and consultations pages, prefetched for a fixed number of queries.

Nothing here reads the clock: views pass ``today`` in.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
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
        # Not the documents' stored texts (up to tens of KB each, never shown in a list).
        .defer("document__text")
        .order_by(models.F("due_date").asc(nulls_last=True), "document_id", "position")
    )


def commitments_by_id(ids: list[int], *, today: datetime.date) -> list[Commitment]:
    """``commitment_list``'s rows with these ids, in this order: a page whose ids were found with
    the filters and order alone (from the list's index), its columns and annotations read for
    those rows only."""
    found = {commitment.pk: commitment for commitment in commitment_list(today=today).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def consultation_list() -> QuerySet:
    return Consultation.objects.annotate(
        submission_count=Count("submissions", distinct=True), ask_count=Count("submissions__asks", distinct=True)
    ).order_by("title")


def consultation_detail(*, slug: str) -> Consultation:
    """A consultation (its submissions come a page at a time from ``consultation_submissions``).
    Raises ``Consultation.DoesNotExist``."""
    return Consultation.objects.get(slug=slug)


# A consultation page's submissions in order: by date of the document they came in (undated last on
# every database), then where in it.
SUBMISSION_ORDER = (models.F("document__date").asc(nulls_last=True), "document_id", "start_line", "pk")


def consultation_submissions(consultation: Consultation) -> QuerySet:
    """The consultation's submissions in ``SUBMISSION_ORDER``, each with its asks (in line order)
    and its organisation, and of its document only what a link to it needs (not the stored text:
    a compilation of hundreds of submissions is one long document, read once per submission)."""
    return (
        Submission.objects.filter(consultation=consultation)
        .select_related("organisation", "document")
        .only(*(f.name for f in Submission._meta.concrete_fields), "organisation__name", "document__id", "document__date")
        .prefetch_related(Prefetch("asks", queryset=Ask.objects.order_by("line")))
        .order_by(*SUBMISSION_ORDER)
    )


def submission_position(consultation: Consultation, submission_id: int) -> int | None:
    """How many of the consultation's submissions come before this one in ``SUBMISSION_ORDER``
    (which page shows it), or None when it is not one of them."""
    submissions = Submission.objects.filter(consultation=consultation)
    target = submissions.filter(pk=submission_id).values("document__date", "document_id", "start_line", "pk").first()
    if target is None:
        return None
    date = target["document__date"]
    later_document = Q(document_id__gt=target["document_id"]) | Q(document_id=target["document_id"], start_line__gt=target["start_line"])
    later_document |= Q(document_id=target["document_id"], start_line=target["start_line"], pk__gt=target["pk"])
    if date is None:  # undated documents come last
        before = Q(document__date__isnull=False) | (Q(document__date__isnull=True) & ~later_document)
    else:
        before = Q(document__date__lt=date) | (Q(document__date=date) & ~later_document)
    return submissions.filter(before).exclude(pk=target["pk"]).count()
