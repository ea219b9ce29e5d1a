"""Corrections after the fact, under /manage/ (editors): move, correct or delete a reply, undo a
record's creation or restore a deleted one, set a report's publication date, clear an override
of its reply due date. Thin, like ``editing_views``: check the role, read the form, call a
service (``responses.services.corrections``), redirect with a message."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recommendations.models import Recommendation, Report
from tracker.redirects import local_url

from .correction_forms import PublicationForm, ReasonForm, ResponseCorrectForm, ResponseMoveForm
from .editing_views import _form_page, _posted, _recommendation_url
from .models import Response
from .roles import role_required
from .services import corrections
from .services.editing import REVERTIBLE, historical_record


def _response(pk: int) -> Response:
    return get_object_or_404(Response.objects.select_related("recommendation__report", "letter"), pk=pk)


def _reply_caption(response: Response) -> str:
    rec = response.recommendation
    return f"{rec.report.title}: the reply of {response.date_received:%-d %B %Y} to recommendation {rec.number}"


@role_required("responses.change_response")
@require_http_methods(["GET", "POST"])
def response_move(request, pk: int):
    response = _response(pk)
    old = response.recommendation
    form = ResponseMoveForm(_posted(request), response=response)
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.response_move(
            response=response, recommendation=data["recommendation"], reason=data["reason"], user=request.user
        ),
        done=lambda saved: (
            _recommendation_url(saved.recommendation, "reply"),
            f"The reply is now filed against recommendation {saved.recommendation.number} (moved from {old.number}).",
        ),
        context={
            "heading": "Move the reply to another recommendation",
            "caption": _reply_caption(response),
            "intro": "Its assessment and commitments move with it. The move and your reason are kept in the history and can be reverted.",
            "submit_label": "Move reply",
            "back_url": _recommendation_url(old, "reply"),
        },
    )


@role_required("responses.change_response")
@require_http_methods(["GET", "POST"])
def response_correct(request, pk: int):
    response = _response(pk)
    form = ResponseCorrectForm(_posted(request), initial={"text": response.text, "date_received": response.date_received})
    rec = response.recommendation
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.response_correct(
            response=response, text=data["text"], date_received=data["date_received"], reason=data["reason"], user=request.user
        ),
        done=lambda saved: (_recommendation_url(rec, "reply"), "The reply is corrected."),
        context={
            "heading": "Correct the reply",
            "caption": _reply_caption(response),
            "intro": "The correction and your reason are kept in the history and can be reverted; a re-import will not undo it.",
            "submit_label": "Save correction",
            "back_url": _recommendation_url(rec, "reply"),
        },
    )


@role_required("responses.delete_response")
@require_http_methods(["GET", "POST"])
def response_delete(request, pk: int):
    response = _response(pk)
    rec = response.recommendation
    form = ReasonForm(_posted(request), label="Why it is deleted", required_message="Say why the reply is deleted")
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.response_delete(response=response, reason=data["reason"], user=request.user),
        done=lambda saved: (_recommendation_url(saved, "history"), "The reply is deleted. The history keeps it, and it can be restored."),
        context={
            "heading": "Delete the reply?",
            "caption": _reply_caption(response),
            "intro": "The reply and the commitments made in it are removed from every page, export and digest. "
            "The history keeps them: an editor can restore them.",
            "submit_label": "Delete reply",
            "back_url": _recommendation_url(rec, "reply"),
        },
    )


def _version(kind: str, history_id: int):
    if kind not in corrections.RESTORABLE:
        raise Http404("No such kind of record")
    try:
        return historical_record(kind=kind, history_id=history_id)
    except ObjectDoesNotExist:
        raise Http404("No such version") from None


def _page_of(kind: str, version) -> str:
    """The recommendation page showing the history of the record ``version`` is of (the record,
    and a commitment's reply, may no longer exist)."""
    record = version.instance
    rec_id = record.recommendation_id
    if kind == "commitment" and rec_id is None and record.response_id:
        rec_id = Response.history.filter(id=record.response_id).values_list("recommendation_id", flat=True).last()
    recommendation = Recommendation.objects.select_related("report").filter(pk=rec_id).first()
    return _recommendation_url(recommendation, "history") if recommendation else reverse("commitment-list")


def creation_undo(request, kind: str, history_id: int):
    if kind not in corrections.RESTORABLE:
        raise Http404("No such kind of record")
    permission = REVERTIBLE[kind][1].replace(".change_", ".delete_")
    return role_required(permission)(_creation_undo)(request, kind=kind, history_id=history_id)


@require_http_methods(["GET", "POST"])
def _creation_undo(request, *, kind: str, history_id: int):
    version = _version(kind, history_id)
    back = _page_of(kind, version)
    form = ReasonForm(_posted(request), label="Why it is removed", required_message="Say why the record is removed")
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.creation_undo(kind=kind, history_id=history_id, reason=data["reason"], user=request.user),
        done=lambda record: (back, "The record's creation is reverted: it is deleted, and the history can restore it."),
        context={
            "heading": "Revert the creation: delete the record?",
            "caption": str(version.instance),
            "intro": "Reverting the creation deletes the record (for a reply, with the commitments made in it). "
            "The deletion is kept in the history and can itself be reverted.",
            "submit_label": "Delete record",
            "back_url": back,
        },
    )


