"""A report's summary web page laid out like the seed page: navigation, "makes the following N recommendations"."""

from __future__ import annotations

from ..report_page import parse_report_page
from ..types import ParseContext, ParsedReport
from ._seed_cues import counts

NAME = "report_page"
LABEL = "report page"
LOOKS_FOR = "a web page's navigation and 'makes the following N recommendations' with 'Recommendation N' items"
SAVES_AS = "report"
PARSED = ParsedReport
LABEL_KIND = "report_page"


def detect(text: str) -> int:
    cue = counts(text)
    if not cue["headings"]:
        return 0
    return 3 * cue["navigation"] + 4 * cue["stated_count"]


def parse(text: str, *, context: ParseContext) -> ParsedReport:
    return parse_report_page(text)
