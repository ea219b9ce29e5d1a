"""Commitments and consultation pages. Thin: read ``today`` once, call a selector, render.

Respondents' contact details were removed when the consultation documents were imported
(``recommendations/parsing/privacy.py``), so the pages show what is stored."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django_filters.views import FilterView

from recommendations.views import TodayMixin

from . import selectors
from .filters import CommitmentFilter
from .models import Consultation


class CommitmentListView(TodayMixin, FilterView):
    filterset_class = CommitmentFilter
    template_name = "responses/commitment_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.commitment_list(today=self.today)

    def render_to_response(self, context, **kwargs):
        invalid = self.filterset.is_bound and not self.filterset.is_valid()
        return super().render_to_response(context, status=400 if invalid else 200, **kwargs)


def consultation_list(request):
    return render(request, "responses/consultation_list.html", {"consultations": selectors.consultation_list()})


def consultation_detail(request, slug: str):
    try:
        consultation = selectors.consultation_detail(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation")
    return render(request, "responses/consultation_detail.html", {"consultation": consultation})
