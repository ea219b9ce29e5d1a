"""Writes for the recommendations app: importing parsed documents.

``document_import`` is the one entry point. It parses first (pure, no database), then persists in
one transaction; without ``commit=True`` it rolls that transaction back, so the preview shows
exactly what a commit would write. Importing the same file twice changes nothing, and records an
admin has edited (``edited_by_admin``) are never overwritten: the result lists them as kept.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.utils.text import slugify

from recommendations.models import Document, Organisation, PendingImport, Recommendation, RecommendationAppearance, Report
from responses.models import Ask, Commitment, Consultation, Response, StatedPosition, Submission

from .parsing import families
from .parsing.addressees import CANONICAL, organisations_in, restated_addressees
from .parsing.deadlines import resolve_relative_deadline
from .parsing.items import item_deadline
from .parsing.merge import merge_occurrences
from .parsing.privacy import redact_consultation, redact_contact_details
from .parsing.replies import expand_group_replies, match_replies
from .parsing.response_letter import restated_matches
from .parsing.serialise import ReadDocument
from .parsing.text import normalise_for_comparison
from .parsing.types import (
    UNKNOWN_DATE,
    Deadline,
    DocumentDate,
    ParsedCommitment,
    ParsedConsultation,
    ParsedLetter,
    ParsedReply,
    ParsedReport,
    ParseError,
    RecommendationOccurrence,
)
from .reading import DocumentUnreadable, read_document
from .review import reply_key, reply_target, review_apply, review_matches, typed_text
from .selectors import organisation_aliases

logger = logging.getLogger(__name__)

# Below this, a letter's restatement probably is not the recommendation it is numbered as.
RESTATEMENT_MATCH_THRESHOLD = 0.5


class ImportProblem(Exception):
    """The document was read but cannot be saved as it stands (e.g. no such report)."""


class AlreadyImported(ImportProblem):
    """The very same file (same SHA-256) is in the tracker already: ``document`` is it."""

    def __init__(self, document: Document):
        self.document = document
        when = f" on {document.created_at:%d %B %Y}" if document.created_at else ""
        super().__init__(f"This file was imported already{when}, as '{document.title}'.")


@dataclass
class ReplyMatch:
    """One reply of a letter and the recommendation it answers, as an import preview shows it."""

    class How:
        MATCHED = "matched"  # by its own number, to a recommendation already in the tracker
        CORRECTED = "corrected"  # an editor matched it to another recommendation
        NEW = "new"  # no such recommendation yet: created from the letter's restatement
        SKIPPED = "skipped"  # an editor chose not to import it
        UNSAVED = "unsaved"  # no such recommendation and no restatement to create it from

    reply_number: int  # as the letter numbers it
    line: int
    restated_text: str  # the recommendation as the letter restates it ("" when it does not)
    reply_text: str
    recommendation_number: int | None  # the recommendation it answers (None: skipped or unsaved)
    recommendation_text: str  # that recommendation's own wording before this import ("" when new)
    score: float | None  # restated_matches(restatement, own wording); None when either is missing
    how: str
    commitments: list[ParsedCommitment] = field(default_factory=list)
    key: str = ""  # how a review names it (``review.reply_key``): its position in the letter, "@2"

    @property
    def poor_match(self) -> bool:
        return self.score is not None and self.score < RESTATEMENT_MATCH_THRESHOLD


@dataclass
class ImportResult:
    """What an import found and did (or, in a preview, would do)."""

    source: str
    kind: str
    title: str
    committed: bool
    lines: list[str] = field(default_factory=list)  # one per item, human-readable
    warnings: list[str] = field(default_factory=list)
    actions: collections.Counter = field(default_factory=collections.Counter)  # created/updated/unchanged/kept
    found: int = 0  # numbered items, replies or submissions found in the text
    matched: int = 0  # of those, matched to something already in the tracker
    missed: int = 0  # expected but not found (e.g. recommendations with no reply in the letter)
    # What a preview page shows beside the lines (reports and letters; empty for consultations):
    report_slug: str = ""  # the report matched, or the slug it would be created with
    report_title: str = ""
    report_created: bool = False
    document_pk: int | None = None  # the saved document; None in a preview (nothing is kept)
    replies: list[ReplyMatch] = field(default_factory=list)  # letters: each reply and its match, in order
    # letters: the report's recommendations before the import (number -> shortest wording), to correct matches
    report_recommendations: dict[int, str] = field(default_factory=dict)

    def note(self, action: str, what: str) -> None:
        self.actions[action] += 1
        self.lines.append(f"  [{action}] {what}")

    def summary(self) -> str:
        done = ", ".join(f"{count} {action}" for action, count in sorted(self.actions.items())) or "nothing"
        return (
            f"{self.source}: {self.kind}, '{self.title}': found {self.found}, matched {self.matched}, "
            f"missed {self.missed}; {done}{'' if self.committed else ' (preview: nothing written)'}"
        )


def document_import(
    *,
    data: bytes,
    source_name: str,
    kind: str = "auto",
    report_slug: str | None = None,
    reply_matches: dict[int, int | None] | None = None,
    commit: bool = False,
    read: ReadDocument | None = None,
) -> ImportResult:
    """Parse a document and save what it says; a dry run unless ``commit``.

    The document is read (text and parse) in a contained child process (``reading.read_document``)
    unless ``read`` is that reading already, as a held upload keeps it.

    ``reply_matches`` corrects a letter's matching: reply number (as the letter numbers it) ->
    the number of the recommendation it really answers, or ``None`` to leave that reply out.
    Replies not named keep their own number.

    Raises ``ParseError`` (unreadable or unrecognisable text) or ``ImportProblem`` (readable but
    not saveable); in both cases nothing is written. Nothing else: a failure the importer did not
    foresee becomes an ``ImportProblem`` saying so (and is logged for the developers).
    """
    read = read or read_document(data, name=source_name, kind=kind, aliases=organisation_aliases())
    text, parsed = read.text, read.parsed
    sha256 = hashlib.sha256(data).hexdigest()
    if reply_matches and not isinstance(parsed, ParsedLetter):
        raise ImportProblem("Only a response letter's replies can be matched to recommendations.")
    saver = _SAVERS[families.BY_NAME[parsed.kind].saves_as]
    with transaction.atomic():
        try:
            result = saver(
                parsed, text=text, sha256=sha256, source_name=source_name, report_slug=report_slug, reply_matches=reply_matches or {}
            )
        except UNFORESEEN as error:
            logger.exception("Import of %s failed unexpectedly", source_name)
            raise ImportProblem(_unforeseen(source_name, error)) from error
        result.committed = commit
        if not commit:
            result.document_pk = None  # rolled back: the row is not kept
            transaction.set_rollback(True)
    return result


# Failures of saving a parse the importer did not foresee (never a database or broker outage,
# which the commands and pages report as such): a clear message instead of a traceback.
UNFORESEEN = (ValidationError, DataError, ValueError, LookupError, TypeError, AttributeError, ArithmeticError, RecursionError)


def _unforeseen(source_name: str, error: BaseException) -> str:
    detail = "; ".join(error.messages) if isinstance(error, ValidationError) else type(error).__name__
    return (
        f"{source_name or 'The document'} was read, but what it says could not be saved ({detail}). "
        "Nothing was written; check the preview's items, or enter them by hand."
    )


# --- shared helpers --------------------------------------------------------------------------


def _save(instance, result: ImportResult, what: str, values: dict, *, created: bool) -> str:
    """Apply imported ``values`` unless an admin edited the record; validate; save. Returns the action."""
    if created:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        result.note("created", what)
        return "created"
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if not changed:
        result.note("unchanged", what)
        return "unchanged"
    if getattr(instance, "edited_by_admin", False):
        result.note("kept", f"{what}: edited by an admin, import would change {', '.join(sorted(changed))}")
        return "kept"
    for name, value in changed.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    result.note("updated", f"{what} ({', '.join(sorted(changed))})")
    return "updated"


def _unique_slug(model, base: str, *, field_name: str = "slug") -> str:
    base = slugify(base)[:180] or "item"
    slug, counter = base, 2
    while model.objects.filter(**{field_name: slug}).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _canonical_organisation(key: str) -> Organisation:
    name, kind = CANONICAL[key]
    organisation, _ = Organisation.objects.get_or_create(
        short_name=key, defaults={"name": name, "kind": kind, "slug": slugify(name)}
    )
    return organisation


def _named_organisation(name: str, kind: str) -> Organisation:
    name = name.strip()[:200]
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return Organisation.objects.create(name=name, kind=kind, slug=_unique_slug(Organisation, name))


_KIND_BY_WORD = (
    ("committee", Organisation.Kind.COMMITTEE),
    ("police", Organisation.Kind.POLICE),
    ("constab", Organisation.Kind.POLICE),
    ("government", Organisation.Kind.GOVERNMENT),
    ("ministry", Organisation.Kind.GOVERNMENT),
    ("department", Organisation.Kind.GOVERNMENT),
    ("council", Organisation.Kind.COUNCIL),
)


def _through_alias(name: str, aliases: dict[str, str]) -> str:
    """What ``name`` stands for by an alias, with or without a leading "the" ("brigade", "the brigade")."""
    key = name.replace("’", "'").casefold()
    bare = key.removeprefix("the ")
    return next((aliases[candidate] for candidate in (key, bare, f"the {bare}") if candidate in aliases), name)


def organisation_for(name: str, aliases: dict[str, str] | None = None) -> Organisation | None:
    """The organisation a document names: a key the importer knows ("Met"), else through an alias
    an editor keeps ("the brigade" -> "London Fire Brigade"), else by its name (or short name) as
    written, created when new. ``None`` for an empty name."""
    name = " ".join((name or "").split())[:200]
    if not name:
        return None
    if name not in CANONICAL:  # the seed families' keys need no look-up
        name = _through_alias(name, organisation_aliases() if aliases is None else aliases)
    if name in CANONICAL:
        return _canonical_organisation(name)
    known = Organisation.objects.filter(short_name__iexact=name).first()
    if known:
        return known
    kind = next((kind for word, kind in _KIND_BY_WORD if word in name.casefold()), Organisation.Kind.OTHER)
    return _named_organisation(name, kind)


def _committee(name: str) -> Organisation:
    """The committee a report names ("Police and Crime Committee"), matched to a known committee."""
    canonical = _canonical_organisation("Committee")
    if not name or normalise_for_comparison(name, casefold=True) in normalise_for_comparison(canonical.name, casefold=True):
        return canonical
    return _named_organisation(name, Organisation.Kind.COMMITTEE)


def _date_fields(date: DocumentDate) -> dict:
    return {"date": date.date, "date_precision": date.precision, "date_text": date.text}


def _deadline_fields(deadline: Deadline | None, prefix: str = "deadline") -> dict:
    if deadline is None:
        return {prefix if prefix != "due" else "due_date": None, f"{prefix}_text": "", f"{prefix}_precision": ""}
    return {
        prefix if prefix != "due" else "due_date": deadline.date,
        f"{prefix}_text": deadline.text,
        f"{prefix}_precision": deadline.precision,
    }


_BRACKETED = re.compile(r"\([^)]*\)")


def title_key(title: str) -> str:
    """A report title reduced for matching: case, quotes, punctuation and bracketed acronyms ignored."""
    plain = _BRACKETED.sub(" ", normalise_for_comparison(title, casefold=True))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def _find_report(title: str) -> Report | None:
    """The report a title names: the same title (ignoring case, punctuation and a bracketed
    acronym), else the one report whose title is a longer or shorter form of it. Several partial
    matches are ambiguous and match nothing: the editor then chooses the report."""
    key = title_key(title)
    if not key:
        return None
    partial = []
    for pk, report_title in Report.objects.values_list("pk", "title"):
        report_key = title_key(report_title)
        if report_key == key:
            return Report.objects.get(pk=pk)
        if report_key.startswith(key + " ") or key.startswith(report_key + " "):
            partial.append(pk)
    return Report.objects.get(pk=partial[0]) if len(partial) == 1 else None


def _document(
    *, sha256: str, source_name: str, text: str, kind: str, title: str, result: ImportResult, **fields
) -> Document:
    document = Document.objects.filter(sha256=sha256).first()
    # the uploader's file name may name someone ("jane.doe@example.org reply.txt"): kept without contact details
    values = {"kind": kind, "title": title, "source_file": redact_contact_details(source_name), "text": text, **fields}
    _save(document or Document(sha256=sha256), result, f"document '{title}'", values, created=document is None)
    return document or Document.objects.get(sha256=sha256)


# --- committee reports and report pages -------------------------------------------------------


def _import_report(parsed: ParsedReport, *, text: str, sha256: str, source_name: str, **_) -> ImportResult:
    result = ImportResult(source=source_name, kind=parsed.kind, title=parsed.title, committed=False)
    result.warnings.extend(parsed.warnings)
    committee = _committee(parsed.committee) if not parsed.form else _author(parsed.committee)
    report = _find_report(parsed.title)
    result.report_created = report is None
    report_values = {"title": parsed.title, "committee": committee}
    if parsed.chair:
        report_values["chair"] = parsed.chair
    if parsed.date.date:
        report_values.update(published=parsed.date.date, published_precision=parsed.date.precision)
    if report is None:
        report = Report(slug=_unique_slug(Report, parsed.title))
        _save(report, result, f"report '{parsed.title}'", report_values, created=True)
    else:
        # A page or a second copy may carry less than the first: never blank out what is known.
        keep = {name: value for name, value in report_values.items() if value and name != "title"}
        _save(report, result, f"report '{report.title}'", keep, created=False)

    result.report_slug, result.report_title = report.slug, report.title
    document = _document(
        sha256=sha256,
        source_name=source_name,
        text=text,
        kind=parsed.kind,
        title=parsed.title,
        result=result,
        report=report,
        author_organisation=committee,
        author_person=parsed.chair,
        **_date_fields(parsed.date),
    )
    result.document_pk = document.pk
    result.found = len({occurrence.number for occurrence in parsed.occurrences})
    existing_numbers = set(report.recommendations.values_list("number", flat=True))
    result.matched = len(existing_numbers & {occurrence.number for occurrence in parsed.occurrences})
    occurrences = [_with_relative_deadline(occurrence, report.published) for occurrence in parsed.occurrences]
    _upsert_recommendations(report, document, occurrences, result, made_in=parsed.kind in MAKES_RECOMMENDATIONS)
    return result


# Documents that make their recommendations (a page or a reply only repeats them): ``made_in``.
MAKES_RECOMMENDATIONS = {"committee_report", "recommendations_document"}


def _with_relative_deadline(occurrence: RecommendationOccurrence, published) -> RecommendationOccurrence:
    """A deadline counted from publication ("within six months") dated once the report's date is
    known, its words kept with the working ("within six months (6 months after publication of ...)")."""
    relative = getattr(occurrence, "relative_deadline", None)
    if occurrence.deadline is not None or relative is None or published is None:
        return occurrence
    deadline, working = resolve_relative_deadline(relative, published)
    text = f"{deadline.text} ({working})"[:200]
    return dataclasses.replace(occurrence, deadline=Deadline(deadline.date, text, deadline.precision))


def _deadline_words(item) -> str:
    """Timing words with no date ("immediately", "annually"), kept as words."""
    return next((words for occurrence in item.occurrences if (words := getattr(occurrence, "deadline_words", ""))), "")[:200]


def _author(name: str) -> Organisation:
    """Who made a report the general reader found: as the document names them (never assumed)."""
    return organisation_for(name) or _named_organisation("Author not stated in the document", Organisation.Kind.OTHER)


def _stored_occurrences(report: Report, *, excluding: Document) -> list[RecommendationOccurrence]:
    """Copies already in the tracker from other documents, as the parser would have given them."""
    appearances = (
        RecommendationAppearance.objects.filter(recommendation__report=report)
        .exclude(document=excluding)
        .select_related("recommendation")
        .prefetch_related("recommendation__addressees")
        .order_by("document_id", "line")
    )
    occurrences = []
    for appearance in appearances:
        deadline = None
        if appearance.deadline:
            deadline = Deadline(appearance.deadline, appearance.deadline_text, appearance.deadline_precision)
        occurrences.append(
            RecommendationOccurrence(
                number=appearance.recommendation.number,
                text=appearance.text,
                addressees=[org.short_name or org.name for org in appearance.recommendation.addressees.all()],
                chapter=appearance.recommendation.chapter if appearance.section == "chapter" else "",
                deadline=deadline,
                line=appearance.line,
                section=appearance.section,
            )
        )
    return occurrences


def _upsert_recommendations(
    report: Report,
    document: Document,
    occurrences: list[RecommendationOccurrence],
    result: ImportResult,
    *,
    made_in: bool,
) -> dict[int, Recommendation]:
    merged = merge_occurrences(_stored_occurrences(report, excluding=document) + occurrences)
    numbers = {occurrence.number for occurrence in occurrences}
    new_copies = {id(occurrence) for occurrence in occurrences}  # this document's, not stored ones
    by_number = {rec.number: rec for rec in report.recommendations.prefetch_related("addressees")}
    saved: dict[int, Recommendation] = {}
    for item in merged:
        if item.number not in numbers:
            continue
        recommendation = by_number.get(item.number)
        values = {
            "text": item.text,
            "short_text": item.short_text,
            "chapter": item.chapter,
            **_deadline_fields(item.deadline),
            **({"deadline_text": _deadline_words(item)} if item.deadline is None else {}),
        }
        if made_in:
            values["made_in"] = document
        what = f"recommendation {item.number}: to {', '.join(item.addressees) or 'nobody named'}; " + (
            f"deadline {item.deadline.date.isoformat()} ('{item.deadline.text}')" if item.deadline else "no deadline"
        )
        if item.deadline_conflicts:
            what += "; CONFLICTING DEADLINES " + "; ".join(
                f"{deadline.date.isoformat()} '{deadline.text}' ({section}, line {line})"
                for deadline, section, line in item.deadline_conflicts
            )
            result.warnings.append(
                f"Recommendation {item.number}: copies give different deadlines; all are kept and shown."
            )
        created = recommendation is None
        if created:
            recommendation = Recommendation(report=report, number=item.number)
        action = _save(recommendation, result, what, values, created=created)
        if action != "kept":
            wanted = [org for org in map(organisation_for, item.addressees) if org is not None]
            if {org.pk for org in wanted} != {org.pk for org in recommendation.addressees.all()}:
                recommendation.addressees.set(wanted)
        for occurrence in item.occurrences:
            if id(occurrence) not in new_copies:
                continue
            RecommendationAppearance.objects.update_or_create(
                document=document,
                section=occurrence.section,
                line=occurrence.line,
                defaults={
                    "recommendation": recommendation,
                    "text": occurrence.text,
                    **_deadline_fields(occurrence.deadline),
                },
            )
        saved[item.number] = recommendation
    return saved


# --- response letters -------------------------------------------------------------------------


def _restated(reply: ParsedReply, target: int, aliases: dict[str, str]) -> RecommendationOccurrence:
    """A recommendation as a reply restates it: its addressees are whoever the restatement names as
    the actor (any body, "That the government establish ...", "Fire and rescue services should ..."),
    its timing words kept when they give no date ("immediately")."""
    deadline, words, _ = item_deadline(reply.recommendation_text)
    return RecommendationOccurrence(
        number=target,
        text=reply.recommendation_text,
        addressees=restated_addressees(reply.recommendation_text, aliases=aliases),
        chapter="",
        deadline=deadline,
        line=reply.line,
        section="letter",
        deadline_words=words,
    )


def _letter_report(parsed: ParsedLetter, report_slug: str | None, result: ImportResult) -> Report:
    """The report a letter answers: the one chosen, else the one it names; created from the letter if new."""
    if report_slug:
        report = Report.objects.filter(slug=report_slug).first()
        if report is None:
            raise ImportProblem(f"There is no report with the slug '{report_slug}'.")
    else:
        report = _find_report(parsed.report_title)
    result.report_created = report is None
    if report is None:
        if not parsed.report_title:
            raise ImportProblem(
                "The letter does not say which report it answers: choose the report (--report on the command line)."
            )
        report = Report(slug=_unique_slug(Report, parsed.report_title))
        _save(report, result, f"report '{parsed.report_title}'", {"title": parsed.report_title, "committee": _committee("")}, created=True)
        result.warnings.append(
            f"The report '{parsed.report_title}' was not in the tracker: it was created from the letter, "
            "with each recommendation as the letter restates it."
        )
    return report


def _import_letter(
    parsed: ParsedLetter,
    *,
    text: str,
    sha256: str,
    source_name: str,
    report_slug: str | None,
    reply_matches: dict[int, int | None],
    **_,
) -> ImportResult:
    result = ImportResult(source=source_name, kind=parsed.kind, title="", committed=False)
    result.warnings.extend(parsed.warnings)
    result.warnings.extend(_summary_warnings(parsed.summary_counts))
    if parsed.date.date is None:
        raise ImportProblem("The letter's date could not be read, so the replies cannot be dated.")
    report = _letter_report(parsed, report_slug, result)
    result.report_slug, result.report_title = report.slug, report.title
    author_keys = organisations_in(parsed.author_role)
    respondent = _respondent(parsed, author_keys)
    result.title = title = _reply_title(parsed, report, respondent)
    recipient_keys = [key for key in organisations_in(parsed.recipient_role) if key == "Committee"] or (
        ["Committee"] if "committee" in parsed.recipient_role.lower() else []
    )
    document = _document(
        sha256=sha256,
        source_name=source_name,
        text=text,
        kind=parsed.kind,  # response_letter, or reply_document for any other reply
        title=title,
        result=result,
        report=report,
        author_organisation=respondent,
        author_person=parsed.author_name,
        author_role=parsed.author_role,
        recipient_organisation=_committee("") if recipient_keys else None,
        recipient_person=parsed.recipient_name,
        recipient_role=parsed.recipient_role,
        reference=parsed.reference,
        apologises_for_delay=parsed.apologises_for_delay,
        **_date_fields(parsed.date),
    )
    result.document_pk = document.pk
    existing = {rec.number: rec for rec in report.recommendations.all()}
    result.report_recommendations = {number: existing[number].short_text or existing[number].text for number in sorted(existing)}
    # a reply to every recommendation at once ("accepts all 12 recommendations") answers each
    replies = expand_group_replies(parsed.replies, [(number, rec.text) for number, rec in existing.items()])
    keys = _reply_keys(parsed.replies, replies)
    targets = _reply_targets(replies, keys=keys, existing=existing, reply_matches=reply_matches, report_title=report.title)
    result.found = len(replies)
    answering: list[tuple[ParsedReply, int]] = []  # (reply, the number of the recommendation it answers)
    unanswered_promises: list[ParsedCommitment] = []  # commitments in replies that could not be saved
    for reply, target, key in zip(replies, targets, keys, strict=True):
        known = existing.get(target) if target is not None else None
        score = restated_matches(reply.recommendation_text, known.text) if known and reply.recommendation_text else None
        how = _how_matched(reply, target, known)
        result.replies.append(
            ReplyMatch(
                reply_number=reply.number,
                line=reply.line,
                restated_text=reply.recommendation_text,
                reply_text=reply.text,
                recommendation_number=target if how != ReplyMatch.How.UNSAVED else None,
                recommendation_text=known.text if known else "",
                score=score,
                how=how,
                commitments=list(reply.commitments),
                key=key,
            )
        )
        if how == ReplyMatch.How.SKIPPED:
            result.note("skipped", f"reply {reply.number} (line {reply.line}): left out by the editor")
            continue
        if _reply_saved(result, reply, target=target, score=score, how=how, existing=existing, report=report):
            answering.append((reply, target))
        else:  # not saved as a reply: its promises are kept as the document's own
            unanswered_promises.extend(reply.commitments)
    aliases = organisation_aliases() if any(reply.recommendation_text for reply, _ in answering) else {}
    restated = [_restated(reply, target, aliases) for reply, target in answering if reply.recommendation_text]
    recommendations = _upsert_recommendations(report, document, restated, result, made_in=False)
    recommendations.update({number: rec for number, rec in existing.items() if number not in recommendations})
    unanswered = sorted(set(existing) - {target for _, target in answering})
    result.missed = len(unanswered)
    if result.missed:
        result.warnings.append(
            f"{result.missed} recommendation(s) of '{report.title}' have no reply in this letter: "
            + ", ".join(str(n) for n in unanswered)
        )
    position = 0
    for reply, target in answering:
        recommendation = recommendations[target]
        response = Response.objects.filter(recommendation=recommendation, letter=document).first()
        values = {
            "text": reply.text,
            "restated_text": reply.recommendation_text,
            "date_received": parsed.date.date,
            "line": reply.line,
            **_stated_position(reply),
        }
        corrected = f", the letter's reply {reply.number}" if target != reply.number else ""
        _save(
            response or Response(recommendation=recommendation, letter=document),
            result,
            f"reply to recommendation {target} ({len(reply.text.split())} words{corrected})",
            values,
            created=response is None,
        )
        response = response or Response.objects.get(recommendation=recommendation, letter=document)
        for commitment in reply.commitments:
            position += 1
            _save_commitment(document, position, commitment, response, result, f"commitment in reply {reply.number}")
    for commitment in getattr(parsed, "commitments", None) or []:  # the document's own, outside any reply
        position += 1
        _save_commitment(document, position, commitment, None, result, "commitment in the document")
    kept = {commitment.text for commitment in getattr(parsed, "commitments", None) or []}
    for commitment in unanswered_promises:
        if commitment.text in kept:
            continue  # several replies sharing one sentence ("B (7 and 8)") promise it once
        kept.add(commitment.text)
        position += 1
        _save_commitment(document, position, commitment, None, result, "commitment in a reply not matched to a recommendation")
    return result


def _save_commitment(document, position: int, commitment: ParsedCommitment, response, result: ImportResult, what: str) -> None:
    stored = Commitment.objects.filter(document=document, position=position).first()
    due = commitment.due
    words = getattr(commitment, "due_words", "") or ""
    fields = _deadline_fields(due, "due") if due or not words else {**_deadline_fields(None, "due"), "due_text": words[:200]}
    _save(
        stored or Commitment(document=document, position=position),
        result,
        f"{what}: '{_short(commitment.text)}'"
        + (f", due {due.date.isoformat()} ('{due.text}', {due.precision})" if due else (f", due '{words}' (no date)" if words else ", no due date")),
        {"response": response, "owner": organisation_for(commitment.owner), "text": commitment.text, **fields},
        created=stored is None,
    )


def _how_matched(reply: ParsedReply, target: int | None, known: Recommendation | None) -> str:
    if target is None:
        return ReplyMatch.How.SKIPPED
    if not target:  # an unnumbered reply (a topic, a group) never makes a recommendation 0
        return ReplyMatch.How.UNSAVED
    if target != reply.number:
        return ReplyMatch.How.CORRECTED
    if known is not None:
        return ReplyMatch.How.MATCHED
    return ReplyMatch.How.NEW if reply.recommendation_text else ReplyMatch.How.UNSAVED


def _reply_saved(result: ImportResult, reply: ParsedReply, *, target, score, how, existing, report) -> bool:
    """Count a matched reply and warn about a doubtful one; False for a reply that cannot be saved."""
    if target in existing:
        result.matched += 1
        if score is not None and score < RESTATEMENT_MATCH_THRESHOLD:
            result.warnings.append(
                f"Reply {reply.number}: the letter's restatement matches recommendation {target} "
                f"poorly ({score:.0%}); check the letter answers the recommendation it numbers."
                + _proposal(reply, existing, target)
            )
        return True
    if how == ReplyMatch.How.UNSAVED and not reply.number:
        what = f"The reply to '{reply.covers}'" if getattr(reply, "covers", "") else f"The reply under '{reply.topic}'" if reply.topic else "A reply"
        result.warnings.append(
            f"{what} (line {reply.line}) names no recommendation number and was not saved: "
            "match it to the recommendation it answers."
        )
        return False
    if how == ReplyMatch.How.UNSAVED:
        result.warnings.append(
            f"Reply {reply.number}: no recommendation {reply.number} in '{report.title}' and the letter "
            "does not restate it; the reply was not saved."
        )
        return False
    return True


def _proposal(reply: ParsedReply, existing: dict[int, Recommendation], target: int) -> str:
    """When a reply's restated text is another recommendation's, name it: numbers and words disagree
    (``replies.match_replies`` judges the likeness, by number and content)."""
    (proposal,) = match_replies([reply], [(number, rec.text) for number, rec in existing.items()])
    if proposal.number is None or proposal.number == target:
        return ""
    return f" Its words match recommendation {proposal.number}: match it to {proposal.number} if that is the one it answers."


def _reply_title(parsed: ParsedLetter, report: Report, respondent: Organisation | None) -> str:
    if parsed.respondent and respondent is not None:
        title = f"Response by {respondent.name} to '{report.title}'"
    else:
        title = f"Mayor's response to '{report.title}'" if "mayor" in parsed.author_role.lower() else f"Response to '{report.title}'"
    return f"{title} ({parsed.reference})" if parsed.reference else title


def _respondent(parsed: ParsedLetter, author_keys: list[str]) -> Organisation | None:
    """Who answers: the respondent the reply names (general replies), else the letter's author."""
    if parsed.respondent:
        return organisation_for(parsed.respondent)
    return _canonical_organisation(author_keys[0]) if author_keys else None


