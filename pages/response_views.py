"""Commitments and consultation pages. Thin: read ``today`` once, call a selector, render.

Respondents' contact details were removed when the consultation documents were imported
(``importer/parsing/privacy.py``), so the pages show what is stored."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django_filters.views import FilterView

from responses import selectors
from responses.filters import CommitmentFilter
from responses.models import Ask, Commitment, Consultation
from tracker.clock import today as london_today

from .exports import csv_response
from .views import TodayMixin, filter_refused


class CommitmentListView(TodayMixin, FilterView):
    filterset_class = CommitmentFilter
    template_name = "responses/commitment_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.commitment_list(today=self.today)

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


def consultation_detail(request, slug: str):
    if request.GET.get("format") == "csv":
        return _consultation_asks_csv(slug)
    try:
        consultation = selectors.consultation_detail(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    return render(request, "responses/consultation_detail.html", {"consultation": consultation})


def _consultation_asks_csv(slug: str):
    """Every ask made in one consultation's submissions."""
    if not Consultation.objects.filter(slug=slug).exists():
        raise Http404("No such consultation")
    asks = Ask.objects.filter(submission__consultation__slug=slug)
    return csv_response("asks", asks, today=london_today(), name=f"asks-{slug}")
