"""Read a London Assembly committee report: its numbered recommendations, wherever they appear.

A committee report usually lists its recommendations twice: once in a summary list near the
front ("Recommendation 1" labels, often grouped under the chapter titles) and again inside each
chapter, at the end of the chapter, as a numbered list under a "Recommendations" subheading.
Some reports use only one of these, or markdown headings ("### Recommendation 3").

Each copy becomes one ``RecommendationOccurrence`` (section "summary" or "chapter"); merging the
copies is ``merge.merge_occurrences``'s job. Parsing is by structure and wording only.

Rules used to tell recommendations from other numbered things:
- a "Recommendation N" label (alone on its line, or followed by ":"/"–" and the text) starts one;
- a numbered line ("4. MOPAC should ...") counts only under a "Recommendations" heading, with
  numbers that run on from the previous item, and wording that asks someone to act; or when it
  restates, with the same number, a recommendation already found under a label;
- a chapter heading is a short numbered title ("2. The Met's response", "Chapter 2: ..."), whose
  numbers run 1, 2, 3 ... through the document (a table of contents is recognised and skipped).
"""

from __future__ import annotations

import collections
import difflib
import re
from dataclasses import dataclass

from .addressees import addressees_of, organisations_in
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
    strip_footnote_markers,
    strip_markdown,
)
from .types import UNKNOWN_DATE, DocumentDate, ParsedReport, ParseError, RecommendationOccurrence

__all__ = ["parse_committee_report", "find_committee", "find_stated_count", "LABEL"]

_EMPH = r"(?:[*_]{1,2})?"
LABEL = re.compile(
    rf"^\s*(?:#{{1,6}}\s*)?{_EMPH}\s*(?:Recommendation|RECOMMENDATION)\s+(?P<num>\d{{1,3}})\s*{_EMPH}"
    rf"\s*(?:(?P<sep>[:.\u2013\u2014-])\s*{_EMPH}\s*(?P<rest>.*?))?\s*$"
)
"""A "Recommendation N" label line, optionally with the text after a colon or dash."""

_SECTION = re.compile(
    rf"^\s*(?:#{{1,6}}\s*)?{_EMPH}\s*(?:(?:our|key|main|summary\s+of|list\s+of|the\s+committee['\u2019]s|committee)\s+)?"
    rf"(?:recommendations?|summary\s+of\s+recommendations)\s*{_EMPH}\s*:?\s*{_EMPH}\s*$",
    re.I,
)
_NUMBERED = re.compile(rf"^\s*(?:#{{1,6}}\s*)?{_EMPH}(?P<num>\d{{1,3}})[.)]{_EMPH}\s+(?P<rest>\S.*?)\s*$")
_CHAPTER = re.compile(
    rf"^\s*(?:#{{1,6}}\s*)?{_EMPH}\s*(?:(?:Chapter|CHAPTER|Section|SECTION)\s+(?P<cnum>\d{{1,2}})\s*[:.\u2013\u2014-]?\s*"
    rf"|(?P<num>\d{{1,2}})[.:]\s+)(?P<rest>\S.*?)\s*$"
)
_ASKS = re.compile(
    r"\b(?:should|must|shall|will|needs?\s+to|ought\s+to|is\s+to|are\s+to|calls?\s+(?:on|for|upon)|recommends?|urges?|asks?)\b",
    re.I,
)
_TOC_ENTRY = re.compile(r"(?:\s\d{1,3}|\.{3,}\s*\d{1,3}|\t\d{1,3})\s*$")
_FUNCTION_WORD_END = re.compile(r"\b(?:in|to|and|of|the|for|on|with|a|an|at|by|from|or|&)\s*$", re.I)

# Headings that are not chapters with recommendations of their own.
_FRONT_MATTER = {
    "foreword", "chair's foreword", "summary", "executive summary", "recommendations", "contents",
    "table of contents", "key findings", "key finding", "our approach", "introduction", "about this report",
    "about the london assembly", "conclusion", "conclusions", "appendix", "appendices", "annex", "references",
    "endnotes", "notes", "footnotes", "glossary", "acknowledgements", "methodology", "terms of reference",
    "other formats and languages", "connect with us", "our recommendations", "summary of recommendations",
}
# Headings that end a recommendations list.
_ENDS_LIST = _FRONT_MATTER - {"recommendations", "our recommendations", "summary of recommendations"}

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"twenty-" + word: 20 + value for word, value in list(_NUMBER_WORDS.items())[1:10]})
_STATED_COUNT = re.compile(
    r"\bmakes?\s+(?:the\s+following\s+|a\s+total\s+of\s+)?(?P<n>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?:\w+\s+)?recommendations\b"
    r"|\b(?P<n2>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+recommendations\s+(?:are|were)\s+made\b",
    re.I,
)
_COMMITTEE = re.compile(
    r"\b(?:[A-Z][A-Za-z\u2019'-]+\s+(?:(?:and|of|&)\s+)?)*?[A-Z][A-Za-z\u2019'-]+\s+Committee\b"
)

