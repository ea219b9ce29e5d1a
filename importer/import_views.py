"""Editors import a document (usually the Mayor's response letter) in three steps: upload it,
check the preview and correct the matches, confirm. Nothing the document says is written before
the confirmation; the upload itself waits in a ``PendingImport`` so both steps read the same bytes.

Thin: forms in, services out (``importer.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from recommendations.models import PendingImport
from tracker import clock

from .import_forms import DocumentUploadForm
from .import_review_page import ReviewPage, material
from .review import ReviewInvalid
from .services import (
    AlreadyImported,
    ImportProblem,
    ParseError,
    pending_import_abandon,
    pending_import_confirm,
    pending_import_create,
    pending_import_create_by_hand,
    pending_import_preview,
    pending_import_review_save,
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
    """The review: every correction is kept with the upload (``PendingImport.review``) and is what
    confirming writes."""
    pending = get_object_or_404(PendingImport.objects.select_related("uploaded_by"), pk=pk, uploaded_by=request.user)
    today = clock.today()
    try:
        page = ReviewPage(pending, pending.review or {}, today, data=request.POST if request.method == "POST" else None)
    except AlreadyImported as error:
        return _cannot_preview(request, pending, _already_imported(error))
    if request.method == "GET":
        return page.render(request)
    if page.stale():
        fresh = ReviewPage(pending, pending.review or {}, today)
        fresh.errors.append(
            "This import was changed in another tab or window since this page was shown: these are its latest corrections."
            " Nothing you sent was kept."
        )
        return fresh.render(request, status=409)
    if not page.is_valid():
        return page.render(request, status=400)
    try:
        review, notice = page.new_review()
        result = pending_import_preview(pending=pending, review=review)
    except AlreadyImported as error:
        return _cannot_preview(request, pending, _already_imported(error))
    except (ParseError, ImportProblem, ReviewInvalid) as error:
        page.errors.append(str(error))
        return page.render(request, status=400)
    pending_import_review_save(pending=pending, review=review)
    shown = ReviewPage(pending, review, today, result=result)
    if "confirm" not in request.POST:
        return shown.render(request, notice=notice)
    if material(review) != material(page.review):
        return shown.render(request, notice=notice or page.changed_notice(review))
    shown.errors.extend(shown.blockers())
    if shown.errors:
        return shown.render(request, status=400)
    return _confirm(request, pending, shown)


def _confirm(request, pending, shown):
    try:
        done = pending_import_confirm(pending=pending)
    except (ParseError, ImportProblem, ReviewInvalid) as error:
        shown.errors.append(_already_imported(error) if isinstance(error, AlreadyImported) else f"{error} Nothing was written.")
        return shown.render(request, status=400)
    saved = sum(1 for reply in done.replies if reply.recommendation_number is not None)
    messages.success(
        request,
        f"Imported {done.title or pending.name}" + (f": {saved} of {done.found} replies saved." if done.replies else "."),
    )
    if done.report_slug:
        return redirect("report-detail", slug=done.report_slug)
    return redirect("document-detail", pk=done.document_pk)


@editors_only
@require_POST
def import_by_hand(request):
    """A report the importer found nothing in (or no document at all): entered in the review."""
    form = DocumentUploadForm(request.POST, request.FILES)
    form.is_valid()  # only to read the upload, when there is one
    data = form.cleaned_data.get("data") or b""
    try:
        pending = pending_import_create_by_hand(user=request.user, name=form.cleaned_data.get("name") or "", data=data)
    except AlreadyImported as error:
        messages.error(request, _already_imported(error))
        return redirect("import-start")
    return redirect("import-preview", pk=pending.pk)


@editors_only
@require_POST
def import_abandon(request, pk: int):
    pending = get_object_or_404(PendingImport.objects.only("pk", "name"), pk=pk, uploaded_by=request.user)
    name = pending.name
    pending_import_abandon(pending=pending)
    messages.success(request, f"The upload of {name} was abandoned; nothing was imported.")
    return redirect("import-start")


def _cannot_preview(request, pending, problem: str):
    context = {"pending": pending, "problem": problem, "abandon_url": reverse("import-abandon", args=[pending.pk])}
    return render(request, "manage/import_problem.html", context, status=409)
