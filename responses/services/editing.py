"""Writes for what staff do by hand: record and assess replies, add notes, add and revise
commitments, override a report's reply due date, correct a recommendation's deadline, record a
reply promised but still missing, and revert a record to an earlier version.

Every service is keyword-only, runs in one transaction and validates with ``full_clean()`` before
saving, so a ``ValidationError`` (keyed by model field) reaches the form that called it and nothing
is half-written. Every record an admin writes is marked ``edited_by_admin``: re-importing its source
then never overwrites the correction. Each save names the user and, where there is one, the reason
in the record's history (django-simple-history), so the recommendation page can say who changed
what and why.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator, slugify

from recommendations.dates import DatePrecision
from recommendations.models import Document, Note, Organisation, Recommendation, Report

from ..models import Commitment, CommitmentRevision, Response

# Commitments entered by hand are numbered from here within their letter, clear of the positions
# the importer gives the commitments it finds (1, 2, 3, ...), so a re-import never mistakes one
# for its own.
HAND_ENTERED_POSITION_START = 1000
# simple-history keeps a change reason in 100 characters.
CHANGE_REASON_LENGTH = 100
HAND_ENTERED_SOURCE = "entered by hand"


def _words(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else "no date"


def _stamp(instance, *, user, reason: str = "") -> None:
    """Name who is saving ``instance`` and why, for its history record."""
    instance._history_user = user
    if reason:
        instance._change_reason = Truncator(reason).chars(CHANGE_REASON_LENGTH)


def _save(instance, *, user, reason: str = "", mark_edited: bool = True) -> None:
    if mark_edited and hasattr(instance, "edited_by_admin"):
        instance.edited_by_admin = True
    _stamp(instance, user=user, reason=reason)
    instance.full_clean()
    instance.save()


def _mayor() -> Organisation:
    # The same row the importer uses for "the Mayor" (keyed by its canonical short name).
    name, kind = Organisation.Kind.MAYOR.label, Organisation.Kind.MAYOR.value
    organisation, _ = Organisation.objects.get_or_create(
        short_name="Mayor", defaults={"name": name, "kind": kind, "slug": slugify(name)}
    )
    return organisation


def _next_hand_entered_position(document: Document) -> int:
    highest = Commitment.objects.filter(document=document).aggregate(m=Max("position"))["m"] or 0
    return max(highest + 1, HAND_ENTERED_POSITION_START)


def _letter_for(
    *,
    recommendation: Recommendation,
    letter: Document | None,
    letter_reference: str,
    letter_date: datetime.date | None,
    letter_title: str,
    letter_text: str,
) -> Document:
    """The chosen response letter, checked against the recommendation's report, or a new one."""
    report = recommendation.report
    if letter is not None:
        if letter.kind not in Document.REPLY_KINDS:
            raise ValidationError({"letter": f"“{letter.title}” is not a response letter."})
        if letter.report_id and letter.report_id != report.pk:
            raise ValidationError(
                {"letter": f"“{letter.title}” answers another report, not “{report.title}”. Choose the letter that answers this one."}
            )
        return letter
    letter_reference, letter_title = letter_reference.strip(), letter_title.strip()
    if not letter_reference and not letter_title:
        raise ValidationError({"letter": "Choose the letter from the list, or give a new letter's reference or title."})
    if letter_date is None:
        raise ValidationError({"letter_date": "Enter the date of the new letter."})
    if letter_reference:
        existing = Document.objects.filter(kind=Document.Kind.RESPONSE_LETTER, reference__iexact=letter_reference).first()
        if existing is not None:
            raise ValidationError(
                {"letter_reference": f"A letter with reference {letter_reference} is already in the tracker (“{existing.title}”): choose it from the list."}
            )
    title = letter_title or f"Mayor's response to '{report.title}' ({letter_reference})"
    # Hand-entered letters have no file: their SHA-256 is of what was entered, which makes the
    # same letter entered twice a duplicate, and any two different letters distinct.
    entered = "\n".join([HAND_ENTERED_SOURCE, letter_reference, letter_date.isoformat(), title, letter_text])
    sha256 = hashlib.sha256(entered.encode()).hexdigest()
    if Document.objects.filter(sha256=sha256).exists():
        raise ValidationError({"letter": "This letter is already in the tracker: choose it from the list."})
    document = Document(
        kind=Document.Kind.RESPONSE_LETTER,
        title=Truncator(title).chars(500),
        reference=letter_reference,
        date=letter_date,
        date_precision=DatePrecision.DAY,
        date_text=_words(letter_date),
        source_file=HAND_ENTERED_SOURCE,
        sha256=sha256,
        text=letter_text,
        report=report,
        author_organisation=_mayor(),
    )
    document.full_clean()
    document.save()
    return document


def missing_reply_prefix(recommendation: Recommendation) -> str:
    return f"A reply to recommendation {recommendation.number} of “{recommendation.report.title}”"


