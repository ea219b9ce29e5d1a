"""Reads of the audit history (django-simple-history) for the recommendation page and the revert
confirmation: who changed what, when and why, in words.

``recommendation_history`` reads a fixed number of queries however long the history is: one per
kind of record, one for the addressees' history, and at most one per kind of linked record named
in a change (letters, organisations, replies, reports).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator

from recommendations.models import Organisation, Recommendation, Report

from .models import Commitment, Response
from .services.corrections import RESTORABLE  # whose creation can be reverted, deletion restored

# Not shown as changes: a flag the services set on every edit, and the many-to-many field that
# is compared separately (simple-history would query it once per pair of versions).
HIDDEN_FIELDS = {"edited_by_admin", "addressees"}
NO_USER = "an import or command (no one signed in)"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str  # a key of services.REVERTIBLE
    what: str  # "Recommendation", "Reply of 18 August 2022", "Commitment “...”", "Report"
    action: str  # "Created", "Changed", "Deleted"
    reason: str
    history_id: int
    changes: list[Change] = field(default_factory=list)
    revertible: bool = False  # the record exists and this is not already its current version
    creation_undoable: bool = False  # a creation that can be reverted (deleting the record)
    restorable: bool = False  # the deletion of a record that is still deleted


def _who(version) -> str:
    user = version.history_user
    if user is None:
        return NO_USER
    return user.get_full_name() or user.get_username()


def _what(kind: str, version) -> str:
    if kind == "recommendation":
        return f"Recommendation {version.number}"
    if kind == "report":
        return "Report"
    if kind == "response":
        return f"Reply of {date_format(version.date_received, 'j F Y')}" if version.date_received else "Reply"
    return f"Commitment “{Truncator(version.text).words(10)}”"


class _Formatter:
    """Turns raw field values into words, looking linked records up in one query per model."""

    def __init__(self):
        self.pending: list[tuple[models.Model, str, object, object, list]] = []
        self.ids: dict[type, set] = defaultdict(set)

    def add(self, model, name: str, old, new, into: list) -> None:
        model_field = model._meta.get_field(name)
        if model_field.is_relation and model_field.many_to_one:
            self.ids[model_field.related_model].update(v for v in (old, new) if v is not None)
        self.pending.append((model, name, old, new, into))

    def add_addressees(self, old: set, new: set, into: list) -> None:
        self.ids[Organisation].update(old | new)
        self.pending.append((Recommendation, "addressees", old, new, into))

    def resolve(self) -> None:
        names = {model: {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)} for model, ids in self.ids.items() if ids}
        for model, name, old, new, into in self.pending:
            if name == "addressees":
                known = names.get(Organisation, {})
                into.append(Change("Addressed to", _listing(old, known), _listing(new, known)))
                continue
            model_field = model._meta.get_field(name)
            label = str(model_field.verbose_name)
            into.append(Change(label[:1].upper() + label[1:], _words(model_field, old, names), _words(model_field, new, names)))
        self.pending.clear()


def _listing(ids: set, names: dict) -> str:
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in ids)) or "no one"


def _words(model_field, value, names: dict) -> str:
    if value is None or value == "":
        return "(none)"
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(value, f"#{value} (deleted)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return Truncator(str(value)).chars(400)


def _entries(kind: str, versions: list, formatter: _Formatter, addressees: dict | None = None) -> list[HistoryEntry]:
    """An entry per version, each changed version diffed against the one before it."""
    by_object: dict[int, list] = defaultdict(list)
    for version in versions:
        by_object[version.id].append(version)
    entries = []
    for object_versions in by_object.values():
        object_versions.sort(key=lambda v: (v.history_date, v.history_id))
        latest = object_versions[-1]
        exists = latest.history_type != "-"
        previous = None
        for version in object_versions:
            action = {"+": "Created", "~": "Changed", "-": "Deleted"}[version.history_type]
            entry = HistoryEntry(
                when=version.history_date,
                who=_who(version),
                kind=kind,
                what=_what(kind, version),
                action=action,
                reason=version.history_change_reason or "",
                history_id=version.history_id,
                revertible=exists and version is not latest and version.history_type != "-",
                creation_undoable=kind in RESTORABLE and exists and version.history_type == "+",
                restorable=kind in RESTORABLE and not exists and version is latest,
            )
            if previous is not None and version.history_type == "~":
                model = version.instance_type
                delta = version.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
                for change in delta.changes:
                    formatter.add(model, change.field, change.old, change.new, entry.changes)
                if addressees is not None:
                    old, new = addressees.get(previous.history_id, set()), addressees.get(version.history_id, set())
                    if old != new:
                        formatter.add_addressees(old, new, entry.changes)
            entries.append(entry)
            previous = version
    return entries


def recommendation_history(recommendation: Recommendation) -> list[HistoryEntry]:
    """Every change to ``recommendation``, its report, its replies (including deleted ones) and
    their commitments, and to any missing-reply record for it: newest first."""
    formatter = _Formatter()
    rec_versions = list(Recommendation.history.filter(id=recommendation.pk).select_related("history_user"))
    addressee_history = apps.get_model("recommendations", "HistoricalRecommendation_addressees")
    addressees: dict[int, set] = defaultdict(set)
    for history_id, organisation_id in addressee_history.objects.filter(
        history_id__in=[v.history_id for v in rec_versions]
    ).values_list("history_id", "organisation_id"):
        addressees[history_id].add(organisation_id)
    report_versions = list(Report.history.filter(id=recommendation.report_id).select_related("history_user"))
    # Every version of every reply ever filed against it, so a reply moved away (or here) shows
    # its whole history on both pages.
    ever_here = Response.history.filter(recommendation_id=recommendation.pk).values("id")
    response_versions = list(Response.history.filter(id__in=ever_here).select_related("history_user"))
    commitment_versions = list(
        Commitment.history.filter(
            Q(response_id__in={v.id for v in response_versions})
            | Q(recommendation_id=recommendation.pk)
        ).select_related("history_user")
    )
    entries = (
        _entries("recommendation", rec_versions, formatter, addressees)
        + _entries("report", report_versions, formatter)
        + _entries("response", response_versions, formatter)
        + _entries("commitment", commitment_versions, formatter)
    )
    formatter.resolve()
    return sorted(entries, key=lambda e: (e.when, e.history_id), reverse=True)


def version_changes(version, current) -> list[Change]:
    """What reverting ``current`` to the historical ``version`` would change: now -> then."""
    formatter = _Formatter()
    changes: list[Change] = []
    model = version.instance_type
    then = version.instance
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if name in HIDDEN_FIELDS or name in ("id", "created_at", "updated_at"):
            continue
        old, new = model_field.value_from_object(current), model_field.value_from_object(then)
        if old != new:
            formatter.add(model, name, old, new, changes)
    if isinstance(current, Recommendation):
        old = set(current.addressees.values_list("pk", flat=True))
        new = set(version.addressees.values_list("organisation_id", flat=True))
        if old != new:
            formatter.add_addressees(old, new, changes)
    formatter.resolve()
    return changes

