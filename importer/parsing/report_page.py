"""Read a committee report's web page (london.gov.uk style): title, date and short recommendations.

The page text comes with navigation around it: "Skip to main content", "Home", breadcrumbs,
sidebar links ("40 percent rise in hit and runs"), and after the content "Back to table of
contents", "Related documents", "Share this page" ... The page's own heading is told apart from
that by position (the first heading-like line after the navigation, before the page's key
information and body) and by being the page's subject: it is echoed elsewhere on the page
("Violence Against Women and Girls Report" under related documents, "violence against women and
girls" in the body), where a sidebar link is not.

Each "Recommendation N" with its paragraph becomes one ``RecommendationOccurrence`` (section
"page").
"""

from __future__ import annotations

import re

from .addressees import addressees_of
from .committee_report import LABEL, find_committee, find_stated_count
from .deadlines import find_deadline, parse_document_date
from .text import (
    blank_page_furniture,
    clean_text,
    is_page_furniture,
    markdown_heading,
    normalise_for_comparison,
    normalise_whitespace,
    read_item,
    strip_bullet,
    strip_markdown,
)
from .types import UNKNOWN_DATE, DocumentDate, ParsedReport, ParseError, RecommendationOccurrence

__all__ = ["parse_report_page"]

# Site furniture, compared case-insensitively against a whole line.
_NAVIGATION = re.compile(
    r"^(?:skip\s+to\s+(?:main\s+)?content|skip\s+to\s+navigation|home|menu|search|close|open\s+menu|main\s+menu|"
    r"london\s+assembly|mayor\s+of\s+london|greater\s+london\s+authority|london\s+city\s+hall|"
    r"you\s+are\s+here:?|breadcrumbs?|back|share(?:\s+this\s+page)?|print(?:\s+this\s+page)?|"
    r"key\s+information|contents|table\s+of\s+contents|on\s+this\s+page|"
    r"(?:publications?|reports?|our\s+work|committees?|news|about\s+us|get\s+involved)|"
    r"publication\s+type:?.*|publication\s+date:?.*|date\s+published:?.*|published:?.*|"
    r"related\s+(?:documents|content|links|publications|pages?)|back\s+to\s+(?:table\s+of\s+contents|top)|"
    r"download.*|read\s+the\s+.*|.*\blogo\b.*|cookies?.*|accessibility|sign\s+(?:in|up)|log\s+in)$",
    re.I,
)
# Where the page's content ends: everything after is navigation or related links.
_END_OF_CONTENT = re.compile(
    r"^(?:back\s+to\s+(?:table\s+of\s+contents|top)|related\s+(?:documents|content|links|publications|pages?)|"
    r"share\s+this\s+page|was\s+this\s+page\s+useful\??|is\s+there\s+anything\s+wrong\s+with\s+this\s+page\??|"
    r"footer|follow\s+us|sign\s+up\s+to\s+our\s+newsletter.*|previous|next(?:\s+page)?|print\s+this\s+page)\s*:?$",
    re.I,
)
_PUBLICATION_DATE = re.compile(r"^\s*(?:publication\s+date|date\s+published|published(?:\s+on)?|date)\s*:\s*(?P<value>.*)$", re.I)
_BODY_START = re.compile(r"^(?:key\s+information|publication\s+(?:type|date)|contents|on\s+this\s+page|summary|overview)\b", re.I)


def _plain(line: str) -> str:
    return normalise_whitespace(strip_markdown(strip_bullet(line)))


def _is_navigation(line: str) -> bool:
    return bool(_NAVIGATION.match(_plain(line)))


def _is_heading_candidate(line: str) -> bool:
    text = _plain(line)
    words = text.split()
    if not words or len(words) > 15 or _is_navigation(line) or LABEL.match(line) or is_page_furniture(line):
        return False
    return text[-1] not in ".,;:" and (words[0][0].isupper() or words[0][0].isdigit())


def _mentions(text_key: str, phrase: str) -> int:
    phrase_key = normalise_for_comparison(phrase, casefold=True)
    return len(re.findall(r"(?<!\w)" + re.escape(phrase_key) + r"(?!\w)", text_key))