def missing_reply_commitments(recommendation: Recommendation):
    """Open or closed commitments recording that a reply to ``recommendation`` was promised."""
    return Commitment.objects.filter(recommendation=recommendation)


@transaction.atomic
def response_record(
    *,
    recommendation: Recommendation,
    text: str,
    date_received: datetime.date,
    letter: Document | None = None,
    letter_reference: str = "",
    letter_date: datetime.date | None = None,
    letter_title: str = "",
    user,
) -> Response:
    """Record one reply entered by hand, from an existing response letter or a new one.

    Refuses a reply dated before the report's publication or the letter's date, and a second
    reply to the same recommendation from the same letter. Any missing-reply commitment for the
    recommendation is closed as done: the reply has arrived.
    """
    report = recommendation.report
    if report.published and date_received < report.published:
        raise ValidationError(
            {"date_received": f"A reply cannot be received before the report was published ({_words(report.published)})."}
        )
    document = _letter_for(
        recommendation=recommendation,
        letter=letter,
        letter_reference=letter_reference,
        letter_date=letter_date or date_received,
        letter_title=letter_title,
        letter_text=text,
    )
    if document.date and document.date_precision == DatePrecision.DAY and date_received < document.date:
        raise ValidationError(
            {"date_received": f"A reply cannot be received before the letter's date ({_words(document.date)})."}
        )
    if Response.objects.filter(recommendation=recommendation, letter=document).exists():
        raise ValidationError(
            {
                "letter": f"There is already a reply to recommendation {recommendation.number} from “{document.title}”. "
                "Assess or correct that reply instead of adding another."
            }
        )
    response = Response(recommendation=recommendation, letter=document, text=text.strip(), date_received=date_received)
    _save(response, user=user, reason="Entered by hand")
    for promise in missing_reply_commitments(recommendation).filter(status=Commitment.Status.OPEN):
        promise.status = Commitment.Status.DONE
        _save(promise, user=user, reason="The promised reply was recorded")
    return response


@transaction.atomic
def reply_missing_record(
    *,
    recommendation: Recommendation,
    due_date: datetime.date,
    due_text: str = "",
    letter: Document | None = None,
    letter_reference: str = "",
    letter_date: datetime.date | None = None,
    letter_title: str = "",
    letter_words: str = "",
    user,
) -> Commitment:
    """Record that a letter promised a reply to ``recommendation`` that has not come.

    Kept as a commitment owned by the Mayor, due ``due_date``: it is listed with the other
    commitments and the daily job flags it once it is overdue.
    """
    document = _letter_for(
        recommendation=recommendation,
        letter=letter,
        letter_reference=letter_reference,
        letter_date=letter_date,
        letter_title=letter_title,
        letter_text=letter_words or f"A reply to recommendation {recommendation.number} will follow.",
    )
    if document.date and due_date < document.date:
        raise ValidationError({"due_date": f"The reply cannot be due before the letter promising it ({_words(document.date)})."})
    if missing_reply_commitments(recommendation).filter(document=document).exists():
        raise ValidationError(
            {"letter": f"A missing reply to recommendation {recommendation.number} is already recorded from “{document.title}”."}
        )
    where = f"“{document.title}”" + (f" ({document.reference})" if document.reference and document.reference not in document.title else "")
    commitment = Commitment(
        document=document,
        recommendation=recommendation,
        owner=_mayor(),
        text=f"{missing_reply_prefix(recommendation)}, promised in {where}.",
        due_date=due_date,
        due_text=due_text.strip() or _words(due_date),
        due_precision=DatePrecision.DAY,
        position=_next_hand_entered_position(document),
    )
    _save(commitment, user=user, reason="Reply promised, still missing")
    return commitment


@transaction.atomic
def response_assess(
    *,
    response: Response,
    assessment: str,
    rationale: str,
    implementation_status: str,
    evidence: str,
    user,
) -> Response:
    """Set a reply's assessment (with its rationale) and, separately judged, its implementation
    status (with the evidence that justifies closing it)."""
    response.assessment = assessment
    response.assessment_rationale = rationale.strip()
    response.implementation_status = implementation_status
    response.implementation_evidence = evidence.strip()
    _save(response, user=user, reason=f"Assessed: {response.get_assessment_display()}")
    return response


@transaction.atomic
def note_add(*, recommendation: Recommendation, text: str, author) -> Note:
    """A staff note on a recommendation (shown to signed-in staff only)."""
    note = Note(recommendation=recommendation, text=text.strip(), author=author)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def commitment_create(
    *,
    response: Response,
    text: str,
    owner: Organisation | None,
    due_date: datetime.date | None,
    due_text: str = "",
    due_precision: str = DatePrecision.DAY,
    user,
) -> Commitment:
    """Add a commitment the reply makes that the importer did not find."""
    commitment = Commitment(
        response=response,
        document=response.letter,
        owner=owner,
        text=text.strip(),
        due_date=due_date,
        due_text=(due_text.strip() or _words(due_date)) if due_date else "",
        due_precision=due_precision if due_date else "",
        position=_next_hand_entered_position(response.letter),
    )
    _save(commitment, user=user, reason="Added by hand")
    return commitment


