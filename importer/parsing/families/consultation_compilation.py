"""Many consultation responses compiled in one document (emails and letters one after another)."""

from __future__ import annotations

from ..consultation import parse_consultation_compilation
from ..types import ParseContext, ParsedConsultation
from ._seed_cues import counts

NAME = "consultation_compilation"
LABEL = "consultation responses (compilation)"
LOOKS_FOR = "three or more emails or letters one after another"
SAVES_AS = "consultation"
PARSED = ParsedConsultation
LABEL_KIND = "consultation"


def detect(text: str) -> int:
    cue = counts(text)
    letters = cue["salutations"] + cue["email_headers"] // 2
    return 2 * letters if letters >= 3 else 0


def parse(text: str, *, context: ParseContext) -> ParsedConsultation:
    return parse_consultation_compilation(text)