def _stated_position(reply: ParsedReply) -> dict:
    """The reply's own position ("accepts", "accepted in principle") as a ``StatedPosition`` and its words."""
    words = getattr(reply, "stated_position_text", "") or ""
    return {"stated_position": stated_position_key(getattr(reply, "stated_position", "") or words), "stated_position_text": words[:500]}


_POSITION_CUES = (  # first match wins: the negative and qualified forms before plain "accept"
    ("not accept", StatedPosition.NOT_ACCEPTED),
    ("not_accept", StatedPosition.NOT_ACCEPTED),
    ("reject", StatedPosition.NOT_ACCEPTED),
    ("in principle", StatedPosition.ACCEPTED_IN_PRINCIPLE),
    ("in_principle", StatedPosition.ACCEPTED_IN_PRINCIPLE),
    ("partial", StatedPosition.PARTIALLY_ACCEPTED),
    ("support", StatedPosition.SUPPORTED),
    ("welcome", StatedPosition.SUPPORTED),
    ("endorse", StatedPosition.SUPPORTED),
    ("consider", StatedPosition.UNDER_CONSIDERATION),
    ("further work", StatedPosition.UNDER_CONSIDERATION),
    ("note", StatedPosition.NOTED),
    ("accept", StatedPosition.ACCEPTED),
    ("agree", StatedPosition.ACCEPTED),
)


