"""The one registry of document families: how each is recognised, read and saved.

Every family is a module with ``detect(text) -> int`` (how strongly the text carries the family's
cues; under ``THRESHOLD`` it does not) and ``parse(text, *, context) -> Parsed*`` (pure), and one
``Family`` entry in ``FAMILIES`` naming what it saves as (the saver in ``importer.services``)
and which kind of document the corpus labels call it. Adding a family is one module and one line
here. The five seed families come first and win ties; the general families read whatever the seed
families do not recognise, by structure and language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from ..types import ParseContext, ParsedLetter, ParsedReport, ParseError
from . import (
    committee_report,
    consultation_compilation,
    consultation_submission,
    recommendations_document,
    reply_document,
    report_page,
    response_letter,
)

THRESHOLD = 3  # a family's score below this does not recognise the text
# A general family outranks a layout-specific one only by this much more: where the seed layouts'
# own cues fit, their parsers (exact for those layouts) read the document.
GENERAL_HANDICAP = 3


@dataclass(frozen=True)
class Family:
    """One kind of document the importer reads."""

    name: str  # the kind, as the command line, Document.kind and the parsed dataclass's ``kind`` say it
    label: str  # in words, for forms and messages
    module: ModuleType  # detect(text) -> int, parse(text, *, context) -> Parsed*
    saves_as: str  # which saver in importer.services: "report", "letter" or "consultation"
    parsed_type: type  # the dataclass parse returns
    # the corpus label's kind (committee_report, report_page, response, consultation, other), or a function of the parse
    label_kind: str | Callable
    general: bool = False  # reads any layout (ranked after the layout-specific families: GENERAL_HANDICAP)

    def detect(self, text: str) -> int:
        return self.module.detect(text)

    def parse(self, text: str, *, context: ParseContext | None = None):
        return self.module.parse(text, context=context or ParseContext())

    def kind_of(self, parsed) -> str:
        """The kind the corpus labels would give this document."""
        return self.label_kind(parsed) if callable(self.label_kind) else self.label_kind


FAMILIES: tuple[Family, ...] = tuple(
    Family(
        name=module.NAME,
        label=module.LABEL,
        module=module,
        saves_as=module.SAVES_AS,
        parsed_type=module.PARSED,
        label_kind=module.LABEL_KIND,
        general=getattr(module, "GENERAL", False),
    )
    for module in (
        committee_report,
        report_page,
        response_letter,
        consultation_compilation,
        consultation_submission,
        reply_document,  # before recommendations_document: a reply restates recommendations, so wins a tie
        recommendations_document,
    )
)
BY_NAME: dict[str, Family] = {family.name: family for family in FAMILIES}
KINDS: tuple[str, ...] = tuple(family.name for family in FAMILIES)


def family_named(name: str) -> Family:
    try:
        return BY_NAME[name]
    except KeyError:
        raise ParseError(f"Unknown document kind {name!r}: use one of auto, {', '.join(KINDS)}.") from None


def scores(text: str) -> dict[str, int]:
    """How strongly the text carries each family's cues."""
    return {family.name: family.detect(text) for family in FAMILIES}


def what_was_looked_for() -> str:
    return "; ".join(f"{family.label} ({family.module.LOOKS_FOR})" for family in FAMILIES)


def candidates(text: str) -> list[Family]:
    """The families that recognise ``text``, best first (the first listed on a tie). Raises ``ParseError`` when none does."""
    if not text.strip():
        raise ParseError("The document is empty: there is no text to read.")
    found = scores(text)
    ranked = sorted(
        (family for family in FAMILIES if found[family.name] >= THRESHOLD),
        key=lambda family: -(found[family.name] - (GENERAL_HANDICAP if family.general else 0)),
    )
    if not ranked:
        raise ParseError(
            "Could not recognise this document: it has no recommendations or replies the importer can find. "
            f"Looked for {what_was_looked_for()}."
        )
    return ranked


def detect(text: str) -> Family:
    """The family that recognises ``text`` best. Raises ``ParseError``."""
    return candidates(text)[0]


def found_nothing(parsed) -> bool:
    """A parse with no recommendations, replies or asks in it (it read the layout, found no items)."""
    if isinstance(parsed, ParsedReport):
        return not parsed.occurrences
    if isinstance(parsed, ParsedLetter):
        return not parsed.replies and not parsed.summary_counts
    return not any(submission.asks for submission in parsed.submissions)


def read(text: str, *, context: ParseContext | None = None) -> tuple[Family, object]:
    """The first family, best first, whose parser reads ``text`` and finds something; its parse.
    A family whose cues fit but whose parser refuses or finds no items gives way to the next (an
    empty parse is kept only when no family finds more). Raises the best one's ``ParseError``."""
    first_error, empty = None, None
    for family in candidates(text):
        try:
            parsed = family.parse(text, context=context)
        except ParseError as error:
            first_error = first_error or error
            continue
        if not found_nothing(parsed):
            return family, parsed
        empty = empty or (family, parsed)
    if empty:
        return empty
    raise first_error
