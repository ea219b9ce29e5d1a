"""Small, pure text clean-up helpers shared by the parsers.

The source texts are extracted from PDFs and web pages: lines are hard-wrapped, pages carry
running headers/footers ("London Assembly I Police and Crime Committee 35"), footnote numbers
are glued to words ("in London.8") and a paragraph may be split by a page break into two blocks
separated by blank lines. These helpers undo that without touching real content: stored text
keeps its original (curly) quotes; only ``normalise_for_comparison`` flattens them.

Nothing here knows about a particular document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# --- whitespace and quotes ---------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"), None)  # soft hyphen, zero-widths
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace (including non-breaking spaces and newlines) to one space.

    Invisible characters left by PDF extraction (soft hyphens, zero-width spaces) are dropped.
    Quotes and dashes are kept as they are.
    """
    return " ".join(text.translate(_INVISIBLE).split())


def normalise_quotes(text: str) -> str:
    """Curly quotes and apostrophes to straight ones (for comparing, never for storing)."""
    return text.translate(_QUOTES)


def normalise_for_comparison(text: str, *, casefold: bool = False) -> str:
    """A form of ``text`` for comparing two wordings: whitespace collapsed, quotes and dashes straight.

    >>> normalise_for_comparison("The Met\u2019s  response\\n") == "The Met's response"
    True
    """
    result = normalise_whitespace(normalise_quotes(text).translate(_DASHES))
    return result.casefold() if casefold else result


# --- markdown and bullets ----------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1", re.S)
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2043\u25a0\u25a1\uf0b7\u00b7\u27a2o](?=\s)|[-*\u2013](?=\s))\s*")