def stated_position_key(words: str) -> str:
    """A stated position in words ("does not accept", "accepted_in_principle") as a ``StatedPosition`` value."""
    plain = " ".join((words or "").casefold().split())
    return next((value for cue, value in _POSITION_CUES if cue in plain), StatedPosition.NOT_STATED)


def _summary_warnings(counts: dict) -> list[str]:
    """A reply that answers by totals ("accepts six recommendations") is told, not turned into replies."""
    told = ", ".join(
        f"{key.replace('_', ' ')}: {value}" for key, value in (counts or {}).items() if isinstance(value, (int, str)) and key != "text"
    )
    return [f"The reply states totals rather than answering each recommendation here: {told}."] if told else []


def _reply_keys(letter: list[ParsedReply], replies: list[ParsedReply]) -> list[str]:
    """Each reply's key (``review.reply_key``): its position among the letter's replies. A reply to
    every recommendation, made one per recommendation (``expand_group_replies``: copies with the
    group's line and words), is named by its position and the recommendation."""
    positions = {id(reply): position for position, reply in enumerate(letter)}
    groups: dict[tuple[int, str], int] = {}
    for position, reply in enumerate(letter):
        groups.setdefault((reply.line, reply.text), position)
    return [
        reply_key(positions[id(reply)]) if id(reply) in positions else reply_key(groups.get((reply.line, reply.text), -1), reply.number)
        for reply in replies
    ]


