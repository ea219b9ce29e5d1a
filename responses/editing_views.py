"""What staff do by hand, under /manage/. Thin: check the role, read the form, call a service,
redirect to the recommendation's page with a message.

A form with errors is shown again with status 400 (as the list pages do for a bad filter), with
the GOV.UK error summary and what was typed kept. Anonymous visitors are sent to sign in; a
signed-in user whose role does not allow an action gets 403.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recommendations.identifiers import could_be_slug
from recommendations.models import Recommendation, Report
from tracker.redirects import local_url

from . import services
from .editing_choices import reports_matching
from .forms import (
    CommitmentForm,
    CommitmentReviseForm,
    DeadlineCorrectForm,
    NoteForm,
    ReplyMissingForm,
    ResponseAssessForm,
    ResponseDueForm,
    ResponseRecordForm,
    RevertForm,
)
from .history import version_changes
from .models import Commitment, Response
from .roles import STAFF_PERMISSION, role_required


def _form_page(
    request,
    *,
    form,
    save: Callable[[dict], object],
    done: Callable[[object], tuple[str, str]],
    context: dict,
    template: str = "responses/manage/form.html",
):
    """Save a valid POST through ``save`` and redirect to where ``done`` says (with its message);
    otherwise show the form (400 when it has errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            url, message = done(result)
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


def _posted(request):
    """The submitted data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def _recommendation_url(recommendation: Recommendation, anchor: str = "") -> str:
    return recommendation.get_absolute_url() + (f"#{anchor}" if anchor else "")


@role_required(STAFF_PERMISSION)
def manage_home(request):
    names = set(request.user.groups.values_list("name", flat=True))
    role = "administrator" if request.user.is_superuser else ", ".join(sorted(names)).lower()
    return render(request, "responses/manage/home.html", {"role": role})


def _initial_recommendation(request) -> dict:
    pk = request.GET.get("recommendation", "")
    # Digits an id can hold (past 64 bits no row has it, and SQLite cannot even be asked).
    return {"recommendation": int(pk)} if pk.isascii() and pk.isdigit() and len(pk) <= 18 else {}


def _finding(request) -> dict:
    """The report in hand (``?report=<slug>``, whose recommendations the select lists) and the
    reports found by ``?find=<words>``: how staff reach any recommendation without a list of all."""
    slug = request.GET.get("report", "")
    report = Report.objects.filter(slug=slug).first() if could_be_slug(slug) else None
    words = request.GET.get("find", "").strip()
    return {"report": report, "find": words, "found_reports": reports_matching(words) if words else None}


@role_required("responses.add_response")
@require_http_methods(["GET", "POST"])
def response_new(request):
    finding = _finding(request)
    form = ResponseRecordForm(_posted(request), initial=_initial_recommendation(request), report=finding["report"])
    return _form_page(
        request,
        form=form,
        save=lambda data: services.response_record(**form.service_kwargs(), user=request.user),
        done=lambda response: (
            _recommendation_url(response.recommendation, "reply"),
            f"Reply to recommendation {response.recommendation.number} recorded. Assess it when you are ready.",
        ),
        context={
            "heading": "Enter a reply by hand",
            "intro": "For a reply the letter import did not find, or a letter that came by email without a file.",
            "submit_label": "Save reply",
            "back_url": reverse("manage"),
            **finding,
        },
        template="responses/manage/reply_form.html",
    )


@role_required("responses.add_commitment")
@require_http_methods(["GET", "POST"])
def reply_missing_new(request):
    finding = _finding(request)
    form = ReplyMissingForm(_posted(request), initial=_initial_recommendation(request), report=finding["report"])
    return _form_page(
        request,
        form=form,
        save=lambda data: services.reply_missing_record(**form.service_kwargs(), user=request.user),
        done=lambda commitment: (
            reverse("commitment-list"),
            f"Recorded: {commitment.text} It is listed here and flagged if it goes overdue.",
        ),
        context={
            "heading": "Record a reply promised but still missing",
            "intro": "When a letter says a reply to a recommendation will follow, record the promise: it is listed "
            "with the commitments, owned by the Mayor, and flagged when it is overdue.",
            "submit_label": "Record missing reply",
            "back_url": reverse("manage"),
            **finding,
        },
        template="responses/manage/reply_form.html",
    )


@role_required("responses.assess_response")
@require_http_methods(["GET", "POST"])
def response_assess(request, pk: int):
    response = get_object_or_404(Response.objects.select_related("recommendation__report", "letter"), pk=pk)
    initial = {
        "assessment": response.assessment,
        "rationale": response.assessment_rationale,
        "implementation_status": response.implementation_status,
        "evidence": response.implementation_evidence,
    }
    form = ResponseAssessForm(_posted(request), initial=initial)
    rec = response.recommendation
    return _form_page(
        request,
        form=form,
        save=lambda data: services.response_assess(
            response=response,
            assessment=data["assessment"],
            rationale=data["rationale"],
            implementation_status=data["implementation_status"],
            evidence=data["evidence"],
            user=request.user,
        ),
        done=lambda saved: (
            _recommendation_url(rec, "reply"),
            f"Assessment saved: {saved.get_assessment_display()}, {saved.get_implementation_status_display().lower()}.",
        ),
        context={
            "heading": "Assess the reply",
            "caption": f"{rec.report.title}: recommendation {rec.number}",
            "submit_label": "Save assessment",
            "back_url": _recommendation_url(rec, "reply"),
            "response": response,
        },
        template="responses/manage/assess.html",
    )


@role_required("recommendations.add_note")
@require_http_methods(["GET", "POST"])
def note_new(request, pk: int):
    rec = get_object_or_404(Recommendation.objects.select_related("report"), pk=pk)
    form = NoteForm(_posted(request))
    return _form_page(
        request,
        form=form,
        save=lambda data: services.note_add(recommendation=rec, text=data["text"], author=request.user),
        done=lambda note: (_recommendation_url(rec, "notes"), "Note added."),
        context={
            "heading": "Add a note",
            "caption": f"{rec.report.title}: recommendation {rec.number}",
            "submit_label": "Add note",
            "back_url": _recommendation_url(rec, "notes"),
        },
    )


@role_required("responses.add_commitment")
@require_http_methods(["GET", "POST"])
def commitment_new(request, pk: int):
    response = get_object_or_404(Response.objects.select_related("recommendation__report", "letter"), pk=pk)
    rec = response.recommendation
    form = CommitmentForm(_posted(request))
    return _form_page(
        request,
        form=form,
        save=lambda data: services.commitment_create(
            response=response,
            text=data["text"],
            owner=data["owner"],
            due_date=data["due_date"],
            due_text=data["due_text"],
            due_precision=data["due_precision"],
            user=request.user,
        ),
        done=lambda commitment: (_recommendation_url(rec, "commitments"), "Commitment added."),
        context={
            "heading": "Add a commitment",
            "caption": f"In the reply of {response.date_received:%-d %B %Y} to recommendation {rec.number}",
            "submit_label": "Add commitment",
            "back_url": _recommendation_url(rec, "commitments"),
        },
    )


@role_required("responses.change_commitment", "responses.add_commitmentrevision")
@require_http_methods(["GET", "POST"])
def commitment_revise(request, pk: int):
    commitment = get_object_or_404(
        Commitment.objects.select_related("response__recommendation__report").prefetch_related("revisions"), pk=pk
    )
    rec = commitment.response.recommendation if commitment.response else None
    back = _recommendation_url(rec, "commitments") if rec else reverse("commitment-list")
    form = CommitmentReviseForm(
        _posted(request), initial={"due_date": commitment.due_date, "due_precision": commitment.due_precision or "day"}
    )
    return _form_page(
        request,
        form=form,
        save=lambda data: services.commitment_revise(
            commitment=commitment,
            due_date=data["due_date"],
            due_text=data["due_text"],
            due_precision=data["due_precision"],
            reason=data["reason"],
            user=request.user,
        ),
        done=lambda revision: (back, f"Due date revised to {revision.new_due_date:%-d %B %Y}."),
        context={
            "heading": "Revise the due date",
            "caption": "Commitment",
            "intro": "The original date, the new date and your reason are kept and shown with the commitment.",
            "submit_label": "Revise due date",
            "back_url": back,
            "commitment": commitment,
        },
        template="responses/manage/commitment_revise.html",
    )


@role_required("recommendations.change_report")
@require_http_methods(["GET", "POST"])
def report_response_due(request, slug: str):
    report = get_object_or_404(Report, slug=slug)
    back_url = local_url(request, request.GET.get("from"), default=report.get_absolute_url())
    form = ResponseDueForm(
        _posted(request),
        initial={"due_date": report.response_due_override, "reason": report.response_due_override_reason},
    )
    return _form_page(
        request,
        form=form,
        save=lambda data: services.report_response_due_override(
            report=report, due_date=data["due_date"], reason=data["reason"], user=request.user
        ),
        done=lambda saved: (back_url, f"The Mayor's reply to “{saved.title}” is now due {saved.response_due_override:%-d %B %Y}."),
        context={
            "heading": "Change when the Mayor's reply is due",
            "caption": report.title,
            "intro": report.response_due.explanation,
            "submit_label": "Save due date",
            "back_url": back_url,
        },
    )


@role_required("recommendations.change_recommendation")
@require_http_methods(["GET", "POST"])
def recommendation_deadline(request, pk: int):
    rec = get_object_or_404(Recommendation.objects.select_related("report"), pk=pk)
    form = DeadlineCorrectForm(
        _posted(request),
        initial={"deadline": rec.deadline, "deadline_text": rec.deadline_text, "deadline_precision": rec.deadline_precision or "day"},
    )
    return _form_page(
        request,
        form=form,
        save=lambda data: services.recommendation_deadline_correct(
            recommendation=rec,
            deadline=data["deadline"],
            deadline_text=data["deadline_text"],
            deadline_precision=data["deadline_precision"],
            reason=data["reason"],
            user=request.user,
        ),
        done=lambda saved: (
            _recommendation_url(saved, "status"),
            f"Deadline corrected to {saved.deadline:%-d %B %Y}." if saved.deadline else "Deadline removed.",
        ),
        context={
            "heading": "Correct the deadline",
            "caption": f"{rec.report.title}: recommendation {rec.number}",
            "intro": "The change and your reason are kept in the recommendation's history, and a re-import will not undo it.",
            "submit_label": "Save deadline",
            "back_url": _recommendation_url(rec, "status"),
        },
    )


def history_revert(request, kind: str, history_id: int):
    """Confirm (GET) and revert (POST) a record to one of its historical versions (editors)."""
    if kind not in services.REVERTIBLE:
        raise Http404("No such kind of record")
    permission = services.REVERTIBLE[kind][1]
    return role_required(permission)(_history_revert)(request, kind=kind, history_id=history_id)


@require_http_methods(["GET", "POST"])
def _history_revert(request, *, kind: str, history_id: int):
    try:
        version = services.historical_record(kind=kind, history_id=history_id)
    except ObjectDoesNotExist:
        raise Http404("No such version") from None
    current = version.instance_type.objects.filter(pk=version.id).first()
    if current is None:
        raise Http404("The record no longer exists")
    back = _back_url(kind, current)
    form = RevertForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.history_revert(kind=kind, history_id=history_id, user=request.user)
        except ValidationError as error:
            form.add_error(None, "That version cannot be restored: " + " ".join(error.messages))
        else:
            messages.success(request, f"Reverted to the version of {version.history_date:%-d %B %Y %H:%M}.")
            return redirect(back)
    return render(
        request,
        "responses/manage/revert.html",
        {"version": version, "kind": kind, "changes": version_changes(version, current), "form": form, "back_url": back},
        status=400 if form.errors else 200,
    )


def _back_url(kind: str, record) -> str:
    """The page that shows ``record``'s history."""
    if kind == "recommendation":
        return _recommendation_url(record, "history")
    if kind == "response":
        return _recommendation_url(record.recommendation, "history")
    if kind == "commitment" and record.response_id:
        return _recommendation_url(record.response.recommendation, "history")
    if kind == "report":
        return record.get_absolute_url()
    return reverse("commitment-list")
