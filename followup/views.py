"""Thin views: read ``today`` once, call a selector or a service, render."""

from __future__ import annotations

import csv
import io
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pages.figures import stored_reply_overdue_count
from pages.pagination import CappedCountPaginator
from recommendations.identifiers import recommendation_id
from recommendations.models import Organisation, Recommendation, Report
from responses.roles import STAFF_PERMISSION, role_required
from tracker.clock import today as london_today
from tracker.csvcells import csv_cell

from . import selectors, services
from .documents import chaser_docx as build_docx
from .forms import ChaserEditForm, ChaserSentForm, VerdictForm
from .history import EVENT_FIELDS, event_page, event_records
from .models import Chaser, SimilarityLink

SEND = "followup.send_chaser"


# Reports with an overdue reply, a page at a time: at 250,000 recommendations thousands are overdue.
REPORTS_PER_PAGE = 50


@role_required(STAFF_PERMISSION)
def chaser_home(request):
    today = london_today()
    last = selectors.last_chased()
    paginator = CappedCountPaginator(selectors.reports_to_chase(today=today), REPORTS_PER_PAGE)
    paginator.stored_count = lambda: stored_reply_overdue_count(today=today)  # the dashboard's figure, when stored
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page") from None
    context = {
        # The bodies (a few) on the first page, then a page of the reports.
        "bodies": selectors.chase_bodies(today=today, last=last) if page.number == 1 else [],
        "reports": selectors.report_targets(page.object_list, last=last),
        "page_obj": page,
        "paginator": paginator,
        "chasers": Chaser.objects.select_related("report", "addressee").defer("body")[:100],  # not the letters themselves
        "today": today,
    }
    return render(request, "followup/chaser_home.html", context)


@role_required(SEND)
def chaser_new(request, kind: str, key: str):
    """GET: what would be chased; POST: make the draft."""
    if kind not in ("report", "addressee"):
        raise Http404("No such kind of letter")
    today = london_today()
    try:
        draft = selectors.chase_draft(kind=kind, key=key, today=today, absolute=request.build_absolute_uri)
    except (Report.DoesNotExist, Organisation.DoesNotExist):
        raise Http404("No such report or addressee") from None
    except LookupError as nothing:
        return render(request, "followup/chaser_nothing.html", {"reason": str(nothing)}, status=404)
    if request.method == "POST":
        chaser = services.chaser_draft_create(draft=draft, today=today, user=request.user)
        messages.success(request, "Draft letter written: edit it, then record it as sent.")
        return redirect("followup:chaser-edit", chaser.pk)
    return render(request, "followup/chaser_new.html", {"draft": draft, "today": today})


def _chaser(pk: int) -> Chaser:
    try:
        return selectors.chaser_detail(pk=pk)
    except Chaser.DoesNotExist:
        raise Http404("No such letter") from None


@role_required(STAFF_PERMISSION)
def chaser_detail(request, pk: int):
    chaser = _chaser(pk)
    versions = chaser.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(request, "followup/chaser_detail.html", {"chaser": chaser, "versions": versions, "today": london_today()})


@role_required(SEND)
def chaser_edit(request, pk: int):
    chaser = _chaser(pk)
    initial = {"to_name": chaser.to_name, "subject": chaser.subject, "body": chaser.body}
    form = ChaserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.chaser_edit(chaser=chaser, user=request.user, **form.cleaned_data)
        messages.success(request, "Letter saved.")
        return redirect(chaser)
    return render(request, "followup/chaser_edit.html", {"chaser": chaser, "form": form}, status=400 if form.errors else 200)


@role_required(SEND)
def chaser_sent(request, pk: int):
    chaser = _chaser(pk)
    today = london_today()
    form = ChaserSentForm(request.POST or None, initial={"sent_on": today, "sent_to": chaser.to_name}, drafted_on=chaser.drafted_on, today=today)
    if request.method == "POST" and form.is_valid():
        services.chaser_record_sent(chaser=chaser, user=request.user, **form.cleaned_data)
        messages.success(request, f"Recorded as sent on {form.cleaned_data['sent_on']:%d %B %Y}.")
        return redirect(chaser)
    return render(request, "followup/chaser_sent.html", {"chaser": chaser, "form": form}, status=400 if form.errors else 200)


@require_POST
@role_required(SEND)
def chaser_revert(request, pk: int, history_id: int):
    chaser = _chaser(pk)
    if not chaser.history.filter(history_id=history_id).exists():
        raise Http404("No such version")
    try:
        services.chaser_revert(chaser=chaser, history_id=history_id, user=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, "Letter put back as it was in that version.")
    return redirect(chaser)


