"""Corrections after the fact: move a reply to the recommendation it really answers, correct its
text and date, delete it; undo a record's creation and restore a deleted one; set a report's
publication date (with its source) and clear an override of the reply due date.

Like ``editing``, every service is keyword-only, runs in one transaction, validates before saving
and names the user and the reason in the record's history, so each correction can be reverted.
A deleted record keeps its last version in the history ("deleted"), from which it is restored with
the same id; undoing a creation is a deletion, so it too can be reverted.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from recommendations.dates import DatePrecision
from recommendations.models import Recommendation, Report

from ..models import Commitment, Response
from .editing import _save, _stamp, _words, historical_record, missing_reply_commitments

# The kinds of record (keys of ``editing.REVERTIBLE``) whose creation can be undone and whose
# deletion can be reverted: deleting a report or a recommendation would take its replies with it.
RESTORABLE = {"response", "commitment"}


def _reason(reason: str, *, what: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": f"Say why {what}."})
    return reason


def _close_promises(recommendation: Recommendation, *, user) -> None:
    for promise in missing_reply_commitments(recommendation).filter(status=Commitment.Status.OPEN):
        promise.status = Commitment.Status.DONE
        _save(promise, user=user, reason="The promised reply was recorded")


@transaction.atomic
def response_move(*, response: Response, recommendation: Recommendation, reason: str, user) -> Response:
    """File ``response`` against ``recommendation`` (of the same report) instead."""
    reason = _reason(reason, what="the reply is moved")
    old = response.recommendation
    if recommendation.pk == old.pk:
        raise ValidationError({"recommendation": f"The reply is already filed against recommendation {old.number}."})
    if recommendation.report_id != old.report_id:
        raise ValidationError({"recommendation": "Choose a recommendation of the same report."})
    if Response.objects.filter(recommendation=recommendation, letter_id=response.letter_id).exists():
        raise ValidationError(
            {"recommendation": f"Recommendation {recommendation.number} already has a reply from this letter: correct or delete that one first."}
        )
    response.recommendation = recommendation
    _save(response, user=user, reason=f"Moved from recommendation {old.number}: {reason}")
    _close_promises(recommendation, user=user)
    return response


@transaction.atomic
def response_correct(*, response: Response, text: str, date_received: datetime.date, reason: str, user) -> Response:
    """Correct a reply's words and the date it was received."""
    reason = _reason(reason, what="the reply is corrected")
    text = text.strip()
    if text == response.text and date_received == response.date_received:
        raise ValidationError("Nothing was changed: the reply already has these words and this date.")
    letter = response.letter
    if letter.date and letter.date_precision == DatePrecision.DAY and date_received < letter.date:
        raise ValidationError({"date_received": f"A reply cannot be received before the letter's date ({_words(letter.date)})."})
    response.text, response.date_received = text, date_received
    _save(response, user=user, reason=f"Corrected: {reason}")
    return response


def _delete(instance, *, user, reason: str) -> None:
    _stamp(instance, user=user, reason=reason)
    instance.delete()


@transaction.atomic
def response_delete(*, response: Response, reason: str, user) -> Recommendation:
    """Delete a reply (and the commitments made in it); each keeps its last version in the history."""
    reason = _reason(reason, what="the reply is deleted")
    recommendation = response.recommendation
    for commitment in response.commitments.all():
        _delete(commitment, user=user, reason=f"Its reply was deleted: {reason}")
    _delete(response, user=user, reason=f"Deleted: {reason}")
    return recommendation


def _restorable(kind: str, history_id: int):
    if kind not in RESTORABLE:
        raise ValidationError(f"A {kind}'s creation cannot be undone here, nor its deletion reverted.")
    return historical_record(kind=kind, history_id=history_id)


