"""Scrutiny officers' pages. Thin: read ``today`` once, call a selector, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tracker.clock import today as london_today

from . import selectors
from .models import Document, Recommendation, Report


def dashboard(request):
    today = london_today()
    context = {
        "today": today,
        "counts": selectors.dashboard_counts(today=today, due_soon_days=settings.DUE_SOON_DAYS),
        "most_overdue": selectors.most_overdue(today=today),
        "due_soon_days": settings.DUE_SOON_DAYS,
    }
    return render(request, "recommendations/dashboard.html", context)


def recommendation_detail(request, pk: int):
    today = london_today()
    try:
        recommendation = selectors.recommendation_detail(pk=pk, today=today)
    except Recommendation.DoesNotExist:
        raise Http404("No such recommendation")
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {"recommendation": recommendation, "today": today, "report": recommendation.report},
    )


def report_detail(request, slug: str):
    today = london_today()
    report = get_object_or_404(Report.objects.select_related("committee"), slug=slug)
    recommendations = selectors.recommendation_list(today=today).filter(report=report)
    return render(
        request,
        "recommendations/report_detail.html",
        {"report": report, "recommendations": recommendations, "today": today},
    )


def document_detail(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    lines = document.text.splitlines()
    return render(request, "recommendations/document_detail.html", {"document": document, "lines": lines})
