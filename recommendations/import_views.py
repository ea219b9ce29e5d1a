"""Editors import a document (usually the Mayor's response letter) in three steps: upload it,
check the preview and correct the matches, confirm. Nothing the document says is written before
the confirmation; the upload itself waits in a ``PendingImport`` so both steps read the same bytes.

Thin: forms in, services out (``recommendations.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from .import_forms import KIND_LABELS, DocumentUploadForm, ImportCorrectionForm
from .models import PendingImport
from .services import (
    AlreadyImported,
    ImportProblem,
    ParseError,
    ReplyMatch,
    pending_import_abandon,
    pending_import_confirm,
    pending_import_create,
    pending_import_preview,
    pending_import_report_set,
)

IMPORT_PERMISSION = "recommendations.import_documents"


def editors_only(view):
    """Anonymous visitors are asked to sign in; signed-in users without the permission get 403."""
    return login_required(permission_required(IMPORT_PERMISSION, raise_exception=True)(view))


def _already_imported(error: AlreadyImported) -> str:
    return format_html(
        '{} Nothing was written. <a class="govuk-link" href="{}">See the imported document</a>.',
        str(error),
        error.document.get_absolute_url(),
    )


@editors_only
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        where = "file" if form.cleaned_data.get("file") else "text"
        try:
            pending = pending_import_create(
                user=request.user,
                name=form.cleaned_data["name"],
                data=form.cleaned_data["data"],
                kind=form.cleaned_data["kind"],
                report_slug=form.cleaned_data["report"],
            )
        except AlreadyImported as error:
            form.add_error(where, _already_imported(error))
        except (ParseError, ImportProblem) as error:
            form.add_error(where, f"{error} Nothing was written.")
        else:
            return redirect("import-preview", pk=pending.pk)
    waiting = PendingImport.objects.filter(uploaded_by=request.user).only("pk", "name", "created_at")
    return render(request, "manage/import_start.html", {"form": form, "waiting": waiting})


@editors_only
@require_http_methods(["GET", "POST"])
def import_preview(request, pk: int):
    pending = get_object_or_404(PendingImport.objects.select_related("uploaded_by"), pk=pk, uploaded_by=request.user)
    try:
        result = pending_import_preview(pending=pending)
    except AlreadyImported as error:
        return _cannot_preview(request, pending, _already_imported(error))
    except (ParseError, ImportProblem) as error:
        return _cannot_preview(request, pending, str(error))
    if request.method == "GET":
        form = _corrections(result, pending.report_slug, {})
        return _render_preview(request, pending, result, form)

    form = ImportCorrectionForm(request.POST, result=result)
    if not form.is_valid():
        return _render_preview(request, pending, result, form, status=400)
    report_slug = form.cleaned_data["report"]
    if report_slug != pending.report_slug:
        # Another report has other recommendations: match the replies afresh and show that.
        try:
            pending_import_report_set(pending=pending, report_slug=report_slug)
            result = pending_import_preview(pending=pending)
        except (ParseError, ImportProblem) as error:
            form.add_error("report", str(error))
            return _render_preview(request, pending, result, form, status=400)
        notice = "The report was changed, so the replies were matched again to its recommendations. Check them, then confirm."
        return _render_preview(request, pending, result, _corrections(result, report_slug, {}), notice=notice)

    matches = form.reply_matches()
    try:
        corrected = pending_import_preview(pending=pending, reply_matches=matches)
    except (ParseError, ImportProblem) as error:
        form.add_error(None, str(error))
        return _render_preview(request, pending, result, form, status=400)
    seen = form.cleaned_data["previewed"] == ImportCorrectionForm.fingerprint(report_slug, matches)
    if "confirm" in request.POST and seen:
        try:
            done = pending_import_confirm(pending=pending, reply_matches=matches)
        except AlreadyImported as error:
            form.add_error(None, _already_imported(error))
            return _render_preview(request, pending, corrected, form, status=400)
        except (ParseError, ImportProblem) as error:
            form.add_error(None, f"{error} Nothing was written.")
            return _render_preview(request, pending, corrected, form, status=400)
        saved = sum(1 for reply in done.replies if reply.recommendation_number is not None)
        messages.success(
            request,
            f"Imported {done.title or pending.name}"
            + (f": {saved} of {done.found} replies saved." if done.replies else ".")
        )
        if done.report_slug:
            return redirect("report-detail", slug=done.report_slug)
        return redirect("document-detail", pk=done.document_pk)
    notice = None
    if "confirm" in request.POST:
        notice = "You changed the matches since the preview, so nothing was imported yet. Check the new preview, then confirm."
    return _render_preview(request, pending, corrected, _corrections(corrected, report_slug, matches), notice=notice)


@editors_only
@require_POST
def import_abandon(request, pk: int):
    pending = get_object_or_404(PendingImport.objects.only("pk", "name"), pk=pk, uploaded_by=request.user)
    name = pending.name
    pending_import_abandon(pending=pending)
    messages.success(request, f"The upload of {name} was abandoned; nothing was imported.")
    return redirect("import-start")


def _corrections(result, report_slug: str, matches: dict) -> ImportCorrectionForm:
    """An unbound corrections form showing exactly the matches ``result`` was previewed with."""
    return ImportCorrectionForm(
        result=result,
        initial={"report": report_slug, "previewed": ImportCorrectionForm.fingerprint(report_slug, matches)},
    )


def _render_preview(request, pending, result, form, *, notice=None, status=200):
    replies, shown = [], set()
    for reply in result.replies:  # a letter answering one number twice gets one choice, on its first reply
        replies.append((reply, None if reply.reply_number in shown else form[f"reply_{reply.reply_number}"]))
        shown.add(reply.reply_number)
    context = {
        "pending": pending,
        "result": result,
        "form": form,
        "replies": replies,
        "notice": notice,
        "how": ReplyMatch.How,
        "kind_label": KIND_LABELS.get(result.kind, result.kind),
        "saved_count": sum(1 for reply in result.replies if reply.recommendation_number is not None),
        "commitment_count": sum(len(reply.commitments) for reply in result.replies if reply.recommendation_number is not None),
        "actions": sorted(result.actions.items()),
    }
    return render(request, "manage/import_preview.html", context, status=status)


def _cannot_preview(request, pending, problem: str):
    context = {"pending": pending, "problem": problem, "abandon_url": reverse("import-abandon", args=[pending.pk])}
    return render(request, "manage/import_problem.html", context, status=409)