def _find_title(lines: list[str], content_end: int) -> str:
    """The page's own heading: a heading-like line before the body, echoed elsewhere on the page."""
    markdown = [markdown_heading(line) for line in lines[:content_end]]
    top = [heading[1] for heading in markdown if heading and heading[0] == 1 and not _is_navigation(heading[1])]
    if top:
        return top[0]
    # the header region: up to the first long paragraph or the page's key information
    header_end = content_end
    for index, line in enumerate(lines[:content_end]):
        plain = _plain(line)
        if len(plain.split()) > 15 or (_BODY_START.match(plain) and index > 0):
            header_end = index
            break
    candidates = [(index, _plain(lines[index])) for index in range(header_end) if _is_heading_candidate(lines[index])]
    if not candidates:
        return ""
    whole = normalise_for_comparison("\n".join(lines), casefold=True)
    scored = [(_mentions(whole, text) - 1, -index, text) for index, text in candidates]
    best = max(scored)
    if best[0] > 0:
        return best[2]
    return candidates[0][1]


def _find_date(lines: list[str]) -> DocumentDate:
    for index, line in enumerate(lines):
        match = _PUBLICATION_DATE.match(_plain(line))
        if not match:
            continue
        value = match.group("value").strip()
        if not value:
            # the value may sit on the next line; only if that line is a date and nothing else
            following = next((other for other in lines[index + 1 : index + 3] if other.strip()), "")
            value = _plain(following) if len(_plain(following).split()) <= 4 else ""
        date = parse_document_date(value) if value else UNKNOWN_DATE
        if date.date:
            return date
    return UNKNOWN_DATE


def _content_end(lines: list[str]) -> int:
    """The index of the line that ends the page's content (after the first label), or len(lines)."""
    first_label = next((index for index, line in enumerate(lines) if LABEL.match(line)), None)
    for index, line in enumerate(lines):
        if (first_label is None or index > first_label) and _END_OF_CONTENT.match(_plain(line)):
            return index
    return len(lines)


def _numbering_warnings(numbers: list[int], stated: int | None) -> list[str]:
    """Warnings for gaps, repeats, and a count that differs from the one the page states."""
    warnings: list[str] = []
    missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
    if missing:
        warnings.append(f"Numbering gap on the page: recommendation(s) {', '.join(map(str, missing))} not found.")
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        warnings.append(f"Recommendation(s) {', '.join(map(str, repeated))} appear more than once on the page.")
    if stated is not None and stated != len(set(numbers)):
        warnings.append(f"The page says the report makes {stated} recommendations, but {len(set(numbers))} were found.")
    return warnings


def parse_report_page(text: str) -> ParsedReport:
    """Parse the text of a report's web page into its title, date and recommendations.

    Raises ``ParseError`` when the text is empty or has no "Recommendation N" entries.
    """
    if not text or not text.strip():
        raise ParseError("The report page is empty: there is no text to read.")
    lines = blank_page_furniture(text.splitlines())
    content_end = _content_end(lines)
    content = lines[:content_end]

    def stops(line: str) -> bool:
        return bool(LABEL.match(line) or _is_navigation(line) or _END_OF_CONTENT.match(_plain(line)))

    date = _find_date(lines)
    occurrences: list[RecommendationOccurrence] = []
    warnings: list[str] = []
    index = 0
    while index < len(content):
        label = LABEL.match(content[index])
        if not label:
            index += 1
            continue
        number = int(label.group("num"))
        rest = label.group("rest") or ""
        source = [*content[:index], rest, *content[index + 1 :]] if rest.strip() else content
        start = index
        if not rest.strip():
            start = index + 1
            while start < len(content) and not content[start].strip():
                start += 1
        if start >= len(content) or (start != index and stops(content[start])):
            warnings.append(f"Recommendation {number} (line {index + 1}) has no text.")
            index += 1
            continue
        body, end = read_item(source, start, stops=stops)
        cleaned = clean_text([strip_bullet(line) for line in body])
        occurrences.append(
            RecommendationOccurrence(
                number=number,
                text=cleaned,
                addressees=addressees_of(cleaned),
                chapter="",
                deadline=find_deadline(cleaned, reference_date=date.date),
                line=index + 1,
                section="page",
            )
        )
        index = max(end, index + 1)
    if not occurrences:
        raise ParseError("No recommendations were found on the report page: expected \"Recommendation N\" headings.")

    stated = find_stated_count(text)
    warnings += _numbering_warnings([occurrence.number for occurrence in occurrences], stated)
    return ParsedReport(
        kind="report_page",
        title=_find_title(lines, content_end),
        committee=find_committee("\n".join(content)),
        chair="",
        date=date,
        occurrences=occurrences,
        stated_count=stated,
        warnings=warnings,
    )
