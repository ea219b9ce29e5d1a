"""The commitments list's filters; values live in the URL and bad ones are form errors."""

from __future__ import annotations

import django_filters

from recommendations.models import Organisation, Report

from .models import Commitment
from .selectors import CommitmentDueStatus


class CommitmentFilter(django_filters.FilterSet):
    """Filters for ``selectors.commitment_list`` (which annotates ``due_status``)."""

    due = django_filters.ChoiceFilter(
        label="Due status", field_name="due_status", choices=CommitmentDueStatus.choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(label="Status", choices=Commitment.Status.choices, empty_label="Any status")
    owner = django_filters.ModelChoiceFilter(
        label="Made by",
        queryset=Organisation.objects.filter(commitments__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        empty_label="Anyone",
    )
    report = django_filters.ModelChoiceFilter(
        label="Arising from the reply to",
        field_name="response__recommendation__report",
        queryset=Report.objects.order_by("-published", "title"),
        to_field_name="slug",
        empty_label="All reports",
    )

    class Meta:
        model = Commitment
        fields: list[str] = []
