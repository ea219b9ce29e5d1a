"""The recommendation list's filters. Every value lives in the URL, so a filtered list can be
shared; a value the form cannot accept is a form error on the page, never a server error."""

from __future__ import annotations

import django_filters
import django_filters.constants
from django.db import connection
from django.db.models import Exists, F, OuterRef

from recommendations.models import Organisation, Recommendation, Report
from recommendations.querysets import DeadlineStatus
from responses import filters as commitment_filters
from responses.models import Assessment, ImplementationStatus
from responses.progress import Progress, progress_rank
from tracker import pagecache
from tracker.choices import KeptFormFilterSet, KeptModelChoiceFilter, fixed

from . import figures, selectors
from .search import search_recommendations, stored_search_count

RESPONSE_CHOICES = [("awaiting", "Awaiting a response"), ("answered", "Responded")]


def report_choices(*, selected: str | None = None) -> list[tuple[str, str]]:
    """The report filter's choices: the latest reports and the ``selected`` one (``responses.filters.report_choices``)."""
    return commitment_filters.report_choices(selected=selected, page="report-choices")


def chapter_choices() -> list[tuple[str, str]]:
    """Every chapter in use, kept until a recommendation is written (``pagecache.choices``)."""
    return pagecache.choices("chapter-choices", lambda: [(c, c) for c in distinct_chapters()])


# A search in list order first looks among the first 20 × (rows wanted) recommendations in that
# order (enough when one in 20 matches), up to 10,000; otherwise it sorts every match.
SEARCH_PROBE_FACTOR = 20
SEARCH_PROBE_MAX_ROWS = 10_000

UNKNOWN_YEAR_PREFIX = "by-"  # "by-2020": publication date not known, but in 2020 or earlier


def year_choices() -> list[tuple[str, str]]:
    """Every year a report was published in, latest first; then, for reports whose publication
    date is not known, the year of the latest it can have been ("2020 or earlier": it was published
    before its earliest deadline and its first reply). Kept in the page cache until the data changes."""
    return pagecache.fragment("year-choices", (), _year_choices)


def _year_choices() -> list[tuple[str, str]]:
    return [
        (str(year), str(year)) if known else (f"{UNKNOWN_YEAR_PREFIX}{year}", f"{year} or earlier (publication date not known)")
        for year, known in Report.objects.publication_years()
    ]