def _reply_targets(
    replies: list[ParsedReply],
    *,
    keys: list[str],
    existing: dict[int, Recommendation],
    reply_matches: dict[int | str, int | None],
    report_title: str,
) -> list[int | None]:
    """The number of the recommendation each reply answers: its own unless an editor corrected it
    (``None``: left out), by the reply's key ("@2") or, in older reviews and ``import_document``, its
    number. A correction must name a recommendation the report has, and must not give a
    recommendation a second reply from the same letter."""
    numbers = {reply.number for reply in replies}
    unknown = sorted(str(name) for name in reply_matches if name not in (set(keys) if isinstance(name, str) else numbers))
    if unknown:
        raise ImportProblem(f"The letter has no reply numbered {', '.join(unknown)}, so it cannot be matched.")
    targets = [reply_target(reply_matches, key, reply.number) for reply, key in zip(replies, keys, strict=True)]
    for reply, target in zip(replies, targets, strict=True):
        if target is not None and target != reply.number and target not in existing:
            raise ImportProblem(
                f"Reply {reply.number} cannot answer recommendation {target}: '{report_title}' has no recommendation {target}."
            )
    # Letters that answer one number twice keep the importer's old behaviour (the parser warns);
    # only a correction that makes two replies answer one recommendation is refused.
    for reply, target in zip(replies, targets, strict=True):
        if target is None or target == reply.number:
            continue
        others = [other.number for other, other_target in zip(replies, targets, strict=True) if other_target == target and other is not reply]
        if others:
            raise ImportProblem(
                f"Replies {reply.number} and {others[0]} would both answer recommendation {target}, and a letter "
                "answers each recommendation once: leave one out or match it to another recommendation."
            )
    return targets


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# --- consultations ----------------------------------------------------------------------------