_COMMITTEE_PREFIX = re.compile(r"^(?:The|This|London|Assembly(?:['\u2019]s)?|Chair(?:man|woman)?|Of)\s+")


@dataclass
class _Chapter:
    number: int
    title: str
    line: int  # 0-based index of its first line
    end: int  # index after its last title line
    front_matter: bool


@dataclass
class _Item:
    number: int
    lines: list[str]
    start: int  # 0-based index where the copy starts (its label or numbered line)
    group: str  # the heading it sits under inside its list ("" if none)


# --- small readers shared with report_page -----------------------------------------------------


def find_stated_count(text: str) -> int | None:
    """The number of recommendations the text says it makes ("makes the following 14 recommendations")."""
    for match in _STATED_COUNT.finditer(normalise_whitespace(text)):
        word = (match.group("n") or match.group("n2")).lower()
        if word.isdigit():
            return int(word)
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


def find_committee(text: str) -> str:
    """The committee the text names most often ("Police and Crime Committee"), or ""."""
    counts: collections.Counter[str] = collections.Counter()
    first_seen: dict[str, int] = {}
    # names are read line by line (so a title line above is not glued on), except that a line
    # ending in "and"/"of" runs on into the next ("... Police and" / "Crime Committee")
    chunks: list[str] = []
    for line in (normalise_whitespace(strip_markdown(raw)) for raw in text.splitlines()):
        if chunks and (re.search(r"\b(?:and|of|&)$", chunks[-1]) or re.match(r"^Committee\b", line)) and line:
            chunks[-1] = f"{chunks[-1]} {line}"
        else:
            chunks.append(line)
    for position, chunk in enumerate(chunks):
        for match in _COMMITTEE.finditer(chunk):
            name, previous = match.group(0), ""
            while name != previous:  # "The London Assembly Health Committee" -> "Health Committee"
                previous = name
                name = _COMMITTEE_PREFIX.sub("", name)
            if name.split()[0] in {"Committee", "The", "This"} or len(name.split()) < 2:
                continue
            counts[name] += 1
            first_seen.setdefault(name, position * 100000 + match.start())
    if not counts:
        return ""
    return max(counts, key=lambda name: (counts[name], -first_seen[name]))


def _plain(line: str) -> str:
    """A line as words: no markdown, no bullet, whitespace collapsed."""
    return normalise_whitespace(strip_markdown(strip_bullet(line)))


def _is_title(text: str, *, max_words: int = 12) -> bool:
    """Does ``text`` read like a heading (short, no sentence end, not an ask)?"""
    words = text.split()
    if not words or len(words) > max_words:
        return False
    if not (words[0][0].isupper() or words[0][0].isdigit() or words[0][0] in "\u2018'\"\u201c"):
        return False
    if text.rstrip()[-1] in ".;,:" or _TOC_ENTRY.search(text):
        return False
    if _ASKS.search(text) or LABEL.match(text) or is_page_furniture(text):
        return False
    return True


def _key(title: str) -> str:
    return normalise_for_comparison(title, casefold=True).rstrip(":")


# --- chapters ----------------------------------------------------------------------------------


def _chapter_at(lines: list[str], index: int) -> tuple[int, str, int] | None:
    """``(number, title, end_index)`` if a numbered chapter heading starts at ``lines[index]``."""
    line = lines[index]
    if LABEL.match(line) or _TOC_ENTRY.search(line.rstrip()):
        return None
    match = _CHAPTER.match(line)
    if not match:
        return None
    number = int(match.group("cnum") or match.group("num"))
    parts = [match.group("rest")]
    end = index + 1
    # a title wrapped over short lines: "3. Responding to" / "victims and" / "offenders"
    while (
        end < len(lines)
        and len(parts) < 4
        and lines[end].strip()
        and len(lines[end].split()) <= 5
        and (_FUNCTION_WORD_END.search(parts[-1]) or lines[end].strip()[0].islower())
    ):
        parts.append(lines[end])
        end += 1
    title = clean_text(parts)
    if not _is_title(title):
        return None
    return number, title, end


