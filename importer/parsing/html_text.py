"""A saved web page's text, its structure kept as the light markup the parsers read.

Headings become markdown headings (``# `` to ``###### ``), list items ``- `` or ``1. `` lines
(numbered from an ordered list's ``start``; nested lists indented), table rows their cells joined
by `` | ``, bold ``**bold**``, paragraphs blank-line separated. What is not the page's own
content is dropped: scripts, styles, forms, navigation and footers, the site header, skip links,
breadcrumbs, cookie and consent banners, and anything marked hidden.

Pure (text in, text out), through the standard library's tolerant ``html.parser``: nothing is
fetched and no tree is built, so a deeply nested page costs no recursion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_LOOKS_LIKE_HTML = re.compile(r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_SKIPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "nav", "footer",
    "form", "button", "select", "textarea", "head", "dialog", "menu",
})
_SKIPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar"})
_SKIPPED_NAMES = re.compile(r"cookie|consent|gdpr|onetrust|skip-?link|breadcrumb|site-header|masthead|newsletter|share-?(?:this|links)", re.I)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "blockquote", "address", "figure",
    "figcaption", "dl", "dt", "dd", "pre", "details", "summary", "caption", "center",
})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BOLD = frozenset({"strong", "b"})


def looks_like_html(text: str) -> bool:
    """A saved web page: it opens with a doctype or an ``<html>`` element (comments aside)."""
    return bool(_LOOKS_LIKE_HTML.match(text[:4096]))


def html_text(page: str) -> str:
    """The page's content as text: headings, lists, tables and paragraphs, without the site around it."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader.text()


@dataclass
class _Open:
    tag: str
    skipped: bool = False
    number: int = 0  # an ordered list's next item number


@dataclass
class _Row:
    cells: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[_Open] = []
        self.skipping = 0  # how many open elements are being dropped
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.prefix = ""  # what the line being gathered starts with ("## ", "- ", "2. ")
        self.row: _Row | None = None
        self.bold = 0

    # --- the parser's events -----------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag)
            return
        skipped = self.skipping > 0 or _skipped(tag, dict(attrs))
        element = _Open(tag, skipped=skipped, number=_start_number(tag, dict(attrs)))
        self.open.append(element)
        if skipped:
            self.skipping += 1
            return
        self._open_element(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                while len(self.open) > index:
                    self._close(self.open.pop())
                return  # an end tag with no open element is ignored, as browsers do

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self._inside("pre"):
            for number, piece in enumerate(data.split("\n")):
                if number:
                    self._flush()
                self.inline.append(piece)
            return
        self.inline.append(data)

    # --- elements ------------------------------------------------------------------------------

    def _void(self, tag: str) -> None:
        if self.skipping:
            return
        if self.row is not None or (tag == "br" and self.prefix.startswith("#")):
            self.inline.append(" ")  # a line break in a cell or a heading is a space
        elif tag == "br":
            self._flush(keep_prefix=True)
        elif tag == "hr":
            self._flush()

    def _open_element(self, element: _Open) -> None:
        tag = element.tag
        if tag in _BOLD:
            self._bold(+1)
        elif self.row is not None and tag not in ("tr", "td", "th"):
            self.inline.append(" ")  # a cell's paragraphs, lists and headings are words of the cell
        elif tag in _HEADINGS:
            self._flush()
            self.prefix = "#" * _HEADINGS[tag] + " "
        elif tag == "li":
            self._flush()
            self.prefix = self._item_marker()
        elif tag == "tr":
            self._end_row()
            self._flush()
            self.row = _Row()
        elif tag in ("td", "th"):
            self._flush_cell()
        elif tag in _BLOCKS or tag in ("ul", "ol", "table"):
            self._flush()

    def _close(self, element: _Open) -> None:
        if element.skipped:
            self.skipping -= 1
            return
        tag = element.tag
        if tag in _BOLD:
            self._bold(-1)
        elif tag in ("td", "th"):
            self._flush_cell()
        elif tag == "tr":
            self._end_row()
        elif self.row is not None:
            self.inline.append(" ")
        elif tag in _HEADINGS or tag in ("li", "ul", "ol", "table") or tag in _BLOCKS:
            self._flush()
            self.prefix = ""
            if tag != "li" and not self._inside("ul", "ol"):
                self._paragraph_break()

    def _bold(self, change: int) -> None:
        """Mark where bold opens (``\\x01``) and closes (``\\x02``), outermost only."""
        if change > 0:
            self.bold += 1
            if self.bold == 1:
                self.inline.append("\x01")
        elif self.bold:
            self.bold -= 1
            if self.bold == 0:
                self.inline.append("\x02")

    def _item_marker(self) -> str:
        lists = [element for element in self.open[:-1] if element.tag in ("ul", "ol")]
        indent = "  " * max(len(lists) - 1, 0)
        if lists and lists[-1].tag == "ol":
            lists[-1].number += 1
            return f"{indent}{lists[-1].number}. "
        return f"{indent}- "

    # --- output --------------------------------------------------------------------------------

    def _inside(self, *tags: str) -> bool:
        return any(element.tag in tags for element in self.open)

    def _words(self) -> str:
        text = _bold_markup("".join(self.inline), heading=self.prefix.startswith("#"))
        self.inline = []
        if self._inside("pre"):
            return text.rstrip()
        return " ".join(text.replace("\xa0", " ").split())

    def _flush(self, *, keep_prefix: bool = False) -> None:
        if self.row is not None:
            self.inline.append(" ")
            return
        text = self._words()
        if not text:
            return  # the line's prefix waits for its words ("<li><p>words</p></li>")
        self.blocks.append(self.prefix + text)
        # after a <br> a list item's next line is indented under its words; otherwise the line is done
        self.prefix = " " * len(self.prefix) if keep_prefix else ""

    def _flush_cell(self) -> None:
        text = self._words()
        if self.row is not None and text:
            self.row.cells.append(text.replace("|", "/"))

    def _end_row(self) -> None:
        self._flush_cell()
        if self.row is not None and self.row.cells:
            self.blocks.append(" | ".join(self.row.cells))
        self.row = None

    def _paragraph_break(self) -> None:
        if self.blocks and self.blocks[-1] != "":
            self.blocks.append("")

    def text(self) -> str:
        self._end_row()
        self._flush()
        return "\n".join(self.blocks).strip() + "\n"


def _bold_markup(text: str, *, heading: bool) -> str:
    """``\\x01``/``\\x02`` (bold opened, closed) to ``**`` around the words (none in a heading)."""
    if not heading:
        text = re.sub(r"\x01(\s*)([^\x01\x02]*?)(\s*)\x02", lambda m: f"{m[1]}**{m[2]}**{m[3]}" if m[2] else m[1] + m[3], text)
    return text.replace("\x01", "").replace("\x02", "")


def _skipped(tag: str, attrs: dict[str, str | None]) -> bool:
    """Not the page's own content: site furniture, banners, hidden or interactive parts."""
    if tag in _SKIPPED_TAGS or "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if (attrs.get("role") or "").lower() in _SKIPPED_ROLES:
        return True
    names = " ".join(attrs.get(name) or "" for name in ("id", "class", "aria-label"))
    return bool(_SKIPPED_NAMES.search(names))


def _start_number(tag: str, attrs: dict[str, str | None]) -> int:
    if tag != "ol":
        return 0
    try:
        return int(attrs.get("start") or 1) - 1
    except ValueError:
        return 0