def deletion_revert(request, kind: str, history_id: int):
    if kind not in corrections.RESTORABLE:
        raise Http404("No such kind of record")
    permission = REVERTIBLE[kind][1]
    return role_required(permission)(_deletion_revert)(request, kind=kind, history_id=history_id)


@require_http_methods(["GET", "POST"])
def _deletion_revert(request, *, kind: str, history_id: int):
    version = _version(kind, history_id)
    back = _page_of(kind, version)
    form = ReasonForm(_posted(request), label="Why it is restored", required_message="Say why the record is restored")
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.deletion_revert(kind=kind, history_id=history_id, user=request.user),
        done=lambda record: (back, "The record is restored as it was when deleted."),
        context={
            "heading": "Restore the deleted record?",
            "caption": str(version.instance),
            "intro": f"It comes back as it was when deleted on {version.history_date:%-d %B %Y %H:%M}.",
            "submit_label": "Restore record",
            "back_url": back,
        },
    )


@role_required("recommendations.change_report")
@require_http_methods(["GET", "POST"])
def report_publication(request, slug: str):
    report = get_object_or_404(Report, slug=slug)
    back_url = local_url(request, request.GET.get("from"), default=report.get_absolute_url())
    initial = {
        "published": report.published,
        "published_precision": report.published_precision if report.published else "day",
        "published_source": report.published_source,
    }
    form = PublicationForm(_posted(request), initial=initial)
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.report_publication_set(
            report=report,
            published=data["published"],
            precision=data["published_precision"],
            source=data["published_source"],
            reason=data["reason"],
            user=request.user,
        ),
        done=lambda saved: (back_url, _published_message(saved)),
        context={
            "heading": "Set when the report was published",
            "caption": report.title,
            "intro": "The Mayor's reply is due a set time after publication, unless that date is overridden.",
            "submit_label": "Save publication date",
            "back_url": back_url,
        },
    )


def _published_message(report: Report) -> str:
    if report.published is None:
        return f"“{report.title}”: the publication date is now recorded as not known."
    return f"“{report.title}” was published {report.published:%-d %B %Y} ({report.published_source})."


@role_required("recommendations.change_report")
@require_http_methods(["GET", "POST"])
def report_response_due_clear(request, slug: str):
    report = get_object_or_404(Report, slug=slug)
    back_url = local_url(request, request.GET.get("from"), default=report.get_absolute_url())
    form = ReasonForm(_posted(request), label="Why the default applies again", required_message="Say why the override is cleared")
    override = f"{report.response_due_override:%-d %B %Y}" if report.response_due_override else "not overridden"
    return _form_page(
        request,
        form=form,
        save=lambda data: corrections.report_response_due_override_clear(report=report, reason=data["reason"], user=request.user),
        done=lambda saved: (back_url, f"The override is cleared. {saved.response_due.explanation}"),
        context={
            "heading": "Clear the reply due date override?",
            "caption": report.title,
            "intro": f"The reply due date set by an editor ({override}) is forgotten and the default rule applies again.",
            "submit_label": "Clear override",
            "back_url": back_url,
        },
    )