def _import_consultation(parsed: ParsedConsultation, *, text: str, sha256: str, source_name: str, **_) -> ImportResult:
    # Respondents' contact details are removed before anything is saved (parsing/privacy.py).
    parsed, text = redact_consultation(parsed, text)
    result = ImportResult(source=source_name, kind=parsed.kind, title=parsed.title, committed=False)
    result.warnings.extend(parsed.warnings)
    consultation = Consultation.objects.filter(slug=slugify(parsed.consultation)[:200]).first()
    if consultation is None:
        consultation = Consultation.objects.create(slug=slugify(parsed.consultation)[:200], title=parsed.consultation)
        result.note("created", f"consultation '{parsed.consultation}'")
    author = None
    if parsed.kind == "consultation_submission" and parsed.submissions and parsed.submissions[0].organisation:
        first = parsed.submissions[0]
        author = _named_organisation(first.organisation, first.respondent_kind)
    document = _document(
        sha256=sha256,
        source_name=source_name,
        text=text,
        kind=parsed.kind,
        title=parsed.title,
        result=result,
        author_organisation=author,
        **_date_fields(parsed.date),
    )
    result.document_pk = document.pk
    result.found = len(parsed.submissions)
    for submission in parsed.submissions:
        organisation = (
            _named_organisation(submission.organisation, submission.respondent_kind) if submission.organisation else None
        )
        stored = Submission.objects.filter(document=document, start_line=submission.start_line).first()
        values = {
            "consultation": consultation,
            "respondent": submission.respondent,
            "organisation": organisation,
            "respondent_kind": submission.respondent_kind,
            "label": submission.label or submission.organisation or submission.respondent or "Unnamed respondent",
            "date": submission.date.date,
            "date_precision": submission.date.precision,
            "subject": submission.subject[:300],
            "text": submission.text,
            "end_line": submission.end_line,
        }
        _save(
            stored or Submission(document=document, start_line=submission.start_line),
            result,
            f"submission '{values['label']}' ({len(submission.asks)} asks)",
            values,
            created=stored is None,
        )
        stored = stored or Submission.objects.get(document=document, start_line=submission.start_line)
        for ask in submission.asks:
            existing = Ask.objects.filter(submission=stored, line=ask.line).first()
            _save(
                existing or Ask(submission=stored, line=ask.line),
                result,
                f"ask ({ask.section or 'no section'}): '{_short(ask.text)}'",
                {"number": ask.number, "section": ask.section[:300], "text": ask.text},
                created=existing is None,
            )
    return result