@require_POST
@role_required(SEND)
def chaser_delete(request, pk: int):
    chaser = _chaser(pk)
    try:
        services.chaser_delete(chaser=chaser, user=request.user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect(chaser)
    messages.success(request, "Draft deleted.")
    return redirect("followup:chaser-home")


@role_required(STAFF_PERMISSION)
def chaser_docx(request, pk: int):
    chaser = _chaser(pk)
    response = HttpResponse(build_docx(chaser), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{chaser.reference}.docx"'
    return response


def similar(request, kind: str, pk: int):
    """The items of other documents most like this one; editors confirm or reject a link (POST)."""
    if kind not in SimilarityLink.Kind.values:
        raise Http404("No such kind of item")
    if request.method == "POST":
        return _verdict(request, kind, pk)
    try:
        target, rows = selectors.similar_items(kind=kind, pk=pk)
    except LookupError:
        raise Http404("No such item") from None
    context = {"target": target, "rows": rows, "kind": kind, "pk": pk, "can_judge": request.user.has_perm("followup.add_similaritylink")}
    return render(request, "followup/similar.html", context)


def _verdict(request, kind: str, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("followup.add_similaritylink"):
        return HttpResponse("Your account's role does not allow this.", status=403)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return HttpResponse("The verdict could not be used: " + form.errors.as_text(), status=400, content_type="text/plain")
    data = form.cleaned_data
    services.similarity_verdict(one=(kind, pk), other=(data["other_kind"], data["other_id"]), verdict=data["verdict"], score=data["score"], user=request.user)
    messages.success(request, "Link confirmed." if data["verdict"] == "confirmed" else "Link rejected." if data["verdict"] else "Verdict withdrawn.")
    return redirect("followup:similar", kind, pk)


def _csv(rows, fields, filename):
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(fields)
        for row in rows:
            writer.writerow([csv_cell(row.get(name)) for name in fields])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


LINK_FIELDS = ["a_kind", "a_id", "b_kind", "b_id", "score", "confirmed_on"]


def links_export(request):
    """Confirmed links between items: JSON, or CSV with ``?format=csv``."""
    rows = selectors.confirmed_links()
    if request.GET.get("format") == "csv":
        return _csv(rows, LINK_FIELDS, "links.csv")
    return JsonResponse({"count": len(rows), "results": rows}, json_dumps_params={"indent": 2})


# /api/events/ (JSON) holds the events of this many recommendations a page, with "next" to the
# following page: every event of 250,000 recommendations in one answer did not come back in 8 s.
# The CSV (``?format=csv``) is still every event, streamed a chunk of recommendations at a time.
EVENTS_PAGE_SIZE = 100


def events_export(request):
    """Every recommendation's status history (the ``events`` dataset): JSON a page of recommendations
    at a time (``?after=<report slug>/<number>``, as "next" gives it), or CSV of every event with
    ``?format=csv``. "count" is the number of events on the page."""
    if request.GET.get("format") == "csv":
        return _csv(event_records(Recommendation.objects.all()), EVENT_FIELDS, f"events-{london_today():%Y-%m-%d}.csv")
    after = _after(request.GET.get("after"))
    if after is False:
        return JsonResponse({"errors": {"after": ['Give a recommendation as <report slug>/<number>, as the "next" link does.']}}, status=400)
    rows, following = event_page(Recommendation.objects.all(), after=after, size=EVENTS_PAGE_SIZE)
    next_url = None
    if following is not None:
        params = request.GET.copy()
        params["after"] = recommendation_id(*following)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    first = request.build_absolute_uri(request.path) if after is not None else None
    body = {"count": len(rows), "next": next_url, "previous": None, "first": first, "fields": EVENT_FIELDS, "results": rows}
    return JsonResponse(body, json_dumps_params={"indent": 2})


def _after(value: str | None) -> tuple[str, int] | None | bool:
    """``"<report slug>/<number>"`` as (slug, number); None when not given; False when unreadable."""
    if not value:
        return None
    match = re.fullmatch(r"([-a-zA-Z0-9_]{1,200})/([0-9]{1,9})", value)
    return (match[1], int(match[2])) if match else False


def recommendation_history(request, pk: int):
    """``/api/recommendations/<id>/history/``: one recommendation's events, oldest first."""
    queryset = Recommendation.objects.filter(pk=pk)
    if not queryset.exists():
        raise Http404("No such recommendation")
    if request.GET.get("format") == "csv":
        return _csv(event_records(queryset), EVENT_FIELDS, f"recommendation-{pk}-history.csv")
    return JsonResponse({"events": list(event_records(queryset))}, json_dumps_params={"indent": 2})