def markdown_heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` for a markdown heading line ("### Recommendation 3"), else None."""
    match = _MD_HEADING.match(line)
    if not match:
        return None
    return len(match.group(1)), strip_markdown(match.group(2))


def strip_markdown(text: str) -> str:
    """Remove markdown emphasis markers (``**bold**``, ``__bold__``) and heading hashes."""
    heading = _MD_HEADING.match(text)
    if heading and "\n" not in text:
        text = heading.group(2)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return text.replace("**", "")


def is_bullet(line: str) -> bool:
    """True when the line starts with a bullet character ("•", "▪", "-", "*", ...)."""
    return bool(_BULLET.match(line)) and not _MD_HEADING.match(line)


def strip_bullet(line: str) -> str:
    """The line without its leading bullet character."""
    return _BULLET.sub("", line, count=1) if is_bullet(line) else line


# --- page furniture ----------------------------------------------------------------------------

_FURNITURE = [
    re.compile(r"^\s*\d{1,4}\s*$"),  # a lone page number
    re.compile(r"^\s*[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]\s*$"),  # - 12 -
    re.compile(r"^\s*page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.I),  # Page 3 / Page 3 of 40
    # running header/footer: "London Assembly I Police and Crime Committee 35", "... | ... 12",
    # and the mirrored form "12 London Assembly | Police and Crime Committee"
    re.compile(r"^\s*[A-Z][\w&,\u2019'.-]*(?:\s+[\w&,\u2019'.-]+){0,7}\s+[|I\u2022\u00b7]\s+[A-Z][\w&,\u2019'.-]*(?:\s+[\w&,\u2019'.-]+){0,8}\s+\d{1,4}\s*$"),
    re.compile(r"^\s*\d{1,4}\s+[A-Z][\w&,\u2019'.-]*(?:\s+[\w&,\u2019'.-]+){0,7}\s+[|I\u2022\u00b7]\s+[A-Z][\w&,\u2019'.-]*(?:\s+[\w&,\u2019'.-]+){0,8}\s*$"),
]


def is_page_furniture(line: str) -> bool:
    """True for running headers/footers and lone page numbers left by PDF extraction.

    >>> is_page_furniture("London Assembly I Police and Crime Committee 35")
    True
    >>> is_page_furniture("Outcomes 15 and 16")
    False
    """
    return any(pattern.match(line) for pattern in _FURNITURE)


def blank_page_furniture(lines: Sequence[str]) -> list[str]:
    """The lines with page furniture replaced by empty lines, so line numbers stay valid."""
    return ["" if is_page_furniture(line) else line for line in lines]


# --- footnote markers --------------------------------------------------------------------------

# A number glued to a lower-case word or a closing quote/bracket: "service117 fully", "reporting”5,"
_GLUED_TO_WORD = re.compile(r"(?<=[a-z][a-z])\d{1,3}(?=[\s,.;:!?)\u2019\u201d\"']|$)|(?<=[\u2019\u201d\"')\]])\d{1,3}(?=[\s,.;:!?]|$)")
# A number glued after sentence punctuation that follows a word: "in London.8", "poor.4 In"
_AFTER_WORD_PUNCT = re.compile(r"(?<=[A-Za-z\u2019\u201d\"')\]%][.,;:!?])\d{1,3}(?=\s|$)")
# A number glued after a year (or financial year) and a full stop: "in 2011.1 Each", "2017-18.26"
_AFTER_YEAR_STOP = re.compile(r"(?:(?<=\b(?:19|20)\d\d[.,;])|(?<=\d\d[-/]\d\d[.,;]))\d{1,3}(?=\s+[A-Z\u201c\"']|\s*$)")
# A separate number at the very end of a line, after a sentence end: "on an annual basis. 2"
_LOOSE_AT_LINE_END = re.compile(r"(?<=[.!?\u201d\"])[ \t]+\d{1,3}[ \t]*$", re.M)


def strip_footnote_markers(text: str) -> str:
    """Remove footnote reference numbers glued to words or sentence ends.

    Real numbers are kept: "89,000", "2020", "2.4 million", "Outcomes 15 and 16", "COVID19".

    >>> strip_footnote_markers("a register in London.8 In 2011.1 Each of 89,000")
    'a register in London. In 2011. Each of 89,000'
    """
    text = _LOOSE_AT_LINE_END.sub("", text)
    text = _AFTER_YEAR_STOP.sub("", text)
    text = _AFTER_WORD_PUNCT.sub("", text)
    return _GLUED_TO_WORD.sub("", text)


# --- joining wrapped lines ---------------------------------------------------------------------

_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-$")


def join_lines(lines: Sequence[str]) -> str:
    """Join the hard-wrapped lines of one paragraph into a single line.

    A line ending in a hyphen after a letter ("multi-" + "agency") is joined without a space and
    keeps its hyphen. Blank lines are ignored. Whitespace is normalised.
    """
    parts: list[str] = []
    for raw in lines:
        line = normalise_whitespace(raw)
        if not line:
            continue
        if parts and _HYPHEN_BREAK.search(parts[-1]):
            parts[-1] = parts[-1] + line
        else:
            parts.append(line)
    return " ".join(parts)


_SENTENCE_END = re.compile(r"[.!?][\u2019\u201d\"')\]]*$")


def ends_sentence(text: str) -> bool:
    """True when ``text`` (footnote markers removed first) ends a sentence."""
    stripped = strip_footnote_markers(strip_markdown(text)).rstrip()
    return bool(_SENTENCE_END.search(stripped))


_NUMBERED_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?\d{1,2}[.:]\s+")


def looks_like_heading(line: str, *, max_words: int = 6) -> bool:
    """A short line that reads like a heading ("Our approach", "4. Prevention"), not like prose.

    It starts with a capital (after an optional "N." number), does not end with punctuation and
    has at most ``max_words`` words.
    """
    text = normalise_whitespace(strip_markdown(line))
    text = _NUMBERED_HEADING.sub("", text)
    words = text.split()
    if not words or len(words) > max_words or is_bullet(line):
        return False
    return words[0][0].isupper() and text[-1] not in ".,;:!?" and not is_page_furniture(text)


def clean_text(lines: Sequence[str] | str) -> str:
    """The stored form of an item: one line, no page furniture, no footnote markers, no markdown."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    kept = [strip_markdown(line) for line in lines if not is_page_furniture(line)]
    # markers are stripped per line first (the "basis. 2" form only exists at a line end)
    kept = [strip_footnote_markers(line) for line in kept]
    return normalise_whitespace(strip_footnote_markers(join_lines(kept)))


def read_item(
    lines: Sequence[str],
    start: int,
    *,
    stops: Callable[[str], bool] = lambda line: False,
    max_blank_run: int = 12,
) -> tuple[list[str], int]:
    """Read one item (a paragraph) starting at ``lines[start]``, across a page break if needed.

    Consecutive non-blank lines belong to the item until a line for which ``stops`` is true.
    At a blank line the item ends if its text so far ends a sentence; if the sentence is
    unfinished (the page broke mid-sentence) the blank lines and page furniture are skipped and
    the next block is joined, unless that block starts with a stop line. An item that ends with a
    colon also takes the bulleted sub-items that follow it.

    Returns the item's lines (blank and furniture lines dropped) and the index after the item.
    """
    taken: list[str] = []
    index = start
    total = len(lines)
    in_sublist = False
    while index < total:
        line = lines[index]
        if not line.strip() or is_page_furniture(line):
            # look past the gap: blank lines and furniture
            probe = index
            while probe < total and (not lines[probe].strip() or is_page_furniture(lines[probe])):
                probe += 1
            if probe >= total or probe - index > max_blank_run or not taken:
                break
            nxt = lines[probe]
            if stops(nxt):
                break
            so_far = strip_footnote_markers(" ".join(taken)).rstrip()
            if so_far.endswith(("**", "__")):
                break  # a bold paragraph closes a unit ("**MOPAC must ... commitments**")
            after_next = lines[probe + 1] if probe + 1 < total else ""
            if looks_like_heading(nxt) and not after_next.strip():
                break  # a one-line heading ("Prevention"), even after an unfinished sentence
            if is_bullet(nxt) and (in_sublist or so_far.endswith(":")):
                in_sublist = True  # the bulleted sub-items of "... should:"
            elif ends_sentence(so_far):
                break
            index = probe
            continue
        if taken and (stops(line) or (ends_sentence(" ".join(taken)) and looks_like_heading(line))):
            break  # a new block that follows without a blank line (a page break)
        if taken and is_bullet(line) and " ".join(taken).rstrip().endswith(":"):
            in_sublist = True
        taken.append(line)
        index += 1
    return taken, index
