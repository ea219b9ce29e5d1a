"""Consultation pages. Contact details of private individuals are redacted before display."""

from django.shortcuts import get_object_or_404, render

from .models import Consultation


def consultation_detail(request, slug: str):
    consultation = get_object_or_404(Consultation, slug=slug)
    submissions = consultation.submissions.select_related("organisation").prefetch_related("asks")
    return render(
        request,
        "responses/consultation_detail.html",
        {"consultation": consultation, "submissions": submissions},
    )
