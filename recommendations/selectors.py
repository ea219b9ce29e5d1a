"""Reads for pages: each returns a queryset (or a small dict) with everything the page needs
prefetched, so a page runs a fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from responses.models import Response

from .models import Recommendation, Report
from .querysets import DeadlineStatus


def recommendation_list(*, today: datetime.date):
    return (
        Recommendation.objects.with_deadline_status(today=today)
        .select_related("report")
        .prefetch_related("addressees")
        .order_by("report__title", "number")
    )


def recommendation_detail(*, pk: int, today: datetime.date) -> Recommendation:
    return (
        Recommendation.objects.with_deadline_status(today=today)
        .select_related("report", "made_in")
        .prefetch_related(
            "addressees",
            "appearances__document",
            Prefetch("responses", queryset=Response.objects.select_related("letter").prefetch_related("commitments")),
        )
        .get(pk=pk)
    )


def dashboard_counts(*, today: datetime.date, due_soon_days: int) -> dict[str, int]:
    recommendations = Recommendation.objects.all()
    return {
        "recommendations": recommendations.count(),
        "overdue": recommendations.overdue(today=today).count(),
        "due_soon": recommendations.due_within(due_soon_days, today=today).count(),
        "awaiting_response": recommendations.awaiting_response(today=today).count(),
        "answered": recommendations.answered(today=today).count(),
        "reports": Report.objects.count(),
        "reports_response_overdue": Report.objects.response_overdue(today=today).count(),
    }


def most_overdue(*, today: datetime.date, limit: int = 10):
    return (
        recommendation_list(today=today)
        .filter(deadline_status=DeadlineStatus.OVERDUE)
        .order_by("deadline", "report__title", "number")[:limit]
    )