@transaction.atomic
def commitment_revise(
    *,
    commitment: Commitment,
    due_date: datetime.date,
    due_text: str = "",
    due_precision: str = DatePrecision.DAY,
    reason: str,
    user,
) -> CommitmentRevision:
    """Move a commitment's due date, keeping the original date, the new date and the reason."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the due date changes."})
    new_text = due_text.strip() or _words(due_date)
    if due_date == commitment.due_date and new_text == commitment.due_text:
        raise ValidationError({"due_date": f"The commitment is already due on {_words(due_date)}."})
    revision = CommitmentRevision(
        commitment=commitment,
        previous_due_date=commitment.due_date,
        previous_due_text=commitment.due_text,
        new_due_date=due_date,
        new_due_text=new_text,
        reason=reason.strip(),
        revised_by=user,
    )
    revision.full_clean()
    commitment.due_date, commitment.due_text, commitment.due_precision = due_date, new_text, due_precision
    _save(commitment, user=user, reason=f"Due date revised: {reason.strip()}")
    revision.save()
    return revision


@transaction.atomic
def report_response_due_override(*, report: Report, due_date: datetime.date, reason: str, user) -> Report:
    """Set when the Mayor's reply to ``report`` is due, instead of the default rule, and why."""
    report.response_due_override = due_date
    report.response_due_override_reason = reason.strip()
    _save(report, user=user, reason=f"Reply due date set: {reason.strip()}")
    return report


@transaction.atomic
def recommendation_deadline_correct(
    *,
    recommendation: Recommendation,
    deadline: datetime.date | None,
    deadline_text: str = "",
    deadline_precision: str = DatePrecision.DAY,
    reason: str,
    user,
) -> Recommendation:
    """Correct a recommendation's deadline (``None``: it has none); the reason goes in its history."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the deadline is corrected."})
    recommendation.deadline = deadline
    recommendation.deadline_text = (deadline_text.strip() or f"by {_words(deadline)}") if deadline else ""
    recommendation.deadline_precision = deadline_precision if deadline else ""
    _save(recommendation, user=user, reason=f"Deadline corrected: {reason.strip()}")
    return recommendation


# --- Reverting to an earlier version ---------------------------------------------------------

# The records whose history the recommendation page shows, by the name used in URLs, with the
# permission an editor needs to revert each.
REVERTIBLE: dict[str, tuple[str, str]] = {
    "recommendation": ("recommendations.Recommendation", "recommendations.change_recommendation"),
    "report": ("recommendations.Report", "recommendations.change_report"),
    "response": ("responses.Response", "responses.change_response"),
    "commitment": ("responses.Commitment", "responses.change_commitment"),
}


def historical_record(*, kind: str, history_id: int):
    """The historical version ``history_id`` of a ``kind`` record (a key of ``REVERTIBLE``).

    Raises ``LookupError`` for an unknown kind and ``DoesNotExist`` for an unknown version.
    """
    model = apps.get_model(REVERTIBLE[kind][0])
    return model.history.select_related("history_user").get(history_id=history_id)


@transaction.atomic
def history_revert(*, kind: str, history_id: int, user) -> Any:
    """Put a record back as it was in one of its historical versions.

    The revert is itself a change: it is saved with its own history record (naming who reverted
    and to which version) and marks the record ``edited_by_admin``. Reverting a commitment's due
    date also keeps a ``CommitmentRevision``. Raises ``ValidationError`` if the old version is no
    longer valid (for instance, it names a reply that has since been deleted) and
    ``DoesNotExist`` if the record itself has been deleted.
    """
    record = historical_record(kind=kind, history_id=history_id)
    model = record.instance_type
    current = model.objects.select_for_update().get(pk=record.id)
    restored = record.instance
    restored._state.adding = False  # the same row, not a new one (unique checks exclude it)
    # Keep what the history does not track (timestamps) from the current row.
    restored.created_at = current.created_at
    reason = f"Reverted to the version of {record.history_date:%-d %B %Y, %H:%M}"
    if kind == "recommendation":
        addressee_ids = list(record.addressees.values_list("organisation_id", flat=True))
        # One history record for the whole revert: set the addressees without one, then save.
        current.skip_history_when_saving = True
        try:
            current.addressees.set(addressee_ids)
        finally:
            del current.skip_history_when_saving
    if kind == "commitment" and (current.due_date, current.due_text) != (restored.due_date, restored.due_text):
        CommitmentRevision.objects.create(
            commitment=current,
            previous_due_date=current.due_date,
            previous_due_text=current.due_text,
            new_due_date=restored.due_date,
            new_due_text=restored.due_text,
            reason=reason,
            revised_by=user,
        )
    _save(restored, user=user, reason=reason)
    return restored
