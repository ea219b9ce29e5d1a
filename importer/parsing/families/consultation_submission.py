"""One response to a consultation: a council's, a charity's or a member of the public's."""

from __future__ import annotations

from ..consultation import parse_consultation_submission
from ..types import ParseContext, ParsedConsultation
from ._seed_cues import counts

NAME = "consultation_submission"
LABEL = "consultation submission"
LOOKS_FOR = "a response to a consultation or a draft plan"
SAVES_AS = "consultation"
PARSED = ParsedConsultation
LABEL_KIND = "consultation"


def detect(text: str) -> int:
    cue = counts(text)
    if not cue["consultation"]:
        return 0
    return min(cue["consultation"], 6) + (2 if not cue["headings"] else 0)


def parse(text: str, *, context: ParseContext) -> ParsedConsultation:
    return parse_consultation_submission(text)