# Each family's saves_as (parsing/families) names one of these.
_SAVERS = {"report": _import_report, "letter": _import_letter, "consultation": _import_consultation}


# --- uploads waiting for an editor's confirmation (the import pages) -------------------------------


def _refuse_if_imported(data: bytes) -> None:
    document = Document.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
    if document is not None:
        raise AlreadyImported(document)


def pending_import_create(*, user, name: str, data: bytes, kind: str = "auto", report_slug: str = "") -> PendingImport:
    """Hold an upload until an editor confirms its preview.

    Refuses, writing nothing, a file already imported (``AlreadyImported``) and one the importer
    cannot read or save (``ParseError``, ``ImportProblem``): it is previewed once here to find out.
    The document is read once, here; the upload keeps that reading for the preview and confirmation.
    """
    _refuse_if_imported(data)
    read = read_document(data, name=name, kind=kind, aliases=organisation_aliases())
    document_import(data=data, source_name=name, kind=kind, report_slug=report_slug or None, read=read)
    pending = PendingImport(
        uploaded_by=user, name=name[:300], data=data, kind=kind, report_slug=report_slug or "", parsed=read.to_json()
    )
    pending.full_clean()
    pending.save()
    return pending


def pending_import_create_by_hand(*, user, name: str = "", data: bytes = b"") -> PendingImport:
    """Hold a report the importer found nothing in (or no document at all), for an editor to
    enter its title, committee, date and recommendations in the review (``importer.review``)."""
    if data:
        _refuse_if_imported(data)
    else:  # nothing uploaded: the typed report is its own document, one of a kind
        data = f"Entered by hand by {user.get_username()} ({uuid.uuid4()})".encode()
    read = ReadDocument(text="", parsed=ParsedReport(kind="committee_report", title="", committee="", chair="", date=UNKNOWN_DATE, occurrences=[]))
    pending = PendingImport(uploaded_by=user, name=(name or "entered by hand")[:300], data=data, kind="committee_report", parsed=read.to_json())
    pending.full_clean()
    pending.save()
    return pending


