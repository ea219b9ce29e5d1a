"""A PDF's text with the layout that carries meaning kept as light markup, through pdfminer.six.

Characters are recorded as pdfminer draws them (pdfplumber's engine, without the per-character
objects that make pdfplumber some thirty times slower: a long report must read within the
import's time limit). Words are read in the order the PDF draws them (as pypdf does, so columns stay apart) with their
font and size, then gathered into lines. A line set larger than the body text becomes a markdown
heading (``# `` for the largest size, ``## `` and ``### `` below it); bold words are wrapped in
``**`` (the whole line, or just "**Recommendation 1:**" at its start); a paragraph break (a gap
well over the line spacing) becomes a blank line. The parsers already read this markup, as the
seed letter comes in it.

Pure (bytes in, text out). It runs after pypdf has screened the file (``extract``), inside the
reading child process, so its time and memory are bounded there; any failure here is the caller's
to handle.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|extrabold|,bd\b|-bd\b", re.I)
_LETTER = re.compile(r"[^\W\d_]")
HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
PARAGRAPH_GAP = 0.7  # a gap between lines over this share of the font size is a paragraph break
MAX_HEADING_WORDS = 25


@dataclass
class Word:
    text: str
    bold: bool
    size: float
    x0: float
    x1: float


@dataclass
class Line:
    top: float
    bottom: float
    words: list[Word] = field(default_factory=list)

    @property
    def size(self) -> float:
        """The size most of the line's letters are set in."""
        sizes = Counter()
        for word in self.words:
            sizes[round(word.size, 1)] += len(word.text)
        return sizes.most_common(1)[0][0]

    def plain(self) -> str:
        return _spaced(self.words, bold=False)

    def marked(self) -> str:
        """The line with its bold runs wrapped in ``**``."""
        return _spaced(self.words, bold=True)


def layout_text(data: bytes) -> str:
    """The text of every page, pages joined by a newline. Raises whatever pdfminer raises."""
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager(caching=True)
    device = _device_class()(resources)
    interpreter = PDFPageInterpreter(resources, device)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(data), password="", check_extractable=False):
        device.characters = []
        interpreter.process_page(page)
        pages.append(_lines(device.characters))
    body = body_size(pages)
    levels = _heading_levels(pages, body)
    return "\n".join("\n".join(_render(lines, body, levels)) for lines in pages)


def _device_class():
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined

    class Characters(PDFTextDevice):
        """Records each drawn character as (text, font name, size, x0, x1, y): nothing more is built."""

        characters: list[tuple[str, str, float, float, float, float]]

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = ""  # a glyph with no known letter: left out rather than guessed
            advance = font.char_width(cid) * fontsize * scaling
            a, _b, c, d, e, f = matrix
            self.characters.append((text, font.fontname or "", fontsize * math.hypot(c, d), e, e + advance * a, f))
            return advance

    return Characters


def _lines(characters: list[tuple[str, str, float, float, float, float]]) -> list[Line]:
    """Characters in drawing order into lines of words (a new line when the text moves up, down
    or back to the left; a new word at a space, a gap or a change between bold and regular)."""
    lines: list[Line] = []
    word: Word | None = None
    last_x1 = 0.0
    for text, font, size, x0, x1, y in characters:
        line = lines[-1] if lines else None
        if line is None or abs(-y - line.top) > 0.5 * size or x0 < last_x1 - size:
            line = Line(top=-y, bottom=-y + size)
            lines.append(line)
            word = None
        last_x1 = x1
        if not text.strip():
            word = None
            continue
        bold = bool(_BOLD_FONT.search(font))
        if word is None or x0 - word.x1 > 0.15 * size or word.bold != bold:
            word = Word("", bold, size, x0, x1)
            line.words.append(word)
        word.text += text
        word.x1 = x1
        line.bottom = max(line.bottom, -y + size)
    return [line for line in lines if line.words]


def _spaced(words: list[Word], *, bold: bool) -> str:
    """The words with a space where the PDF leaves a gap; runs of bold words wrapped when ``bold``."""
    runs: list[list] = []  # [bold?, text]
    for index, word in enumerate(words):
        space = " " if index and word.x0 - words[index - 1].x1 > 0.15 * word.size else ""
        marked = bold and word.bold
        if runs and runs[-1][0] == marked:
            runs[-1][1] += space + word.text
        else:
            runs.append([marked, space + word.text])
    return "".join(_wrapped(text) if marked else text for marked, text in runs)


def _wrapped(text: str) -> str:
    words = text.lstrip()
    return f"{text[: len(text) - len(words)]}**{words}**" if _LETTER.search(words) else text


def body_size(pages: list[list[Line]]) -> float:
    """The size most of the document's letters are set in."""
    sizes = Counter()
    for lines in pages:
        for line in lines:
            for word in line.words:
                sizes[round(word.size, 1)] += len(word.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(line: Line, body: float) -> bool:
    text = line.plain()
    return line.size >= body * HEADING_RATIO and bool(_LETTER.search(text)) and len(text.split()) <= MAX_HEADING_WORDS


def _heading_levels(pages: list[list[Line]], body: float) -> dict[float, int]:
    """Heading sizes to levels: the largest ``#``, the next ``##``, every smaller one ``###``."""
    sizes = sorted({line.size for lines in pages for line in lines if _is_heading(line, body)}, reverse=True)
    return {size: min(level, 3) for level, size in enumerate(sizes, start=1)}


def _render(lines: list[Line], body: float, levels: dict[float, int]) -> list[str]:
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        heading = levels.get(line.size) if _is_heading(line, body) else None
        gap = line.top - previous.bottom if previous else 0.0
        if heading and previous is not None and out and out[-1].startswith("#" * heading + " ") and _same_heading(previous, line, gap, levels):
            out[-1] += " " + line.plain()  # a heading wrapped over two lines is one heading
        else:
            if previous is not None and gap > PARAGRAPH_GAP * previous.size:
                out.append("")
            out.append(f"{'#' * heading} {line.plain()}" if heading else line.marked())
        previous = line
    return out


def _same_heading(previous: Line, line: Line, gap: float, levels: dict[float, int]) -> bool:
    return levels.get(previous.size) == levels.get(line.size) and 0 <= gap < previous.size
