"""A London Assembly committee report laid out like the seed reports: foreword, chapters, "Recommendation N"."""

from __future__ import annotations

from ..committee_report import parse_committee_report
from ..types import ParseContext, ParsedReport
from ._seed_cues import counts

NAME = "committee_report"
LABEL = "committee report"
LOOKS_FOR = "'Recommendation N' headings under a report's parts (foreword, summary, chapters)"
SAVES_AS = "report"
PARSED = ParsedReport
LABEL_KIND = "committee_report"


def detect(text: str) -> int:
    cue = counts(text)
    if not cue["headings"] or cue["salutations"]:
        return 0
    return 2 * cue["parts"] + min(cue["headings"], 10)


def parse(text: str, *, context: ParseContext) -> ParsedReport:
    return parse_committee_report(text)
