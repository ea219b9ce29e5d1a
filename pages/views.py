"""Scrutiny officers' pages and the read-only JSON API. Thin: read ``today`` once, call a
selector (through a filterset for lists), render."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.db.models import F
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django_filters.views import FilterView

from recommendations.models import Document, Recommendation, Report
from responses.roles import is_staff_role
from responses.services import REVERTIBLE
from tracker.clock import today as london_today

from . import pages, selectors
from .exports import DATASETS, csv_response
from .filters import RecommendationFilter
from .pagination import SEARCH_COUNT_CAP, CappedCountPaginator


def dashboard(request):
    return render(request, "recommendations/dashboard.html", {"content": pages.dashboard_content(today=london_today())})


class TodayMixin:
    """Reads the London date once per request (``self.today``)."""

    def dispatch(self, request, *args, **kwargs):
        self.today = london_today()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=self.today, **kwargs)


class RecommendationListView(TodayMixin, FilterView):
    """The filterable, sortable, paginated list; ``?format=csv`` downloads the filtered rows."""

    filterset_class = RecommendationFilter
    template_name = "recommendations/_recommendation_list_content.html"
    paginate_by = 50
    # Counts at most 10,000 matches ("more than 10,000"): an exact count grows with the data.
    paginator_class = CappedCountPaginator

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return super().get(request, *args, **kwargs)
        # The filter form and results for this query, from the page cache until the data or the
        # date changes; the page around them (who is signed in) is drawn for each request. Only the
        # parameters the list reads are kept (and drawn into its links): others make no new copy.
        request.GET = pages.list_query(request.GET)
        status, content = pages.list_content(today=self.today, query=request.GET, build=lambda: self._content(request, *args, **kwargs))
        context = {"content": content, "invalid": status == 400}
        return render(request, "recommendations/recommendation_list.html", context, status=status)

    def _content(self, request, *args, **kwargs) -> tuple[int, str]:
        response = super().get(request, *args, **kwargs)
        return response.status_code, response.rendered_content

    def get_queryset(self):
        return selectors.recommendation_list(today=self.today, annotated=False)

    def get_paginate_by(self, queryset):
        # A download is every matching row, never a page of them.
        return None if self.request.GET.get("format") == "csv" else self.paginate_by

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # No filter, overdue, due soon, an addressee (and overdue): the count is a stored dashboard figure.
        paginator.stored_count = lambda: self.filterset.stored_count()
        # The page's ids with the filters and order, then its rows by id, where each stands
        # worked out in Python from its replies.
        paginator.rows_by_id = lambda ids: selectors.recommendation_rows(ids, today=self.today)
        # A search in the list's own order: its first matches are usually among the first rows.
        paginator.first_ids = self.filterset.first_ids_in_list_order
        if (self.request.GET.get("q") or "").strip():
            paginator.count_cap = SEARCH_COUNT_CAP
        return paginator

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "today": self.today}

    def render_to_response(self, context, **kwargs):
        invalid = self.filterset.is_bound and not self.filterset.is_valid()
        if self.request.GET.get("format") == "csv":
            if invalid:
                return filter_refused(self.filterset)
            return _recommendations_csv(self.filterset.qs, today=self.today)
        # A filter the form refused: the page shows the error summary, with 400 for machines.
        return super().render_to_response(context, status=400 if invalid else 200, **kwargs)


def filter_refused(filterset) -> HttpResponseBadRequest:
    """A download whose filter the form refused: 400, saying why, as text."""
    errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items())
    return HttpResponseBadRequest(f"The filter could not be used: {errors}\n", content_type="text/plain; charset=utf-8")


def _recommendations_csv(filtered, *, today):
    # Re-select by id so the export's own annotations and prefetching apply to exactly these rows.
    return csv_response("recommendations", Recommendation.objects.filter(pk__in=filtered.values("pk")), today=today)


def recommendation_detail(request, pk: int):
    today = london_today()
    try:
        recommendation = selectors.recommendation_detail(pk=pk, today=today)
    except Recommendation.DoesNotExist:
        raise Http404("No such recommendation") from None
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "report": recommendation.report,
            "today": today,
            "conflicts": recommendation.deadline_conflicts(),
            "timeline": selectors.recommendation_timeline(recommendation, today=today),
            "response_due": recommendation.report.response_due,
            **_staff_context(request, recommendation),
        },
    )


def _staff_context(request, recommendation: Recommendation) -> dict:
    """Staff (officers, editors) also see notes and every change, and what they may revert."""
    if not is_staff_role(request.user):
        return {"staff": None, "revertible_kinds": []}
    return {
        "staff": selectors.recommendation_staff_panel(recommendation),
        "revertible_kinds": [kind for kind, (_, perm) in REVERTIBLE.items() if request.user.has_perm(perm)],
    }


REPORTS_PER_PAGE = 50


def report_list(request):
    today = london_today()
    if request.GET.get("format") == "csv":  # every report, as the pages list them
        return csv_response("reports", Report.objects.all(), today=today)
    paginator = CappedCountPaginator(selectors.reports_with_replies(today=today), REPORTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    rows = [selectors.report_row(report, today=today) for report in page.object_list]
    return render(request, "recommendations/report_list.html", {"rows": rows, "page_obj": page, "paginator": paginator, "today": today})


def report_detail(request, slug: str):
    today = london_today()
    try:
        report, timeliness, recommendations = selectors.report_detail(slug=slug, today=today)
    except Report.DoesNotExist:
        raise Http404("No such report") from None
    return render(
        request,
        "recommendations/report_detail.html",
        {"report": report, "timeliness": timeliness, "recommendations": recommendations, "today": today},
    )


DOCUMENTS_PER_PAGE = 50


def document_list(request):
    """The imported documents, a page at a time, optionally of one kind (``?kind=``)."""
    kind = request.GET.get("kind") or ""
    context = {"kinds": Document.Kind.choices, "kind": kind}
    if kind not in ("", *Document.Kind.values):
        context["kind_error"] = "Choose a kind of document from the list"
        return render(request, "recommendations/document_list.html", context, status=400)
    paginator = CappedCountPaginator(selectors.document_list(kind=kind), DOCUMENTS_PER_PAGE)
    paginator.rows_by_id = selectors.documents_by_id
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    return render(request, "recommendations/document_list.html", {**context, "documents": page.object_list, "page_obj": page, "paginator": paginator})


def document_detail(request, pk: int):
    try:
        document = selectors.document_detail(pk=pk)
    except Document.DoesNotExist:
        raise Http404("No such document") from None
    # Consultation documents are stored without respondents' contact details (parsing/privacy.py): say so.
    redacted = document.kind in selectors.CONSULTATION_KINDS
    marks: dict[int, list[tuple[str, str, str]]] = {}  # line -> (anchor id, label, link)
    for appearance in document.appearances.all():
        rec = appearance.recommendation
        anchor = f"recommendation-{rec.number}" + ("" if appearance.section != "summary" else "-summary")
        marks.setdefault(appearance.line, []).append((anchor, f"Recommendation {rec.number}", rec.get_absolute_url()))
    for response in document.responses.all():
        if response.line:
            rec = response.recommendation
            marks.setdefault(response.line, []).append((f"reply-{rec.number}", f"Reply to recommendation {rec.number}", rec.get_absolute_url()))
    for submission in document.submissions.all():
        marks.setdefault(submission.start_line, []).append((f"submission-{submission.start_line}", submission.label, ""))
    used: set[str] = set()  # an anchor names one line: later copies of the same anchor go without
    for items in marks.values():
        for index, (anchor, label, link) in enumerate(items):
            items[index] = ("" if anchor in used else anchor, label, link)
            used.add(anchor)
    lines = [{"number": number, "text": text, "marks": marks.get(number, [])} for number, text in enumerate(document.text.splitlines(), start=1)]
    contents = sorted(((line, label, anchor) for line, items in marks.items() for anchor, label, _ in items), key=lambda item: item[0])
    return render(
        request,
        "recommendations/document_detail.html",
        {"document": document, "lines": lines, "redacted": redacted, "contents": contents},
    )


# --- Read-only JSON API: the export command's records, paginated --------------------------------

API_PAGE_SIZE = 100
# The order each dataset's records come in (as in exports.py), so pages follow one another.
API_ORDER = {
    "recommendations": ("report__slug", "number"),
    "responses": ("recommendation__report__slug", "recommendation__number", "date_received", "pk"),
    "commitments": ("document__sha256", "position"),
    "submissions": ("consultation__slug", "document__sha256", "start_line"),
    "reports": (F("published").desc(nulls_last=True), "title", "pk"),
    "consultations": ("title", "pk"),
    "asks": ("submission__consultation__slug", "submission__document__sha256", "submission__start_line", "line"),
}


def api_index(request):
    return JsonResponse(
        {name: request.build_absolute_uri(reverse("api-dataset", args=[name])) for name in DATASETS},
        json_dumps_params={"indent": 2},
    )


def api_dataset(request, dataset: str):
    """``{"count", "next", "previous", "results"}``: the same records as ``manage.py export``.

    ``/api/recommendations/`` takes the list page's filters (``?status=overdue&addressee=mopac``).
    """
    if dataset not in DATASETS:
        raise Http404("No such dataset")
    today = london_today()
    model, records, _fields = DATASETS[dataset]
    queryset = model.objects.all()
    if dataset == "recommendations":
        filterset = RecommendationFilter(request.GET, queryset=selectors.recommendation_list(today=today, annotated=False), today=today)
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        queryset = filterset.qs
    paginator = CappedCountPaginator(queryset.order_by(*API_ORDER[dataset]).values_list("pk", flat=True), API_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        return JsonResponse({"errors": {"page": ["No such page."]}}, status=404)

    def page_url(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    results = list(records(model.objects.filter(pk__in=list(page.object_list)), today=today))
    return JsonResponse(
        {
            # Exact up to 10,000; beyond that "count" is 10,000 and "count_is_capped" true.
            "count": paginator.count,
            "count_is_capped": paginator.count_is_capped,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )
