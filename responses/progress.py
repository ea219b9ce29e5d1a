"""One status a person understands: where a recommendation stands, in the manner of the GAO's and
the Tasmanian Public Accounts Committee's trackers ("No reply yet", "Reply overdue", "Not
accepted", "Accepted, not started", "In progress", "Implemented", ...).

It is derived, never stored, from three facts kept apart elsewhere: whether a reply has arrived
(and, if not, whether it is overdue), the reply's stated position (what the letter says of
itself), the officer's assessment (their judgement of the words) and the implementation status
(their judgement of delivery). The latest reply received by ``today`` speaks for the
recommendation. Delivery outranks words; the officer's assessment outranks the letter's own claim;
a reply that states no position and is not yet assessed reads "Replied, not yet assessed", never
as if something had been done.

The rule is written once, as the tables below: ``progress_of`` reads them in Python and
``progress_expression`` turns them into one SQL ``CASE``, pinned together by
tests/human_status over every combination.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, StrIndex

from recommendations.deadline_rules import is_overdue
from recommendations.models import Report

from .models import Assessment, ImplementationStatus, Response, StatedPosition


class Progress(models.TextChoices):
    """Where a recommendation stands, in words a reader understands."""

    NO_REPLY_YET = "no_reply", "No reply yet"  # nothing received, nothing due yet
    REPLY_OVERDUE = "reply_overdue", "Reply overdue"  # nothing received; its deadline or the report's reply date passed
    NOT_ASSESSED = "not_assessed", "Replied, not yet assessed"  # a reply came; it states no position, nobody judged it
    NOT_ANSWERED = "not_answered", "Reply does not answer it"  # the officer found the reply does not address it
    NOTED = "noted", "Noted, nothing promised"  # describes current work, promises nothing new
    UNDER_CONSIDERATION = "under_consideration", "Under consideration"  # "will consider", no decision yet
    NOT_ACCEPTED = "not_accepted", "Not accepted"  # declined
    ACCEPTED_NOT_STARTED = "accepted_not_started", "Accepted, not started"  # agreed, nothing done yet (or not known)
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"  # closed without being done
    SUPERSEDED = "superseded", "Superseded"


# Statuses after which nothing more is expected (the calendar drops their deadlines).
CLOSED = frozenset({Progress.IMPLEMENTED, Progress.NOT_IMPLEMENTED, Progress.SUPERSEDED, Progress.NOT_ACCEPTED})

# GOV.UK tag colours (the words carry the meaning; colour only helps).
COLOURS = {
    Progress.NO_REPLY_YET: "grey",
    Progress.REPLY_OVERDUE: "red",
    Progress.NOT_ASSESSED: "grey",
    Progress.NOT_ANSWERED: "orange",
    Progress.NOTED: "yellow",
    Progress.UNDER_CONSIDERATION: "yellow",
    Progress.NOT_ACCEPTED: "red",
    Progress.ACCEPTED_NOT_STARTED: "turquoise",
    Progress.IN_PROGRESS: "blue",
    Progress.IMPLEMENTED: "green",
    Progress.NOT_IMPLEMENTED: "pink",
    Progress.SUPERSEDED: "purple",
}

# 1. Delivery, when an officer has recorded any: it outranks what the words said.
BY_IMPLEMENTATION = {
    ImplementationStatus.IMPLEMENTED: Progress.IMPLEMENTED,
    ImplementationStatus.NOT_IMPLEMENTED: Progress.NOT_IMPLEMENTED,
    ImplementationStatus.SUPERSEDED: Progress.SUPERSEDED,
    ImplementationStatus.IN_PROGRESS: Progress.IN_PROGRESS,
}
# 2. The officer's assessment of the reply, when made.
BY_ASSESSMENT = {
    Assessment.ACCEPTED: Progress.ACCEPTED_NOT_STARTED,
    Assessment.PARTIALLY_ACCEPTED: Progress.ACCEPTED_NOT_STARTED,
    Assessment.NOT_ACCEPTED: Progress.NOT_ACCEPTED,
    Assessment.NOTED: Progress.NOTED,
    Assessment.NOT_ANSWERED: Progress.NOT_ANSWERED,
}
# 3. Otherwise what the reply says of itself; a reply that says nothing is "not yet assessed".
BY_STATED_POSITION = {
    StatedPosition.ACCEPTED: Progress.ACCEPTED_NOT_STARTED,
    StatedPosition.ACCEPTED_IN_PRINCIPLE: Progress.ACCEPTED_NOT_STARTED,
    StatedPosition.PARTIALLY_ACCEPTED: Progress.ACCEPTED_NOT_STARTED,
    StatedPosition.SUPPORTED: Progress.ACCEPTED_NOT_STARTED,
    StatedPosition.UNDER_CONSIDERATION: Progress.UNDER_CONSIDERATION,
    StatedPosition.NOTED: Progress.NOTED,
    StatedPosition.NOT_ACCEPTED: Progress.NOT_ACCEPTED,
}


def reply_progress(*, stated_position: str, assessment: str, implementation_status: str) -> Progress:
    """The status a received reply gives its recommendation (pure; see the tables above)."""
    if implementation_status in BY_IMPLEMENTATION:
        return BY_IMPLEMENTATION[implementation_status]
    if assessment in BY_ASSESSMENT:
        return BY_ASSESSMENT[assessment]
    return BY_STATED_POSITION.get(stated_position, Progress.NOT_ASSESSED)


def progress_of(*, replied: bool, reply_overdue: bool, stated_position: str = "", assessment: str = "", implementation_status: str = "") -> Progress:
    """Where a recommendation stands: ``replied`` (a reply received by today), ``reply_overdue``
    (none received and one was due before today), and the latest reply's three fields."""
    if not replied:
        return Progress.REPLY_OVERDUE if reply_overdue else Progress.NO_REPLY_YET
    return reply_progress(stated_position=stated_position, assessment=assessment, implementation_status=implementation_status)


