"""What a document says about itself at the top: its title, its date, who wrote it.

Pure, shared by the general families. Read by layout and language only: a heading (``# ``) or
the first short line that is not page furniture is the title; a "Published ..." / "Date: ..."
line or the first short line that is a date is the date (else a "Date:" line at the foot, where a
signed report is dated); a line naming a committee, an
inspectorate, a department or a service is the author.
"""

from __future__ import annotations

import re

from ..deadlines import parse_document_date
from ..types import UNKNOWN_DATE, DocumentDate

HEAD_LINES = 40  # the head of a document: where its title, date and author are
_FURNITURE = re.compile(
    r"^\s*(?:skip to|back to|home\b|menu\b|search\b|share\b|print\b|contents\b|cookies?\b|accept\b|page \d+|\d+\s*$|"
    r"https?://|www\.)",
    re.I,
)
# "Published 3 May 2024", "Date: 3 May 2024", a template's numbered "9 Date: 3 March 2025"
_DATED = re.compile(r"^\s*(?:\d{1,2}\.?\s+)?(?:published|updated|date|dated|received)\b[^0-9a-z]*(?:on\s+)?", re.I)
FOOT_LINES = 15  # the foot of a document: where a signed report or letter is dated
_AUTHOR = re.compile(
    r"\b(?:(?:[A-Z][\w'’&-]*\s+){0,5}(?:Committee|Inspectorate|Brigade|Police(?:\s+Service)?|Government|Office|"
    r"Department|Ministry|Authority|Inquiry|Council|Commissioner|Secretary)|HMICFRS|HMIC|IOPC|MOPAC|MPS|LFB)\b"
)


def head(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()[:HEAD_LINES] if line.strip()]


def _plain(line: str) -> str:
    return re.sub(r"^[#*\s]+|[*\s]+$", "", line)


def title_of(text: str) -> str:
    """The first heading, else the first short line that is not furniture, a date or a sentence."""
    lines = head(text)
    for line in lines:
        if line.startswith("#") and _plain(line):
            return _plain(line)[:300]
    for line in lines:
        plain = _plain(line)
        words = plain.split()
        if 2 <= len(words) <= 20 and not _FURNITURE.match(plain) and not plain.endswith((".", ":")) and not parse_document_date(plain).date:
            return plain[:300]
    return _plain(lines[0])[:300] if lines else ""


def date_of(text: str) -> DocumentDate:
    """The date a "Published"/"Date:" line gives, else the first short line that is a date."""
    lines = head(text)
    for line in lines:
        if _DATED.match(line):
            found = parse_document_date(line)
            if found.date:
                return found
    for line in lines:
        if len(line.split()) <= 6:
            found = parse_document_date(line)
            if found.date and found.precision != "year":
                return found
    return _signed_date(text)


def _signed_date(text: str) -> DocumentDate:
    """A "Date:"/"Dated" line at the foot, where a report signed at the end (a coroner's) is dated."""
    foot = [line.strip() for line in text.splitlines() if line.strip()][-FOOT_LINES:]
    for line in reversed(foot):
        if _DATED.match(line) and len(line.split()) <= 8:
            found = parse_document_date(line)
            if found.date and found.precision != "year":
                return found
    return UNKNOWN_DATE


def author_of(text: str) -> str:
    """The first body the head of the document names (a committee, an inspectorate, a department)."""
    for line in head(text):
        match = _AUTHOR.search(_plain(line))
        if match:
            return " ".join(match.group(0).split())[:200]
    return ""
