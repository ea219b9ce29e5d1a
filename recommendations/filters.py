"""The recommendation list's filters. Every value lives in the URL, so a filtered list can be
shared; a value the form cannot accept is a form error on the page, never a server error."""

from __future__ import annotations

import django_filters
import django_filters.constants
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from responses.models import Assessment, ImplementationStatus, Response

from .models import Organisation, Recommendation, Report
from .querysets import DeadlineStatus

RESPONSE_CHOICES = [("awaiting", "Awaiting a response"), ("answered", "Responded")]


def search_recommendations(queryset: QuerySet, words: str) -> QuerySet:
    """Recommendations whose wording or reply matches ``words``.

    PostgreSQL: full-text search (English stemming, web-search syntax: "quoted phrases", -not).
    Other databases: every word must appear, case-insensitively, in the recommendation or a reply.
    """
    words = words.strip()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(words, search_type="websearch", config="english")
        replies = Response.objects.annotate(search=SearchVector("text", config="english")).filter(
            recommendation=OuterRef("pk"), search=query
        )
        return queryset.annotate(
            search=SearchVector("text", "short_text", "chapter", config="english")
        ).filter(Q(search=query) | Exists(replies))
    for word in words.split():
        replies = Response.objects.filter(recommendation=OuterRef("pk"), text__icontains=word)
        queryset = queryset.filter(
            Q(text__icontains=word) | Q(short_text__icontains=word) | Q(chapter__icontains=word) | Exists(replies)
        )
    return queryset


class TieBreakingOrderingFilter(django_filters.OrderingFilter):
    """Sorts with empty dates last on every database, then by report and number, so rows never
    shuffle between pages."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            name = self.get_ordering_value(param)
            field = F(name.lstrip("-"))
            ordering.append(field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True))
        return qs.order_by(*ordering, "report__title", "number")


class RecommendationFilter(django_filters.FilterSet):
    """Filters for ``selectors.recommendation_list`` (which annotates status and the reply)."""

    q = django_filters.CharFilter(label="Search recommendations and replies", method="filter_q", max_length=200)
    report = django_filters.ModelChoiceFilter(
        queryset=Report.objects.order_by("-published", "title"), to_field_name="slug", empty_label="All reports"
    )
    addressee = django_filters.ModelChoiceFilter(
        label="Addressed to",
        field_name="addressees",
        queryset=Organisation.objects.filter(recommendations__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        empty_label="Anyone",
    )
    chapter = django_filters.ChoiceFilter(choices=[], empty_label="All chapters")
    status = django_filters.ChoiceFilter(
        label="Deadline status", field_name="deadline_status", choices=DeadlineStatus.choices, empty_label="Any status"
    )
    response = django_filters.ChoiceFilter(
        label="Response", choices=RESPONSE_CHOICES, method="filter_response", empty_label="With or without"
    )
    assessment = django_filters.ChoiceFilter(
        label="Assessment of the reply", field_name="reply_assessment", choices=Assessment.choices, empty_label="Any assessment"
    )
    implementation = django_filters.ChoiceFilter(
        label="Implementation",
        field_name="reply_implementation_status",
        choices=ImplementationStatus.choices,
        empty_label="Any implementation status",
    )
    year = django_filters.ChoiceFilter(
        label="Year published", field_name="report__published__year", choices=[], empty_label="Any year"
    )
    sort = TieBreakingOrderingFilter(
        label="Sort by",
        fields=(
            ("deadline", "deadline"),
            ("first_reply_date", "replied"),
            ("report__title", "report"),
            ("number", "number"),
        ),
        field_labels={
            "deadline": "Deadline (earliest first)",
            "-deadline": "Deadline (latest first)",
            "replied": "Reply date (earliest first)",
            "-replied": "Reply date (latest first)",
            "report": "Report (A to Z)",
            "-report": "Report (Z to A)",
            "number": "Number",
            "-number": "Number (highest first)",
        },
        empty_label="Report and number",
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from the data: two small queries whatever the number of rows.
        chapters = (
            Recommendation.objects.exclude(chapter="").order_by("chapter").values_list("chapter", flat=True).distinct()
        )
        self.filters["chapter"].extra["choices"] = [(c, c) for c in chapters]
        years = Report.objects.filter(published__isnull=False).dates("published", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(y.year), str(y.year)) for y in years]
        self.today = today

    def filter_q(self, queryset, name, value):
        return search_recommendations(queryset, value)

    def filter_response(self, queryset, name, value):
        if value == "awaiting":
            return queryset.awaiting_response(today=self.today)
        if value == "answered":
            return queryset.answered(today=self.today)
        return queryset
