"""The Mayor's letter answering a report recommendation by recommendation, laid out like the seed letter."""

from __future__ import annotations

from ..response_letter import parse_response_letter
from ..types import ParseContext, ParsedLetter
from ._seed_cues import counts

NAME = "response_letter"
LABEL = "response letter"
LOOKS_FOR = "a letter (salutation, sign-off) answering 'Recommendation N' headings"
SAVES_AS = "letter"
PARSED = ParsedLetter
LABEL_KIND = "response"


def detect(text: str) -> int:
    cue = counts(text)
    if not cue["headings"] or cue["salutations"] > 2 or cue["email_headers"] >= 3:
        return 0
    return (3 if cue["salutations"] == 1 else 0) + 2 * min(cue["sign_offs"], 1) + 2 * cue["reply_cues"] + min(cue["headings"], 5)


def parse(text: str, *, context: ParseContext) -> ParsedLetter:
    return parse_response_letter(text)
