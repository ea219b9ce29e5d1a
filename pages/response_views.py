"""Commitments and consultation pages. Thin: read ``today`` once, call a selector, render.

Respondents' contact details were removed when the consultation documents were imported
(``importer/parsing/privacy.py``), so the pages show what is stored."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.http import Http404
from django.shortcuts import redirect, render
from django_filters.views import FilterView

from responses import selectors
from responses.filters import CommitmentFilter
from responses.models import Ask, Commitment, Consultation
from tracker.clock import today as london_today

from .exports import csv_response
from .pagination import CappedCountPaginator
from .views import TodayMixin, filter_refused


class CommitmentListView(TodayMixin, FilterView):
    filterset_class = CommitmentFilter
    template_name = "responses/commitment_list.html"
    paginate_by = 50
    # Counts at most 10,000 matches ("more than 10,000"): an exact count grows with the data.
    paginator_class = CappedCountPaginator

    def get_queryset(self):
        return selectors.commitment_list(today=self.today)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # The page's ids with the filters and order, then its rows (and their annotations) by id.
        paginator.rows_by_id = lambda ids: selectors.commitments_by_id(ids, today=self.today)
        return paginator

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":  # every filtered row, not one page's
            return self._csv()
        return super().get(request, *args, **kwargs)

    def _csv(self):
        self.object_list = self.get_queryset()
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_valid():
            return filter_refused(self.filterset)
        return csv_response("commitments", Commitment.objects.filter(pk__in=self.filterset.qs.values("pk")), today=self.today)

    def render_to_response(self, context, **kwargs):
        invalid = self.filterset.is_bound and not self.filterset.is_valid()
        return super().render_to_response(context, status=400 if invalid else 200, **kwargs)


def consultation_list(request):
    if request.GET.get("format") == "csv":  # the consultations, or with ?rows=asks every consultation's asks
        if request.GET.get("rows") == "asks":
            return csv_response("asks", Ask.objects.all(), today=london_today())
        return csv_response("consultations", Consultation.objects.all(), today=london_today())
    return render(request, "responses/consultation_list.html", {"consultations": selectors.consultation_list()})


# Submissions a consultation page shows: each is a section with its asks and full text (about 2 KB).
SUBMISSIONS_PER_PAGE = 25


def consultation_detail(request, slug: str):
    if request.GET.get("format") == "csv":
        return _consultation_asks_csv(slug)
    try:
        consultation = selectors.consultation_detail(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    if "submission" in request.GET:  # ?submission=<id>: the page that shows it, at it
        return _submission_page(request, consultation)
    paginator = CappedCountPaginator(selectors.consultation_submissions(consultation), SUBMISSIONS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    context = {"consultation": consultation, "submissions": page.object_list, "page_obj": page, "paginator": paginator}
    return render(request, "responses/consultation_detail.html", context)


def _submission_page(request, consultation):
    submission = request.GET["submission"]
    position = selectors.submission_position(consultation, int(submission)) if submission.isascii() and submission.isdigit() and len(submission) < 19 else None
    if position is None:
        raise Http404("No such submission in this consultation")
    page = position // SUBMISSIONS_PER_PAGE + 1
    return redirect(f"{consultation.get_absolute_url()}?page={page}#submission-{submission}")


def _consultation_asks_csv(slug: str):
    """Every ask made in one consultation's submissions."""
    if not Consultation.objects.filter(slug=slug).exists():
        raise Http404("No such consultation")
    asks = Ask.objects.filter(submission__consultation__slug=slug)
    return csv_response("asks", asks, today=london_today(), name=f"asks-{slug}")