def pending_import_preview(
    *, pending: PendingImport, reply_matches: dict[int, int | None] | None = None, review: dict | None = None
) -> ImportResult:
    """What confirming would write (nothing is written), with the editor's review (``review``, else
    the one kept) applied. Raises like ``document_import``."""
    _refuse_if_imported(bytes(pending.data))
    review = pending.review if review is None else review
    return document_import(
        data=bytes(pending.data),
        source_name=pending.name,
        kind=pending.kind,
        report_slug=pending.report_slug or None,
        reply_matches=review_matches(review) if reply_matches is None else reply_matches,
        read=_reviewed_read(pending, review),
    )


def pending_import_review_save(*, pending: PendingImport, review: dict) -> PendingImport:
    """Keep the editor's corrections with the upload (they are what confirming writes)."""
    pending.review = review
    pending.full_clean()
    pending.save(update_fields=["review", "updated_at"])
    return pending


def _reviewed_read(pending: PendingImport, review: dict | None) -> ReadDocument:
    """The upload's reading with the editor's corrections applied; a report typed by hand has its
    typed recommendations as its text. Raises ``ImportProblem`` for a report still without a title."""
    read = _pending_read(pending)
    parsed = review_apply(read.parsed, review)
    if isinstance(parsed, ParsedReport) and not parsed.title.strip():
        raise ImportProblem("The report has no title yet: give its title, committee and publication date.")
    return ReadDocument(text=read.text or typed_text(parsed), parsed=parsed)


