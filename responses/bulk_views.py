"""Bulk updates of assessments and implementation statuses by CSV round trip: download, edit in a
spreadsheet, upload for a preview, confirm. All or nothing: a file with any invalid row cannot be
confirmed, and the confirmation saves every change or none.

Thin: forms in, services out (``responses.services.bulk``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.clock import today as london_today

from .bulk_forms import BulkConfirmForm, BulkDownloadForm, BulkUploadForm
from .models import Assessment, ImplementationStatus
from .services.bulk import BULK_FIELDS, BulkConflict, bulk_csv_lines, bulk_preview, bulk_rows_streamed, responses_bulk_update

ASSESS_PERMISSION = "responses.assess_response"


def assessors_only(view):
    """Anonymous visitors are asked to sign in; signed-in users without the permission get 403."""
    return login_required(permission_required(ASSESS_PERMISSION, raise_exception=True)(view))


def _page(request, *, upload_form=None, preview=None, confirm_form=None, problem=None, status=200):
    context = {
        "download_form": BulkDownloadForm(request.GET or None),
        "upload_form": upload_form or BulkUploadForm(),
        "preview": preview,
        "confirm_form": confirm_form,
        "problem": problem,
        "columns": BULK_FIELDS,
        "assessments": Assessment.choices,
        "statuses": ImplementationStatus.choices,
    }
    template = "manage/bulk_preview.html" if preview is not None else "manage/bulk_start.html"
    return render(request, template, context, status=status)


@assessors_only
@require_http_methods(["GET", "POST"])
def bulk_start(request):
    """GET: the download and upload forms. POST: the uploaded file's preview (nothing written)."""
    if request.method == "GET":
        return _page(request)
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    preview = bulk_preview(csv_text=form.cleaned_data["file"])
    confirm = BulkConfirmForm.for_changes(preview.changes, user=request.user) if preview.is_valid and preview.changes else None
    return _page(request, preview=preview, confirm_form=confirm, status=200 if preview.is_valid else 400)


@assessors_only
@require_GET
def bulk_download(request):
    form = BulkDownloadForm(request.GET)
    if not form.is_valid():
        named = " ".join(form.errors.get("report_ref", []))
        return _page(request, problem=named or "There is no such report with replies: choose one from the list.", status=400)
    report_slug = form.cleaned_data["report"]
    response = StreamingHttpResponse(bulk_csv_lines(bulk_rows_streamed(report_slug=report_slug)), content_type="text/csv; charset=utf-8")
    name = f"replies-{report_slug or 'all'}-{london_today():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@assessors_only
@require_POST
def bulk_confirm(request):
    form = BulkConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, problem=" ".join(form.errors["changes"]), status=400)
    try:
        saved = responses_bulk_update(changes=form.cleaned_data["changes"], user=request.user)
    except BulkConflict as error:
        return _page(request, problem=str(error), status=409)
    except ValidationError as error:
        return _page(request, problem="Nothing was saved: " + " ".join(error.messages), status=400)
    messages.success(request, f"{saved} {'reply' if saved == 1 else 'replies'} updated.")
    return redirect("bulk-start")