def recommendation_progress(recommendation, *, replies, today: datetime.date) -> Progress:
    """``progress_of`` for one recommendation whose ``replies`` received by ``today`` are in hand
    (oldest first): the latest speaks; with none, overdue once its own deadline or its report's
    reply due date (``Report.response_due``, the Python side of ``reply_due_before``) has passed."""
    if replies:
        latest = replies[-1]
        return reply_progress(stated_position=latest.stated_position, assessment=latest.assessment, implementation_status=latest.implementation_status)
    due = recommendation.report.response_due.date
    overdue = is_overdue(recommendation.deadline, today=today) or is_overdue(due, today=today)
    return progress_of(replied=False, reply_overdue=overdue)


def reply_progress_expression() -> Case:
    """``reply_progress`` as SQL over a ``Response`` row."""
    whens = [When(implementation_status=value, then=Value(status)) for value, status in BY_IMPLEMENTATION.items()]
    whens += [When(assessment=value, then=Value(status)) for value, status in BY_ASSESSMENT.items()]
    whens += [When(stated_position=value, then=Value(status)) for value, status in BY_STATED_POSITION.items()]
    return Case(*whens, default=Value(Progress.NOT_ASSESSED), output_field=models.CharField())


def latest_reply(today: datetime.date, recommendation_ref: str = "pk") -> models.QuerySet:
    """The latest reply to the outer recommendation received by ``today``: it speaks for it."""
    return Response.objects.filter(recommendation=OuterRef(recommendation_ref), date_received__lte=today).order_by("-date_received", "-pk")


def reply_overdue_condition(queryset: models.QuerySet, *, today: datetime.date) -> Q:
    """The condition, on recommendations without a reply, that one was due before ``today``: their own deadline passed, or their report's reply due date did
    (``ReportQuerySet.reply_due_before``, the one rule for it)."""
    return Q(deadline__lt=today) | Q(report__in=Report.objects.reply_due_before(today).values("pk"))


def progress_expression(queryset: models.QuerySet, *, today: datetime.date) -> Coalesce:
    """``progress_of`` as one SQL expression over recommendations (see ``with_progress``)."""
    from_reply = Subquery(latest_reply(today).annotate(p=reply_progress_expression()).values("p")[:1])
    without_reply = Case(
        When(reply_overdue_condition(queryset, today=today), then=Value(Progress.REPLY_OVERDUE)),
        default=Value(Progress.NO_REPLY_YET),
        output_field=models.CharField(),
    )
    return Coalesce(from_reply, without_reply, output_field=models.CharField())


# The order "Where it stands" sorts in: the statuses as the filter lists them, from no reply yet to
# done with (delivered, not delivered, superseded).
SORT_ORDER = tuple(Progress)
_SORT_KEYS = "," + ",".join(SORT_ORDER) + ","


def progress_rank(field: str = "progress") -> StrIndex:
    """Where the ``progress`` annotation comes in ``SORT_ORDER``, as a number to sort on (the same
    on SQLite and PostgreSQL: the position of ",<value>," in one string of every value in order)."""
    return StrIndex(Value(_SORT_KEYS), Concat(Value(","), F(field), Value(","), output_field=models.CharField()))


def with_progress(queryset: models.QuerySet, *, today: datetime.date) -> models.QuerySet:
    """Annotate ``progress`` (a ``Progress`` value) on recommendations, so lists filter and sort on it."""
    return queryset.annotate(progress=progress_expression(queryset, today=today))