def _find_chapters(lines: list[str]) -> list[_Chapter]:
    chapters: list[_Chapter] = []
    for index in range(len(lines)):
        found = _chapter_at(lines, index)
        if not found:
            continue
        number, title, end = found
        if number == 1 and chapters and _key(chapters[0].title) == _key(title):
            chapters = []  # the earlier run was a table of contents
        if number == len(chapters) + 1:
            chapters.append(_Chapter(number, title, index, end, _key(title) in _FRONT_MATTER))
    return chapters


# --- items -------------------------------------------------------------------------------------


def _is_stop(line: str) -> bool:
    return bool(LABEL.match(line) or _SECTION.match(line) or markdown_heading(line))


def _asks_someone(text: str) -> bool:
    return bool(_ASKS.search(text)) or bool(organisations_in(text[:150]))


def _next_content(lines: list[str], index: int) -> int:
    """Index of the next non-blank, non-furniture line at or after ``index`` (len(lines) if none)."""
    while index < len(lines) and (not lines[index].strip() or is_page_furniture(lines[index])):
        index += 1
    return index


def _read_block(lines: list[str], index: int) -> tuple[list[str], int]:
    """The consecutive non-blank lines from ``index``."""
    block = []
    while index < len(lines) and lines[index].strip():
        if block and (_NUMBERED.match(lines[index]) or _is_stop(lines[index])):
            break  # an item that follows its heading without a blank line
        block.append(lines[index])
        index += 1
    return block, index


def _collect_items(lines: list[str], chapters: list[_Chapter], warnings: list[str]) -> list[_Item]:
    chapter_at = {chapter.line: chapter for chapter in chapters}
    items: list[_Item] = []
    in_section = False
    last_number: int | None = None
    group = ""
    index = 0
    total = len(lines)

    reading = 0  # the number of the item being read

    def stops(line: str) -> bool:
        if _is_stop(line):
            return True
        numbered = _NUMBERED.match(line)
        return bool(numbered and int(numbered.group("num")) == reading + 1)

    while index < total:
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if index in chapter_at:
            chapter = chapter_at[index]
            in_section, last_number, group = False, None, ""
            index = chapter.end
            continue
        label = LABEL.match(line)
        if label:
            number = int(label.group("num"))
            last_number = reading = number
            rest = label.group("rest") or ""
            if rest.strip():
                # "Recommendation 3: The Mayor should ..." - the text starts on the label's line
                body, end = read_item([*lines[:index], rest, *lines[index + 1:]], index, stops=stops)
            else:
                start = _next_content(lines, index + 1)
                if start >= total or stops(lines[start]) or start in chapter_at:
                    warnings.append(f"Recommendation {number} (line {index + 1}) has no text.")
                    index += 1
                    continue
                body, end = read_item(lines, start, stops=stops)
            items.append(_Item(number, body, index, group))
            index = max(end, index + 1)
            continue
        if _SECTION.match(line):
            in_section, last_number, group = True, None, ""
            index += 1
            continue
        numbered = _NUMBERED.match(line)
        if in_section and numbered:
            number = int(numbered.group("num"))
            consistent = last_number is None or number == last_number + 1
            if consistent and _asks_someone(numbered.group("rest")):
                reading = number
                body, end = read_item(lines, index, stops=stops)
                body = [numbered.group("rest"), *body[1:]]
                items.append(_Item(number, body, index, group))
                last_number = number
                index = end
                continue
            in_section = False
        # a heading inside a list ("The Met's response"), or the end of a list ("Our approach")
        in_section, last_number, group, after = _list_heading(lines, index, in_section, last_number, group)
        index = after if after > index else index + 1
    return items


def _list_heading(
    lines: list[str], index: int, in_section: bool, last_number: int | None, group: str
) -> tuple[bool, int | None, str, int]:
    """Read a possible heading at ``index``: one inside a list ("The Met's response") names the group
    of the items below it; one such as "Our approach" ends the list.

    Returns the new (in_section, last_number, group) and the index after the heading's block.
    """
    md = markdown_heading(lines[index])
    block, after = _read_block(lines, index)
    heading = md[1] if md else clean_text(block)
    if not (md or (len(block) <= 3 and _is_title(heading))):
        return in_section, last_number, group, after
    if _key(heading) in _ENDS_LIST:
        return False, None, "", after
    following = _next_content(lines, after)
    if following < len(lines) and (
        LABEL.match(lines[following])
        or (in_section and _NUMBERED.match(lines[following]))
        or (md and _NUMBERED.match(lines[following]))
    ):
        group = heading
        if md and _NUMBERED.match(lines[following]) and not in_section:
            in_section, last_number = True, None
    return in_section, last_number, group, after