def distinct_chapters() -> list[str]:
    """Every chapter name in use, in order, without reading every recommendation: a recursive
    query jumps from one chapter to the next through the chapter index (a "skip scan"), one index
    probe per distinct chapter."""
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    sql = f"""
        WITH RECURSIVE chapters(name) AS (
            SELECT MIN(chapter) FROM {table} WHERE chapter > ''
            UNION ALL
            SELECT (SELECT MIN(chapter) FROM {table} WHERE chapter > chapters.name) FROM chapters WHERE chapters.name IS NOT NULL
        )
        SELECT name FROM chapters WHERE name IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


class TieBreakingOrderingFilter(django_filters.OrderingFilter):
    """Sorts with empty dates last on every database, then by report and number, so rows never
    shuffle between pages."""

    def filter(self, qs, value):
        # "?sort=," passes the form as empty entries: they mean no choice, like an empty ?sort=.
        value = [param for param in value or () if param]
        if not value:
            return qs
        ordering = []
        for param in value:
            name = self.get_ordering_value(param)
            # "Where it stands" sorts in the statuses' own order (progress.SORT_ORDER), not A to Z.
            field = progress_rank() if name.lstrip("-") == "progress" else F(name.lstrip("-"))
            ordering.append(field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True))
        return qs.order_by(*ordering, "report__title", "number")


class RecommendationFilter(KeptFormFilterSet):
    """Filters for ``selectors.recommendation_list``. The status and reply annotations
    (``selectors.with_list_annotations``) are added only when a chosen filter or sort needs them."""

    # Filters and sorts on the annotations rather than on stored columns.
    ANNOTATED_FILTERS = ("progress", "assessment", "implementation")
    ANNOTATED_SORTS = ("progress", "replied")

    q = django_filters.CharFilter(label="Search recommendations and replies", method="filter_q", max_length=200)
    report = django_filters.ChoiceFilter(label="Report", choices=[], field_name="report__slug", empty_label="All reports")
    addressee = KeptModelChoiceFilter(
        label="Addressed to",
        field_name="addressees",
        # EXISTS per organisation (an index probe each) rather than a DISTINCT over every addressee row.
        queryset=Organisation.objects.filter(Exists(Recommendation.addressees.through.objects.filter(organisation=OuterRef("pk")))).order_by("name"),
        to_field_name="slug",
        empty_label="Anyone",
        kept_as="addressee-choices",  # bodies and addressee links are watched (recommendations.apps)
    )
    chapter = django_filters.ChoiceFilter(choices=[], empty_label="All chapters")
    progress = django_filters.ChoiceFilter(label="Where it stands", field_name="progress", choices=fixed(Progress), empty_label="Anywhere")
    status = django_filters.ChoiceFilter(label="Deadline status", choices=fixed(DeadlineStatus), method="filter_status", empty_label="Any status")
    response = django_filters.ChoiceFilter(label="Response", choices=fixed(RESPONSE_CHOICES), method="filter_response", empty_label="With or without")
    # The digest's "N more due in the next N days" links (DIGEST_DUE_WITHIN_DAYS, not DUE_SOON_DAYS).
    due_within = django_filters.NumberFilter(label="Due within (days)", method="filter_due_within", min_value=0, max_value=3660, decimal_places=0)
    assessment = django_filters.ChoiceFilter(
        label="Assessment of the reply", field_name="reply_assessment", choices=fixed(Assessment), empty_label="Any assessment"
    )
    implementation = django_filters.ChoiceFilter(
        label="Implementation",
        field_name="reply_implementation_status",
        choices=fixed(ImplementationStatus),
        empty_label="Any implementation status",
    )
    year = django_filters.ChoiceFilter(label="Year published", choices=[], method="filter_year", empty_label="Any year")
    sort = TieBreakingOrderingFilter(
        label="Sort by",
        fields=(
            ("deadline", "deadline"),
            ("first_reply_date", "replied"),
            ("report__title", "report"),
            ("number", "number"),
            ("progress", "progress"),
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
            "progress": "Where it stands (no reply yet first)",
            "-progress": "Where it stands (superseded first)",
        },
        empty_label="Report and number",
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def form_choices(self):
        # Choices from the data, each one small query whatever the number of rows, run only when
        # the form is drawn or that filter's value is checked, and kept (``pagecache``).
        selected = self.data.get("report") if self.data is not None else None
        return {"report": lambda: report_choices(selected=selected), "chapter": chapter_choices, "year": year_choices}

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        sorts = {param.lstrip("-") for param in data.get("sort") or () if param}
        if any(data.get(name) not in (None, "") for name in self.ANNOTATED_FILTERS) or sorts & set(self.ANNOTATED_SORTS):
            queryset = selectors.with_list_annotations(queryset, today=self.today)
        return super().filter_queryset(queryset)

    def stored_count(self):
        """A query for the number of matches when it is stored: in today's dashboard figures when
        the valid filter is one they count (``figures.stored_list_count``), in the search words'
        counts when the filter is a search alone (``search.stored_search_count``); None otherwise.
        The sort changes no count."""
        if not self.is_bound:  # no parameters at all: every recommendation
            return figures.stored_list_count(today=self.today, status=None, organisation_id=None)
        if not self.is_valid():
            return None
        data = self.form.cleaned_data
        chosen = {name for name, value in data.items() if value not in (None, "", [], ()) and name != "sort"}
        if chosen == {"q"}:
            return stored_search_count(data["q"])
        if chosen - {"status", "addressee"}:
            return None
        addressee = data.get("addressee")
        return figures.stored_list_count(today=self.today, status=data.get("status"), organisation_id=addressee.pk if addressee else None)

    def first_ids_in_list_order(self, start: int, stop: int) -> list[int] | None:
        """The ids of rows ``start:stop`` of a search shown in the list's own order (report title, number),
        looked for among the first ``SEARCH_PROBE_FACTOR`` × ``stop`` recommendations in that order
        (an index walk) rather than by sorting every match: a common word matches thousands of rows
        at 250,000, and sorting them all was most of the search's time. None when they are not all
        there (a rarer word, a later page) or another filter or sort is chosen: the page is then
        read as usual, from the search index."""
        if not (self.is_bound and self.is_valid() and self.form.cleaned_data.get("q")):
            return None
        if any(value not in (None, "", [], ()) for name, value in self.form.cleaned_data.items() if name != "q"):
            return None  # another filter thins the matches out, or another order: sort them all
        walked = stop * SEARCH_PROBE_FACTOR
        if walked > SEARCH_PROBE_MAX_ROWS:
            return None
        first = Recommendation.objects.order_by("report__title", "number").values("pk")[:walked]
        ids = list(self.qs.filter(pk__in=first).values_list("pk", flat=True)[start:stop])
        return ids if len(ids) == stop - start else None

    def filter_year(self, queryset, name, value):
        if value.startswith(UNKNOWN_YEAR_PREFIX):
            year = int(value.removeprefix(UNKNOWN_YEAR_PREFIX))
            return queryset.filter(report__in=Report.objects.published_before_in_year(year).values("pk"))
        return queryset.filter(report__published__year=int(value))

    def filter_status(self, queryset, name, value):
        return queryset.deadline_status_is(value, today=self.today)

    def filter_due_within(self, queryset, name, value):
        return queryset.due_within(int(value), today=self.today)

    def filter_q(self, queryset, name, value):
        return search_recommendations(queryset, value)

    def filter_response(self, queryset, name, value):
        if value == "awaiting":
            return queryset.awaiting_response(today=self.today)
        if value == "answered":
            return queryset.answered(today=self.today)
        return queryset