def pending_import_read(*, pending: PendingImport) -> ReadDocument:
    """The upload's one reading, as read (the review is applied by ``review.review_apply``)."""
    return _pending_read(pending)


def _pending_read(pending: PendingImport) -> ReadDocument:
    """The upload's reading as kept at upload (an upload held before readings were kept is read now, once)."""
    if pending.parsed is None:
        pending.parsed = read_document(bytes(pending.data), name=pending.name, kind=pending.kind, aliases=organisation_aliases()).to_json()
        pending.save(update_fields=["parsed", "updated_at"])
    return ReadDocument.from_json(pending.parsed)


def pending_import_report_set(*, pending: PendingImport, report_slug: str) -> PendingImport:
    """The editor's choice of the report a letter answers ("" : as the letter names it)."""
    if report_slug and not Report.objects.filter(slug=report_slug).exists():
        raise ImportProblem(f"There is no report with the slug '{report_slug}'.")
    pending.report_slug = report_slug
    pending.full_clean()
    pending.save(update_fields=["report_slug", "updated_at"])
    return pending


def pending_import_confirm(*, pending: PendingImport, reply_matches: dict[int, int | None] | None = None) -> ImportResult:
    """Import the held upload for good, with the editor's review (and corrected matches), and let it go.

    All or nothing: if the import fails the upload stays held and nothing else is written.
    """
    with transaction.atomic():
        _refuse_if_imported(bytes(pending.data))  # someone may have imported it since the preview
        result = document_import(
            data=bytes(pending.data),
            source_name=pending.name,
            kind=pending.kind,
            report_slug=pending.report_slug or None,
            reply_matches=review_matches(pending.review) if reply_matches is None else reply_matches,
            commit=True,
            read=_reviewed_read(pending, pending.review),
        )
        pending.delete()
    return result


def pending_import_abandon(*, pending: PendingImport) -> None:
    pending.delete()


# --- the manifest of sources ------------------------------------------------------------------


def sources_import(*, manifest: Path, commit: bool = False) -> list[ImportResult]:
    """Import every file the manifest lists, in its order, in one transaction (all or nothing).
    The manifest's files are the operator's own, so they are read in this process
    (``reading.read_trusted_document``); uploads always go through the contained child process."""
    import json

    from .reading import read_trusted_document

    entries = json.loads(manifest.read_text())["sources"]
    results = []
    with transaction.atomic():
        for entry in entries:
            path = manifest.parent / entry["file"]
            data, kind = path.read_bytes(), entry.get("kind", "auto")
            read = read_trusted_document(data, name=entry["file"], kind=kind, aliases=organisation_aliases())
            results.append(document_import(data=data, source_name=entry["file"], kind=kind, commit=True, read=read))
        for result in results:
            result.committed = commit
        if not commit:
            transaction.set_rollback(True)
    return results


__all__ = [
    "AlreadyImported",
    "DocumentUnreadable",
    "ImportProblem",
    "ImportResult",
    "ParseError",
    "ReplyMatch",
    "document_import",
    "pending_import_abandon",
    "pending_import_confirm",
    "pending_import_create",
    "pending_import_create_by_hand",
    "pending_import_preview",
    "pending_import_read",
    "pending_import_report_set",
    "pending_import_review_save",
    "sources_import",
    "title_key",
]