def _restated_items(lines: list[str], items: list[_Item], chapters: list[_Chapter]) -> list[_Item]:
    """Numbered lines outside any "Recommendations" list that restate a labelled recommendation."""
    known: dict[int, list[str]] = collections.defaultdict(list)
    for item in items:
        known[item.number].append(normalise_for_comparison(clean_text(item.lines), casefold=True))
    taken = {item.start for item in items}
    chapter_lines = {line for chapter in chapters for line in range(chapter.line, chapter.end)}
    found: list[_Item] = []
    for index, line in enumerate(lines):
        numbered = _NUMBERED.match(line)
        if not numbered or index in taken or index in chapter_lines:
            continue
        number = int(numbered.group("num"))
        if number not in known:
            continue
        body, _ = read_item(lines, index, stops=_is_stop)
        body = [numbered.group("rest"), *body[1:]]
        candidate = normalise_for_comparison(clean_text(body), casefold=True)
        if any(difflib.SequenceMatcher(None, candidate, other).ratio() >= 0.6 for other in known[number]):
            if not any(item.start <= index < item.start + len(item.lines) + 2 for item in items):
                found.append(_Item(number, body, index, ""))
    return found


# --- document details --------------------------------------------------------------------------


def _find_chair(lines: list[str]) -> str:
    for index, line in enumerate(lines):
        plain = _plain(line)
        inline = re.match(r"^(?P<name>.+?\s(?:AM|MP|OBE|CBE))\s*,\s*(?:Chair|Chairman|Chairwoman)\b", plain)
        if inline:
            return inline.group("name").strip()
        if re.match(r"^(?:Chair|Chairman|Chairwoman|Chairperson)\b.*\bCommittee\b", plain):
            previous = index - 1
            while previous >= 0 and not lines[previous].strip():
                previous -= 1
            if previous >= 0:
                name = _plain(lines[previous])
                words = name.split()
                if 2 <= len(words) <= 6 and all(word[0].isupper() for word in words) and not name.endswith("."):
                    return name
    return ""


def _front_matter_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        plain = _plain(line)
        if plain and _key(plain) in _FRONT_MATTER:
            return index
        if LABEL.match(line):
            return index
    return len(lines)


def _find_date(lines: list[str]) -> DocumentDate:
    for line in lines:
        match = re.match(r"^\s*(?:Published|Publication date|Date(?: published)?)\s*:?\s*(?P<value>.+)$", _plain(line), re.I)
        if match:
            date = parse_document_date(match.group("value"))
            if date.date:
                return date
    for line in lines[: _front_matter_start(lines)]:
        plain = _plain(line)
        if plain and len(plain.split()) <= 4:
            date = parse_document_date(plain)
            if date.date and date.precision != "year":
                return date
    return UNKNOWN_DATE


_NOT_TITLES = re.compile(r"^(?:(?:the\s+)?london\s+assembly|mayor\s+of\s+london|greater\s+london\s+authority|report|.*\bcommittee)$", re.I)


def _find_title(lines: list[str], text: str) -> str:
    for line in lines:
        match = re.match(r"^\s*Title\s*:\s*(?P<title>\S.*)$", _plain(line))
        if match:
            return match.group("title").strip()
    front = _front_matter_start(lines)
    index = 0
    while index < front:
        line = lines[index]
        md = markdown_heading(line)
        if md and md[0] > 2:
            index += 1
            continue
        parts = [md[1] if md else line]
        index += 1
        # a title wrapped over lines: "Domestic abuse in" / "London"
        while (
            not md
            and index < front
            and lines[index].strip()
            and (_FUNCTION_WORD_END.search(parts[-1]) or lines[index].strip()[0].islower())
        ):
            parts.append(lines[index])
            index += 1
        candidate = clean_text(parts)
        if (
            candidate
            and _is_title(candidate, max_words=15)
            and not _NOT_TITLES.match(candidate)
            and not parse_document_date(candidate).date
        ):
            return candidate
    return _subject_of(text)


_STOPWORDS = set(
    "the of and to in a for on that is are with by as be this from at or it an was were have has their its not our "
    "we they which more been can also there per cent should must will would could his her he she them these those "
    "london mayor mopac met police committee assembly report recommendation recommendations".split()
)


