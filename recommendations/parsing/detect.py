"""Recognise a document's family from its text, and parse it with the right parser.

Pure functions. Recognition scores the cues each family's documents carry (a letter's salutation
and sign-off, a web page's navigation, a report's foreword and numbered chapters, a compilation's
repeated email headers); the highest score wins, and text that scores for nothing is refused with
a message naming what was looked for.
"""

from __future__ import annotations

import re

from .types import ParsedConsultation, ParsedLetter, ParsedReport, ParseError

KINDS = ("committee_report", "report_page", "response_letter", "consultation", "consultation_compilation", "consultation_submission")

_RECOMMENDATION_HEADING = re.compile(r"^\W*(?:#+\s*)?\**\s*recommendations?\s+\d+\b", re.I | re.M)
_SALUTATION = re.compile(r"^\s*(?:\**\s*)?dear\s+\S", re.I | re.M)
_SIGN_OFF = re.compile(r"^\s*(?:yours\s+(?:sincerely|faithfully)|kind(?:est)?\s+regards|best\s+wishes|regards)\b", re.I | re.M)
_EMAIL_HEADER = re.compile(r"^\s*(?:sent|from|subject):", re.I | re.M)
_WEB_NAVIGATION = re.compile(
    r"^\s*(?:skip to main content|back to table of contents|related documents|publication date:|publication type:|key information)\s*$",
    re.I | re.M,
)
_STATED_COUNT = re.compile(r"\bmakes?\s+the\s+following\s+\d+\s+recommendations\b", re.I)
_REPORT_PARTS = re.compile(r"^\s*(?:foreword|summary|our approach|contents|recommendations|appendix|references)\s*$", re.I | re.M)
_REPLY_CUES = re.compile(r"\b(?:response to the recommendations|our ref|your ref|thank you for (?:sharing|sending|your))\b", re.I)
_CONSULTATION_CUES = re.compile(
    r"\b(?:consultation|call for views|draft police and crime plan|response to the (?:mayor'?s )?draft)\b", re.I
)


def kind_scores(text: str) -> dict[str, int]:
    """How strongly the text carries each family's cues (for diagnostics and ``detect_kind``)."""
    headings = len(_RECOMMENDATION_HEADING.findall(text))
    salutations = len(_SALUTATION.findall(text))
    sign_offs = len(_SIGN_OFF.findall(text))
    email_headers = len(_EMAIL_HEADER.findall(text))
    navigation = len(_WEB_NAVIGATION.findall(text))
    consultation = len(_CONSULTATION_CUES.findall(text))
    parts = len(set(m.lower().strip() for m in _REPORT_PARTS.findall(text)))
    scores = {
        "report_page": (3 * navigation + (4 if _STATED_COUNT.search(text) else 0)) if headings else 0,
        "committee_report": (2 * parts + min(headings, 10)) if headings and not salutations else 0,
        "response_letter": (
            (3 if salutations == 1 else 0) + 2 * min(sign_offs, 1) + 2 * len(_REPLY_CUES.findall(text)) + min(headings, 5)
            if headings and salutations <= 2 and email_headers < 3
            else 0
        ),
        "consultation_compilation": (2 * (salutations + email_headers // 2)) if salutations + email_headers // 2 >= 3 else 0,
        "consultation_submission": min(consultation, 6) + (2 if not headings else 0) if consultation else 0,
    }
    return scores


def detect_kind(text: str) -> str:
    """The family of ``text``: committee_report, report_page, response_letter,
    consultation_compilation or consultation_submission. Raises ``ParseError`` when none fits."""
    if not text.strip():
        raise ParseError("The document is empty: there is no text to read.")
    scores = kind_scores(text)
    kind, score = max(scores.items(), key=lambda item: item[1])
    if score < 3:
        raise ParseError(
            "Could not recognise this document: it has no 'Recommendation N' items of a committee report, "
            "report page or response letter, and does not read as a consultation response."
        )
    return kind


def parse_document(text: str, kind: str = "auto") -> ParsedReport | ParsedLetter | ParsedConsultation:
    """Parse ``text`` as ``kind`` (or the detected kind). ``consultation`` means either consultation family."""
    from .committee_report import parse_committee_report
    from .consultation import parse_consultation_compilation, parse_consultation_submission
    from .report_page import parse_report_page
    from .response_letter import parse_response_letter

    if kind not in (*KINDS, "auto"):
        raise ParseError(f"Unknown document kind {kind!r}: use one of auto, {', '.join(KINDS)}.")
    if kind == "auto":
        kind = detect_kind(text)
    elif kind == "consultation":
        kind = "consultation_compilation" if kind_scores(text)["consultation_compilation"] else "consultation_submission"
    parser = {
        "committee_report": parse_committee_report,
        "report_page": parse_report_page,
        "response_letter": parse_response_letter,
        "consultation_compilation": parse_consultation_compilation,
        "consultation_submission": parse_consultation_submission,
    }[kind]
    return parser(text)
