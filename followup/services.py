"""Writes: chaser letters (draft, edit, record as sent, revert, delete a draft) and editors'
verdicts on links between items. Each save names the user and reason in the history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from .letters import compose_letter
from .models import Chaser, SimilarityLink
from .selectors import ChaseDraft


def _save(instance, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason[:100]
    instance.full_clean()
    instance.save()


@transaction.atomic
def chaser_draft_create(*, draft: ChaseDraft, today: datetime.date, user) -> Chaser:
    """A new draft letter for ``draft``'s overdue items, written out in full for the editor to edit.
    It is linked to the items it names (at most ``CHASER_MAX_ITEMS``): those are the ones the
    recommendation's timeline, the digest's "chased on" notes, what changed and a later reminder
    show as chased; the others it only counts and links to as a list."""
    number = Chaser.objects.filter(drafted_on__year=today.year).count() + 1
    reference = f"PCC-CHASE-{today:%Y}-{number:03d}"
    while Chaser.objects.filter(reference=reference).exists():
        number += 1
        reference = f"PCC-CHASE-{today:%Y}-{number:03d}"
    subject, body = compose_letter(
        to_name=draft.to_name,
        chair=draft.chair,
        committee=draft.committee,
        about=draft.about,
        items=draft.items,
        reference=reference,
        today=today,
        more=draft.more,
        full_lists=draft.full_lists,
    )
    chaser = Chaser(
        report=draft.report,
        addressee=draft.addressee,
        reference=reference,
        to_name=draft.to_name,
        from_name=draft.chair,
        subject=subject,
        body=body,
        drafted_on=today,
        created_by=user,
    )
    _save(chaser, user=user, reason="Drafted from what is overdue")
    chaser.recommendations.set(draft.recommendations)
    chaser.commitments.set(draft.commitments)
    return chaser


@transaction.atomic
def chaser_edit(*, chaser: Chaser, to_name: str, subject: str, body: str, user) -> Chaser:
    chaser.to_name, chaser.subject, chaser.body = to_name.strip(), subject.strip(), body.strip()
    _save(chaser, user=user, reason="Edited")
    return chaser


@transaction.atomic
def chaser_record_sent(*, chaser: Chaser, sent_on: datetime.date, sent_to: str, user) -> Chaser:
    """Record the letter as sent on ``sent_on`` to ``sent_to``: from then on it shows on the
    timeline of each recommendation it chases, in the digest and in the history export."""
    chaser.status, chaser.sent_on, chaser.sent_to = Chaser.Status.SENT, sent_on, sent_to.strip()
    _save(chaser, user=user, reason=f"Recorded as sent on {sent_on:%d %b %Y}")
    return chaser


@transaction.atomic
def chaser_revert(*, chaser: Chaser, history_id: int, user) -> Chaser:
    """Put the letter back as it was in one of its versions (undo an edit, or a letter recorded
    as sent by mistake). The revert is itself a change with its own history record."""
    record = chaser.history.get(history_id=history_id)
    for name in ("to_name", "from_name", "subject", "body", "status", "sent_on", "sent_to"):
        setattr(chaser, name, getattr(record, name))
    _save(chaser, user=user, reason=f"Reverted to the version of {record.history_date:%d %b %Y %H:%M}")
    return chaser


@transaction.atomic
def chaser_delete(*, chaser: Chaser, user) -> None:
    """Delete a draft (a letter recorded as sent is history: revert it to a draft first)."""
    if chaser.status != Chaser.Status.DRAFT:
        raise ValidationError("A letter recorded as sent cannot be deleted; revert it to its draft first.")
    chaser._history_user = user
    chaser._change_reason = "Draft deleted"
    chaser.delete()


@transaction.atomic
def similarity_verdict(*, one: tuple[str, int], other: tuple[str, int], verdict: str, score: float | None, user) -> SimilarityLink | None:
    """Confirm or reject the link between two items; ``verdict=""`` withdraws an earlier verdict
    (the undo), leaving the pair a plain suggestion again."""
    (a_kind, a_id), (b_kind, b_id) = SimilarityLink.ordered(one, other)
    link = SimilarityLink.objects.filter(a_kind=a_kind, a_id=a_id, b_kind=b_kind, b_id=b_id).first()
    if not verdict:
        if link:
            link._history_user = user
            link._change_reason = "Verdict withdrawn"
            link.delete()
        return None
    link = link or SimilarityLink(a_kind=a_kind, a_id=a_id, b_kind=b_kind, b_id=b_id)
    link.verdict, link.score, link.decided_by = verdict, score, user
    _save(link, user=user, reason=f"Link {verdict}")
    return link