def _subject_of(text: str) -> str:
    """The document's most repeated two-word subject ("domestic abuse" -> "Domestic abuse")."""
    words = re.findall(r"[A-Za-z][A-Za-z\u2019'-]+", text)
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    for first, second in zip(words, words[1:], strict=False):
        a, b = first.lower(), second.lower()
        if a in _STOPWORDS or b in _STOPWORDS or len(a) < 3 or len(b) < 3:
            continue
        counts[(a, b)] += 1
    if not counts:
        return ""
    (a, b), count = counts.most_common(1)[0]
    if count < 3:
        return ""
    return f"{a} {b}".capitalize()


# --- the parser --------------------------------------------------------------------------------


def parse_committee_report(text: str) -> ParsedReport:
    """Parse a committee report's text into its recommendations (one occurrence per copy).

    Raises ``ParseError`` when the text is empty or no recommendation can be found.
    """
    if not text or not text.strip():
        raise ParseError("The committee report is empty: there is no text to read.")
    lines = blank_page_furniture(text.splitlines())
    warnings: list[str] = []
    chapters = _find_chapters(lines)
    items = _collect_items(lines, chapters, warnings)
    items += _restated_items(lines, items, chapters)
    items.sort(key=lambda item: item.start)
    if not items:
        raise ParseError(
            "No recommendations were found in the committee report: expected \"Recommendation N\" "
            "labels or a numbered list under a \"Recommendations\" heading."
        )
    date = _find_date(lines)
    body_chapters = [chapter for chapter in chapters if not chapter.front_matter]
    chapters_start = body_chapters[0].line if body_chapters else None

    occurrences: list[RecommendationOccurrence] = []
    seen_numbers: set[int] = set()
    for item in items:
        cleaned = clean_text([strip_bullet(line) for line in item.lines])
        cleaned = strip_footnote_markers(cleaned).strip()
        if not cleaned:
            continue
        current = None
        for chapter in chapters:
            if chapter.line < item.start:
                current = chapter
        if chapters_start is not None:
            in_chapter = item.start > chapters_start and current is not None and not current.front_matter
        else:
            in_chapter = item.number in seen_numbers
        seen_numbers.add(item.number)
        if in_chapter and current is not None:
            chapter_title = current.title
        else:
            chapter_title = item.group
        occurrences.append(
            RecommendationOccurrence(
                number=item.number,
                text=cleaned,
                addressees=addressees_of(cleaned),
                chapter=chapter_title,
                deadline=find_deadline(cleaned, reference_date=date.date),
                line=item.start + 1,
                section="chapter" if in_chapter else "summary",
            )
        )
    if not occurrences:
        raise ParseError("Recommendation headings were found in the committee report, but none had any text.")

    stated = find_stated_count(text)
    warnings += _check_numbering(occurrences, stated)
    return ParsedReport(
        kind="committee_report",
        title=_find_title(lines, text),
        committee=find_committee(text),
        chair=_find_chair(lines),
        date=date,
        occurrences=occurrences,
        stated_count=stated,
        warnings=warnings,
    )


def _check_numbering(occurrences: list[RecommendationOccurrence], stated: int | None) -> list[str]:
    warnings: list[str] = []
    by_section: dict[str, list[int]] = collections.defaultdict(list)
    for occurrence in occurrences:
        by_section[occurrence.section].append(occurrence.number)
    names = {"summary": "the summary list", "chapter": "the chapters"}
    for section, numbers in by_section.items():
        present = set(numbers)
        missing = [n for n in range(1, max(present) + 1) if n not in present]
        if missing:
            warnings.append(
                f"Numbering gap in {names.get(section, section)}: recommendation(s) "
                f"{', '.join(map(str, missing))} not found."
            )
        repeated = sorted(n for n, count in collections.Counter(numbers).items() if count > 1)
        if repeated:
            warnings.append(
                f"Recommendation(s) {', '.join(map(str, repeated))} appear more than once in {names.get(section, section)}."
            )
    if len(by_section) == 2:
        summary, chapter = set(by_section["summary"]), set(by_section["chapter"])
        for number in sorted(summary - chapter):
            warnings.append(f"Recommendation {number} is in the summary list but was not found in the chapters.")
        for number in sorted(chapter - summary):
            warnings.append(f"Recommendation {number} is in the chapters but was not found in the summary list.")
    found = len({occurrence.number for occurrence in occurrences})
    if stated is not None and stated != found:
        warnings.append(f"The report says it makes {stated} recommendations, but {found} were found.")
    return warnings
