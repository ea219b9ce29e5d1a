"""Recognise a document's family from its text, and parse it with the right parser.

Thin wrappers over the registry in ``families`` (one entry per family: detect, parse, save).
Pure functions. The highest score wins, and text that scores for no family is refused with a
message naming what was looked for.
"""

from __future__ import annotations

from . import families
from .types import ParseContext, ParsedConsultation, ParsedLetter, ParsedReport, ParseError

KINDS = families.KINDS


def kind_scores(text: str) -> dict[str, int]:
    """How strongly the text carries each family's cues (for diagnostics and ``detect_kind``)."""
    return families.scores(text)


def detect_kind(text: str) -> str:
    """The family of ``text`` (a name in ``KINDS``). Raises ``ParseError`` when none fits."""
    return families.detect(text).name


def parse_document(
    text: str, kind: str = "auto", context: ParseContext | None = None
) -> ParsedReport | ParsedLetter | ParsedConsultation:
    """Parse ``text`` as ``kind`` (or the detected kind). ``consultation`` means either consultation family."""
    if kind == "auto":
        return families.read(text, context=context)[1]
    if kind == "consultation":
        compiled = families.family_named("consultation_compilation")
        family = compiled if compiled.detect(text) else families.family_named("consultation_submission")
    else:
        family = families.family_named(kind)
    if not text.strip():
        raise ParseError("The document is empty: there is no text to read.")
    return family.parse(text, context=context)
