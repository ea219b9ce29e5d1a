"""Any document that makes recommendations, in whatever layout it comes: a committee's report,
page or letter, select committee conclusions, an inspection's recommendations and areas for
improvement, an inquiry's or a coroner's report. Items are found by ``items.extract_items``
(headings, labels, numbered and bulleted lists, prose asks, lead-ins)."""

from __future__ import annotations

import re

from ..types import ParseContext, ParsedReport, ParseError
from ..vocabulary import DECISION_LEAD_WORDS, MOTION_WORDS, words_pattern
from . import _document_head

NAME = "recommendations_document"
LABEL = "report making recommendations"
LOOKS_FOR = (
    "recommendations: 'Recommendation N' headings or labels, numbered or bulleted asks, 'should'/'must' sentences, "
    "'we recommend', 'calls on'"
)
GENERAL = True  # any layout: ranked after the seed layouts' own families
SAVES_AS = "report"
PARSED = ParsedReport

# What the document is, in the corpus labels' words, read from its language (first match wins).
_FORMS = (
    ("committee_report", re.compile(r"^\W*conclusions and recommendations\b|\(paragraphs? \d+", re.I | re.M)),
    ("consultation", re.compile(
        r"\b(?:(?<!\bin\s)consultation(?!\s+with\b)|written evidence|call for evidence|evidence submitted|submission to|"
        r"draft\s+(?:[\w’']+\s+){0,4}(?:plan|strategy|guidance|bill))\b",
        re.I,
    )),
    ("report_page", re.compile(r"\b(?:london assembly|assembly member|publication type)\b", re.I)),
    ("other", re.compile(
        r"\b(?:inspectorate|inspection|HMICFRS|HMIC|IOPC|inquiry|coroner|prevention of future deaths|areas? for improvement|"
        r"cause of concern|secretary of state|home secretary)\b",
        re.I,
    )),
)


# A record of a meeting's decision: a lead-in line "RESOLVED – That", "Resolved:", or a motion moved and seconded.
_DECISION_RECORD = re.compile(
    r"^\W*" + words_pattern(DECISION_LEAD_WORDS) + r"\b\s*(?:[:–—-]|that\b)|"
    rf"\b{MOTION_WORDS[0]}\b[^.\n]{{0,120}}\b{MOTION_WORDS[1]}\b",
    re.I | re.M,
)


def LABEL_KIND(parsed: ParsedReport) -> str:  # noqa: N802 - the registry reads it as a constant or a function
    return parsed.form or "report_page"


def form_of(text: str, occurrences=()) -> str:
    """What the document is: parliamentary conclusions, a consultation response or evidence, an
    Assembly page, an inspectorate's, inquiry's or minister's document, else a report page. A paper
    whose every item is its own resolution ("That the Committee notes ...") is a committee paper, and
    minutes recording a meeting's resolution or a motion moved and seconded are a record: other."""
    if occurrences and all(_is_resolution(occurrence.text) for occurrence in occurrences):
        return "other"
    if _DECISION_RECORD.search(text):  # minutes: the meeting's own resolution or motion
        return "other"
    return next((form for form, cues in _FORMS if cues.search(text)), "report_page")


def _is_resolution(text: str) -> bool:
    from ..items import is_resolution

    return is_resolution(text)


def _items(text: str, context: ParseContext | None = None):
    try:
        from ..items import extract_items
    except ImportError:  # items.py not written yet
        return None
    return extract_items(text, aliases=(context.aliases if context else None))


def detect(text: str) -> int:
    """Items the text marks (labels, numbers, bullets under a heading) count one each; asks read from
    prose alone count half (rounded up), as any reply also holds "should" sentences."""
    found = _items(text)
    if found is None or not found.occurrences:
        return 0
    marked = {occurrence.number for occurrence in found.occurrences if occurrence.label != "(prose)"}
    prose = len({occurrence.number for occurrence in found.occurrences} - marked)
    return 2 + min(len(marked) + (prose + 1) // 2, 6)


def parse(text: str, *, context: ParseContext) -> ParsedReport:
    found = _items(text, context)
    if found is None or not found.occurrences:
        looked_for = getattr(found, "looked_for", "") or LOOKS_FOR
        raise ParseError(f"No recommendations were found in this document. Looked for {looked_for}.")
    return ParsedReport(
        kind=NAME,
        title=_document_head.title_of(text),
        committee=_document_head.author_of(text),
        chair="",
        date=_document_head.date_of(text),
        occurrences=list(found.occurrences),
        stated_count=found.stated_count,
        warnings=list(found.warnings),
        form=form_of(text, found.occurrences),
    )