@transaction.atomic
def creation_undo(*, kind: str, history_id: int, reason: str, user):
    """Revert a record's creation: delete it (the deletion can itself be reverted)."""
    reason = _reason(reason, what="the record is removed")
    version = _restorable(kind, history_id)
    if version.history_type != "+":
        raise ValidationError("That version is not the record's creation.")
    record = version.instance_type.objects.select_for_update().filter(pk=version.id).first()
    if record is None:
        raise ValidationError("The record has already been deleted.")
    if kind == "response":
        return response_delete(response=record, reason=f"creation reverted, {reason}", user=user)
    _delete(record, user=user, reason=f"Creation reverted: {reason}")
    return record


@transaction.atomic
def deletion_revert(*, kind: str, history_id: int, user):
    """Put back a deleted record as it was when deleted, with its id; a reply's commitments deleted
    with it come back too."""
    version = _restorable(kind, history_id)
    if version.history_type != "-":
        raise ValidationError("That version is not the record's deletion.")
    model = version.instance_type
    if model.objects.filter(pk=version.id).exists():
        raise ValidationError("The record is there already.")
    reason = f"Restored: deletion of {version.history_date:%-d %B %Y, %H:%M} reverted"
    record = _restore(version, user=user, reason=reason)
    if kind == "response":
        for commitment_version in _deleted_commitments(record):
            _restore(commitment_version, user=user, reason=reason)
    return record


def _restore(version, *, user, reason: str):
    record = version.instance
    record._state.adding = True
    if not version.instance_type._meta.get_field("recommendation").null and not Recommendation.objects.filter(
        pk=record.recommendation_id
    ).exists():
        raise ValidationError("Its recommendation has been deleted since.")
    _save(record, user=user, reason=reason)
    return record


def _deleted_commitments(response: Response) -> list:
    """The last version of each deleted commitment that was made in ``response``."""
    latest: dict[int, object] = {}
    for version in Commitment.history.filter(response_id=response.pk).order_by("history_date", "history_id"):
        latest[version.id] = version
    gone = [v for v in latest.values() if v.history_type == "-"]
    existing = set(Commitment.objects.filter(pk__in=[v.id for v in gone]).values_list("pk", flat=True))
    return [v for v in gone if v.id not in existing]


@transaction.atomic
def report_publication_set(
    *, report: Report, published: datetime.date | None, precision: str, source: str, reason: str, user
) -> Report:
    """Set (or, with ``published=None``, forget) when ``report`` was published, how precisely that
    is known, and where the date comes from."""
    reason = _reason(reason, what="the publication date changes")
    source = " ".join(source.split())
    if published is not None:
        if precision in ("", DatePrecision.UNKNOWN):
            raise ValidationError({"published_precision": "Say how precise the publication date is."})
        if not source:
            raise ValidationError({"published_source": "Say where the date comes from, for example “the report's cover”."})
        published = _period_end(published, precision)
        _refuse_replies_before(report, published)
    report.published = published
    report.published_precision = precision if published else DatePrecision.UNKNOWN
    report.published_source = source if published else ""
    _save(report, user=user, reason=f"Publication date {'set' if published else 'removed'}: {reason}")
    return report


def _period_end(day: datetime.date, precision: str) -> datetime.date:
    """A month or a year stands for its last day (as everywhere in the tracker)."""
    if precision == DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    return day


def _refuse_replies_before(report: Report, published: datetime.date) -> None:
    first = Response.objects.filter(recommendation__report=report).order_by("date_received").first()
    if first is not None and first.date_received < published:
        raise ValidationError(
            {"published": f"A reply to this report was received on {_words(first.date_received)}: it cannot have been published after that."}
        )


@transaction.atomic
def report_response_due_override_clear(*, report: Report, reason: str, user) -> Report:
    """Forget an editor's reply due date: the default rule applies again."""
    reason = _reason(reason, what="the due date goes back to the default")
    if report.response_due_override is None:
        raise ValidationError("The reply due date is not overridden: the default rule already applies.")
    report.response_due_override = None
    report.response_due_override_reason = ""
    _save(report, user=user, reason=f"Reply due date override cleared: {reason}")
    return report
