"""Read a response letter (usually the Mayor's) answering a committee report.

Pure functions: text in, ``ParsedLetter`` out. No database, no Django.

The parser works from structure and wording, never from a particular file's layout:

- the *header* is everything before the salutation ("Dear ..."): the addressee block (name, then
  role), "Our ref: ..." and "Date: ...";
- the *signature* follows the valediction ("Yours sincerely"): a short name line, then the role;
  image descriptions of a handwritten signature are ignored;
- every line that is a heading "Recommendation N" (also "Recommendation N:", "RECOMMENDATION N.",
  "Recommendations 3 and 4", optionally in markdown ``#``/``**``) starts a reply, which runs to
  the next such heading (or to a valediction / "Annex" / "Appendix" line);
- inside a reply, the restated recommendation is the text on the heading line after a colon, or
  the leading emphasised (bold/italic) paragraph(s), or everything before a "Mayor's response:"
  label, or a first paragraph that reads like a recommendation ("X should/must ..."); the rest is
  the reply;
- page furniture (the repeated letterhead "MAYOR OF LONDON", page numbers, City Hall footers) is
  dropped, and a sentence broken by a page header is joined up again.

Commitments are read sentence by sentence from each reply (see ``commitments_in``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .addressees import organisations_in
from .deadlines import find_deadlines, parse_document_date
from .types import (
    UNKNOWN_DATE,
    DatePrecision,
    DocumentDate,
    ParsedCommitment,
    ParsedLetter,
    ParsedReply,
    ParseError,
)

__all__ = ["parse_response_letter", "commitments_in", "restated_matches"]

NO_REPLIES_MESSAGE = (
    "no replies to numbered recommendations found: expected headings like 'Recommendation 1'"
)

NOT_A_LETTER_MESSAGE = (
    "this does not look like a response letter: it has 'Recommendation N' headings but no"
    " 'Dear ...' salutation, no 'Yours sincerely' sign-off and no \"Mayor's response to the"
    " recommendations\" heading (is it the committee report itself?)"
)
_RESPONSE_TITLE = re.compile(
    r"^(?:the\s+)?(?:mayor(?:\s+of\s+london)?|mopac|deputy\s+mayor[\w\s]{0,40}?)['’]?s?\s+(?:response|reply)\b.{0,200}\b(?:recommendations?|report)\b",
    re.I,
)

# --------------------------------------------------------------------------------------------
# Lines: markdown clean-up and page furniture
# --------------------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int  # 1-based line in the text the parser was given
    raw: str  # the markdown-ish source of this logical line
    text: str  # cleaned: no markdown markers, whitespace-normalised
    emphasised: bool  # the whole line was bold or italic
    bullet: bool


_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
_HEADING_HASHES = re.compile(r"^\s{0,3}#{1,6}\s*")
_BULLET = re.compile(r"^\s*(?:[-*+•●▪◦–]|\d+[.)])\s+")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)")


def _split_bold_runs(line: str) -> list[str]:
    """Split a line where a bold run opens straight after other text.

    PDF-to-markdown extraction glues separate blocks together: "**MAYOR OF LONDON****Susan Hall
    AM**", "**Our ref:** MGLA1**Date:** 18 August 2022", "...below the name.**Sadiq Khan**".
    A bold run that opens with no space before it starts a new logical line.
    """
    pieces: list[str] = []
    start = 0
    is_open = False
    for match in re.finditer(r"\*\*", line):
        if not is_open and match.start() > start and not line[match.start() - 1].isspace():
            pieces.append(line[start:match.start()])
            start = match.start()
        is_open = not is_open
    pieces.append(line[start:])
    return [piece for piece in pieces if piece.strip()] or [line]


def _clean(raw: str) -> str:
    text = raw.replace("\u00a0", " ").replace("\u200b", "")
    text = _LINK.sub(lambda m: m.group(1) if not m.group(0).startswith("!") else "", text)
    text = _HEADING_HASHES.sub("", text)
    text = re.sub(r"^\s*>\s?", "", text)
    text = text.replace("**", "").replace("__", "")
    text = _ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"\\([*_#\[\]()\\`-])", r"\1", text)  # markdown escapes
    text = text.replace("`", "")
    return " ".join(text.split())


def _is_emphasised(raw: str) -> bool:
    body = _HEADING_HASHES.sub("", raw).strip()
    if len(body) < 5:
        return False
    for marker in ("**", "__", "*", "_"):
        if body.startswith(marker) and body.endswith(marker) and not body.startswith(marker * 2 + marker[0]):
            inner = body[len(marker):-len(marker)]
            if inner.strip() and marker not in inner and (marker in ("**", "__") or "*" not in inner):
                return True
    return False


def _logical_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    # Split on "\n" only: a form feed from a PDF is page furniture, not a line, so line numbers
    # match what an editor shows.
    for number, source in enumerate(text.split("\n"), start=1):
        for piece in _split_bold_runs(source):
            cleaned = _clean(piece)
            bullet = bool(_BULLET.match(piece)) and not piece.lstrip().startswith("**")
            if bullet:
                cleaned = _clean(_BULLET.sub("", piece, count=1))
            lines.append(_Line(number, piece, cleaned, _is_emphasised(piece), bullet))
    return lines


_LETTERHEADS = {"MAYOR OF LONDON", "LONDONASSEMBLY", "LONDON ASSEMBLY", "GREATER LONDON AUTHORITY", "GREATERLONDONAUTHORITY"}
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.I)
_FOOTER = re.compile(r"City\s+Hall.*(?:london\.gov\.uk|020\s*7983|E16\s*1ZE|SE1\s*2AA|Switchboard)|^london\.gov\.uk$", re.I)


def _is_furniture(line: _Line) -> bool:
    """Page headers and footers repeated on every page of a printed letter."""
    text = line.text
    if not text:
        return False
    if text.upper() in _LETTERHEADS and (text.isupper() or line.raw.lstrip().startswith("#")):
        return True
    return bool(_PAGE_NUMBER.match(text) or _FOOTER.search(text))


# --------------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------------

_REC_HEADING = re.compile(
    r"^(?:response\s+to\s+)?recommendations?\s+(?P<numbers>\d{1,3}(?:\s*(?:,|and|&|-|–|to)\s*\d{1,3})*)"
    r"(?P<after>.*)$",
    re.I,
)
_HEADING_SEPARATOR = re.compile(r"^\s*[:.\-–—)]\s*")
_RESPONSE_LABEL = re.compile(
    r"^(?:the\s+)?(?:(?:mayor|mopac|deputy\s+mayor|our|city\s+hall)(?:['’]s)?\s+)?(?:response|reply)"
    r"(?:\s+(?:from|of)\s+the\s+mayor)?\s*(?P<sep>[:.\-–—])?\s*(?P<rest>.*)$",
    re.I,
)
_STATUS = re.compile(
    r"^(?:(?:partially|partly|not|fully)\s+)?(?:accepted|agreed|rejected|noted|supported|completed?|in\s+progress|under\s+consideration)\.?$",
    re.I,
)
_VALEDICTION = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly|ever|aye)|(?:with\s+)?(?:kind|best|warm)\s+(?:regards|wishes)|regards)\b",
    re.I,
)
_SECTION_BREAK = re.compile(r"^(?:annex|appendix)\b.{0,60}$", re.I)


def _heading_numbers(spec: str) -> list[int]:
    numbers: list[int] = []
    for match in re.finditer(r"(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?", spec):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if last < first or last - first > 30:
            last = first
        numbers.extend(range(first, last + 1))
    return numbers


def _reply_heading(line: _Line) -> tuple[list[int], str] | None:
    """(numbers, text after the heading) when the line is a "Recommendation N" heading."""
    match = _REC_HEADING.match(line.text)
    if not match:
        return None
    after = re.sub(r"^\s*\([^()]{1,60}\)", "", match.group("after"))  # "Recommendation 1 (MOPAC):"
    if after.strip():
        separator = _HEADING_SEPARATOR.match(after)
        if not separator:
            return None  # prose: "Recommendation 3 is addressed to the Met ..."
        after = after[separator.end():]
    return _heading_numbers(match.group("numbers")), after.strip()


# --------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------


@dataclass
class _Paragraph:
    lines: list[_Line]
    after_page_break: bool = False

    @property
    def emphasised(self) -> bool:
        return all(line.emphasised for line in self.lines if line.text)

    @property
    def text(self) -> str:
        out = ""
        for line in self.lines:
            if not line.text:
                continue
            if line.bullet:
                out += ("\n" if out else "") + "• " + line.text
            else:
                out += (" " if out else "") + line.text
        return out


def _paragraphs(lines: list[_Line]) -> list[_Paragraph]:
    """Group lines into paragraphs; drop page furniture; rejoin sentences split by a page break."""
    paragraphs: list[_Paragraph] = []
    current: list[_Line] = []
    pending_break = False

    def flush() -> None:
        nonlocal current, pending_break
        if current:
            paragraphs.append(_Paragraph(current, after_page_break=pending_break))
            pending_break = False
        current = []

    for line in lines:
        if _is_furniture(line):
            flush()
            pending_break = True
            continue
        if not line.text:
            flush()
            continue
        if line.bullet and current and not current[-1].bullet:
            flush()
        current.append(line)
    flush()

    joined: list[_Paragraph] = []
    for paragraph in paragraphs:
        if joined:
            previous = joined[-1]
            prev_text = previous.text
            next_text = paragraph.text
            unfinished = not re.search(r"[.!?:;…\"”’')\]]$", prev_text)
            if (
                unfinished
                and previous.emphasised == paragraph.emphasised
                and not paragraph.lines[0].bullet
                and (paragraph.after_page_break or next_text[:1].islower())
            ):
                previous.lines.extend(paragraph.lines)
                continue
        joined.append(paragraph)
    return joined


# --------------------------------------------------------------------------------------------
# Sentences and commitments
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|Cllr|No|St|vs|approx|incl|Prof)\.|\b[A-Z]\.)$")


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for block in text.split("\n"):
        block = block.strip()
        if block.startswith("• "):
            block = block[2:]
        if not block:
            continue
        parts = re.split(r"(?<=[.!?])[\"”’')]?\s+(?=[A-Z0-9£“\"‘'(])", block)
        merged: list[str] = []
        for part in parts:
            if merged and _ABBREVIATIONS.search(merged[-1]):
                merged[-1] += " " + part
            else:
                merged.append(part)
        sentences.extend(" ".join(part.split()) for part in merged if part.strip())
    return sentences


_PROMISE = re.compile(
    r"\b(?:will(?!\s+not\b)(?!\s+to\b)|shall(?!\s+not\b)|intends?\s+to|plans?\s+to|(?:is|are)\s+(?:due|scheduled|expected|set)\s+to|(?:is|are)\s+going\s+to)\b",
    re.I,
)
_START_POINT = re.compile(r"\b(?:from|since|starting(?:\s+in)?|beginning(?:\s+in)?|after)\s*$", re.I)
_FORWARD_DEADLINE = re.compile(r"^(?:by|before|until|no later than|not later than|due|in time for|later|this|the current|next|during this)\b", re.I)
_CLAUSE_LEAD = re.compile(r"^(?:(?:and|but|so|then|also|which|that|who|where|while|whilst|as)\s+)+", re.I)
_RELATIVE = re.compile(r"^(?:which|that|who|where)\b", re.I)
_HEAD_CONNECTORS = {"the", "of", "for", "and", "&", "on", "in"}


def _subject_owner(clause: str, first_person: str) -> str | None:
    """The organisation heading ``clause`` (its grammatical subject), "" if none, None if no subject.

    Only the leading run of capitalised words (plus "the", "of", "for", "and") is looked at, so a
    body named later ("An examination ... taken by the MPS") is not the owner.
    """
    clause = _CLAUSE_LEAD.sub("", clause.strip().strip(",;: "))
    if not clause:
        return None
    if re.match(r"^(?:I|we)\b", clause, re.I):
        return first_person
    head: list[str] = []
    for word in clause.split():
        bare = word.strip("(),'’\"“”")
        if bare and (bare[0].isupper() or bare.lower() in _HEAD_CONNECTORS):
            head.append(word)
            continue
        break
    keys = organisations_in(" ".join(head)) if head else []
    return keys[0] if keys else ""


def _owner(sentence: str, promise_at: int | None, first_person: str) -> str:
    if promise_at is None:
        return _subject_owner(sentence, first_person) or ""
    before = sentence[:promise_at]
    clause = re.split(r"[,;:]|\s[–—-]\s", before)[-1]
    stripped = clause.strip()
    owner = _subject_owner(clause, first_person)
    if owner is None or _RELATIVE.match(stripped):
        if owner:  # "which MOPAC will ensure ..."
            return owner
        return _subject_owner(sentence, first_person) or ""
    return owner


def commitments_in(
    text: str,
    *,
    reference_date: datetime.date | None = None,
    first_person: str = "Mayor",
) -> list[ParsedCommitment]:
    """The promises made in ``text`` (a reply's body), one per sentence, in order.

    A sentence is a commitment when either
    - it states a deadline that lies ahead of ``reference_date`` (the letter's date) and either
      makes a promise ("will", "intends to", "plans to", "is due to", "shall") or the deadline is
      worded as one ("until September 2022", "later this year", "this financial year (2022-23)");
      deadlines that are starting points ("from this financial year", "since 2019") or already past
      ("during 2021" in a 2022 letter) do not count; or
    - it makes a promise with no date, and its subject is an identified organisation or the
      writer ("MOPAC will also explore ...", "We will continue to ..."): due is then None.

    ``owner`` is the canonical key of the organisation that is the subject of the promise
    ("which MOPAC will ensure" -> MOPAC; "MOPAC's team is conducting a review, which will be
    published" -> MOPAC), ``first_person`` for "I"/"we" (the letter's author), else "".
    Without ``reference_date`` relative phrases cannot be resolved and an absolute deadline needs
    a promise word.
    """
    commitments: list[ParsedCommitment] = []
    for sentence in _sentences(text):
        promises = list(_PROMISE.finditer(sentence))
        usable = []
        for deadline in find_deadlines(sentence, reference_date=reference_date):
            position = sentence.find(deadline.text)
            if position >= 0 and _START_POINT.search(sentence[:position]):
                continue
            if reference_date is not None and deadline.date < reference_date:
                continue
            worded_forward = bool(_FORWARD_DEADLINE.match(deadline.text))
            if not promises and (reference_date is None or not worded_forward):
                continue
            usable.append((position, deadline))
        if usable:
            position, due = usable[0]
            before = [p for p in promises if p.start() < position] if position >= 0 else []
            anchor = (before[-1] if before else promises[0]) if promises else None
            owner = _owner(sentence, anchor.start() if anchor else None, first_person)
            commitments.append(ParsedCommitment(text=sentence, owner=owner, due=due))
            continue
        for promise in promises:
            owner = _owner(sentence, promise.start(), first_person)
            if owner:
                commitments.append(ParsedCommitment(text=sentence, owner=owner, due=None))
                break
    return commitments


# --------------------------------------------------------------------------------------------
# Restatement vs reply
# --------------------------------------------------------------------------------------------

_RECOMMENDATION_CUE = re.compile(
    r"\b(?:should|must|ought\s+to|needs?\s+to|calls?\s+(?:on|upon)|recommends?|is\s+to|are\s+to)\b",
    re.I,
)
_REPLY_OPENING = re.compile(
    r"^(?:I\b|we\b|our\b|my\b|agreed|accepted|rejected|not\s+accepted|partially|noted|the\s+mayor\s+(?:agrees|accepts|welcomes|notes|supports))",
    re.I,
)


def _reads_like_recommendation(text: str) -> bool:
    first = _sentences(text)[:1]
    if not first:
        return False
    sentence = first[0]
    if _REPLY_OPENING.match(sentence) or re.search(r"\bagree", sentence, re.I):
        return False
    cue = _RECOMMENDATION_CUE.search(sentence)
    return bool(cue and cue.start() < 160)


def _response_label(line: _Line) -> str | None:
    """The text after a "Mayor's response:" label on ``line`` ("" when alone), or None."""
    label = _RESPONSE_LABEL.match(line.text)
    if not label:
        return None
    rest = label.group("rest")
    if rest and label.group("sep") not in (":", "–", "—", "-"):
        return None  # prose: "Response times have improved ..."
    return rest


def _starts_like_reply(text: str) -> bool:
    """The first sentence is said by the writer or an organisation ("MOPAC has ...", "We ...")."""
    first = _sentences(text)[:1]
    return bool(first) and not _reads_like_recommendation(first[0]) and bool(
        _REPLY_OPENING.match(first[0]) or _subject_owner(first[0], "Mayor")
    )


def _cut_restatement(paragraph: _Paragraph, strict: bool = False) -> tuple[str, list[_Paragraph]] | None:
    """Split one paragraph that holds a restatement and, after a line break, the reply.

    Plain text with no blank line between them: cut at the first line that ends a sentence
    when what follows no longer reads like a recommendation (``strict``: and reads like a reply).
    """
    for cut in range(1, len(paragraph.lines)):
        head = _Paragraph(paragraph.lines[:cut])
        tail = _Paragraph(paragraph.lines[cut:])
        if not re.search(r"[.!?]$", head.text) or _reads_like_recommendation(tail.text):
            continue
        if strict and not _starts_like_reply(tail.text):
            continue
        return head.text, [tail]
    return None


def _drop_trailing_heading(section: list[_Line]) -> list[_Line]:
    """Drop a heading that closes a reply section because it introduces the next part.

    A letter answering several reports puts the next report's name ("Tasers") just before its
    "Recommendation 1"; it is short, has no closing punctuation and follows a finished sentence.
    """
    content = [i for i, line in enumerate(section) if line.text and not _is_furniture(line)]
    if len(content) < 2:
        return section
    last, previous = section[content[-1]], section[content[-2]]
    title_like = (
        len(last.text.split()) <= 8
        and last.text[:1].isupper()
        and not re.search(r"[.!?:;,]$", last.text)
        and not last.bullet
    )
    if title_like and re.search(r"[.!?:]['’\"”)]?$", previous.text):
        return section[: content[-1]]
    return section


def _split_reply(inline: str, section: list[_Line]) -> tuple[str, list[_Paragraph]]:
    """(restated recommendation, reply paragraphs) for the lines after one reply heading.

    ``inline`` is the text on the heading line after "Recommendation N:".
    """
    # 1. An explicit label: "Mayor's response:" on its own line or leading the reply.
    labelled = _split_at_label(inline, section)
    if labelled:
        return labelled
    paragraphs = _paragraphs(section)
    # 2. The restatement is on the heading line, perhaps continued on the next lines.
    if inline:
        if paragraphs and section and section[0].text and paragraphs[0].lines[0] is section[0]:
            first = _Paragraph([_Line(0, inline, inline, False, False)] + paragraphs[0].lines)
            cut = _cut_restatement(first, strict=len(paragraphs) > 1)
            if cut:
                return cut[0], cut[1] + paragraphs[1:]
            return first.text, paragraphs[1:]
        return inline, paragraphs
    return _split_unlabelled(paragraphs)


def _split_at_label(inline: str, section: list[_Line]) -> tuple[str, list[_Paragraph]] | None:
    """Split at a "Mayor's response:" label on its own line or leading the reply; None without one."""
    for index, line in enumerate(section):
        rest = _response_label(line)
        if rest is None:
            continue
        restated = " ".join([inline] + [p.text for p in _paragraphs(section[:index])]).strip()
        body_lines = section[index + 1:]
        if rest:
            body_lines = [_Line(line.number, rest, rest, False, False)] + body_lines
        return restated, _paragraphs(body_lines)
    return None


def _split_unlabelled(paragraphs: list[_Paragraph]) -> tuple[str, list[_Paragraph]]:
    """Steps 3 and 4 of ``_split_reply``: no label and nothing restated on the heading line."""
    if not paragraphs:
        return "", []
    # 3. Leading bold/italic paragraph(s).
    leading = 0
    while leading < len(paragraphs) and paragraphs[leading].emphasised:
        leading += 1
    if 0 < leading < len(paragraphs):
        return " ".join(p.text for p in paragraphs[:leading]), paragraphs[leading:]
    if leading == len(paragraphs) and leading > 1:
        return paragraphs[0].text, paragraphs[1:]
    # 4. A first paragraph that reads like a recommendation ("MOPAC should ...").
    first = paragraphs[0]
    if _reads_like_recommendation(first.text):
        cut = _cut_restatement(first, strict=len(paragraphs) > 1)
        if cut:
            return cut[0], cut[1] + paragraphs[1:]
        if len(paragraphs) > 1:
            return first.text, paragraphs[1:]
    return "", paragraphs


# --------------------------------------------------------------------------------------------
# Header, signature, title, apology
# --------------------------------------------------------------------------------------------

_LABEL_LINE = re.compile(r"^(?:our|your|my)?\s*ref(?:erence)?\b|^date\b|^(?:tel|telephone|phone|e-?mail|web|fax)\b", re.I)
_ADDRESS = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|^City\s+Hall\b|Kamal\s+Chunchie|Queen['’]s\s+Walk|^London$|"
    r"^(?:by\s+e-?mail|sent\s+(?:by|via)\s+e-?mail|private\s+and\s+confidential)\b",
    re.I,
)
_ROLE_WORDS = re.compile(r"\b(?:Chair(?:man|woman|person)?|Member|Minister|Secretary|Director|Commissioner|Deputy|Leader|Mayor|Clerk)\b")
_IMAGE_DESCRIPTION = re.compile(
    r"signature|appearing\s+to\s+read|^(?:an?\s+)?(?:image|picture|photo|logo)\b|^\[?image|^!\[", re.I
)


def _salutation_index(lines: list[_Line], limit: int) -> int | None:
    for index, line in enumerate(lines[:limit]):
        if re.match(r"^Dear\b", line.text):
            return index
    return None


def _reference(header: list[_Line]) -> str:
    token = r"(?P<ref>[A-Za-z0-9][A-Za-z0-9/\-._]*\d[A-Za-z0-9/\-._]*)"
    for pattern in (
        rf"\b(?:our|my)\s+ref(?:erence)?\.?(?:[ \t]*(?:no\.?|number))?[ \t]*[:\-]?[ \t]*{token}",
        rf"^ref(?:erence)?\.?[ \t]*[:\-][ \t]*{token}",
    ):
        for line in header:
            match = re.search(pattern, line.text, re.I)
            if match:
                return match.group("ref").rstrip(".")
    return ""


def _letter_date(header: list[_Line]) -> DocumentDate:
    for line in header:
        match = re.search(r"\bDate[d]?\s*:?\s*(?P<d>.+)$", line.text)
        if match and re.match(r"^Date", line.text):
            found = parse_document_date(match.group("d"))
            if found.date is not None:
                return found
    for line in header:  # a line that is just a date
        found = parse_document_date(line.text)
        if found.date is not None and found.precision == DatePrecision.DAY and len(found.text) >= len(line.text) - 12:
            return found
    for line in header:
        found = parse_document_date(line.text)
        if found.date is not None and found.precision == DatePrecision.DAY:
            return found
    return UNKNOWN_DATE


def _addressee_blocks(header: list[_Line]) -> list[tuple[str, str]]:
    """(name, role) blocks in the header: a short name line, then a role line (plus its
    continuation when a line ends mid-phrase, "... Police and" / "Crime Committee")."""
    blocks: list[tuple[str, list[str]]] = []
    name = ""
    role_lines: list[str] = []

    def close() -> None:
        nonlocal name, role_lines
        if name:
            blocks.append((name, role_lines))
        name, role_lines = "", []

    for line in header:
        text = line.text
        if not text:
            continue
        date_line = parse_document_date(text)
        skip = (
            _is_furniture(line)
            or text.upper() in _LETTERHEADS
            or _LABEL_LINE.match(text)
            or re.match(r"^c/o\b", text, re.I)
            or "@" in text
            or re.search(r"https?://|www\.", text)
            or _ADDRESS.search(text)
            or (date_line.date is not None and len(date_line.text) >= len(text) - 12)
        )
        if skip:
            close()
            continue
        if name and not role_lines:
            role_lines.append(text)
            continue
        if name and (re.search(r"\b(?:and|of|the|for|on|to|&)$|,$", role_lines[-1]) or text[:1].islower()):
            role_lines.append(text)
            continue
        close()
        if len(text.split()) > 10 or text.endswith("."):
            continue
        if "," in text:
            first, rest = text.split(",", 1)
            if _ROLE_WORDS.search(rest):
                name, role_lines = first.strip(), [rest.strip()]
                continue
        name = text
    close()
    return [(name, " ".join(" ".join(role).split())) for name, role in blocks]


def _recipient(header: list[_Line], salutation: _Line | None, author_name: str) -> tuple[str, str]:
    """The addressee: the header block the salutation names ("Dear Susan" -> "Susan Hall AM"),
    else the first block that is not the sender's own letterhead."""
    blocks = _addressee_blocks(header)
    if salutation is not None:
        words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", salutation.text)[1:]}
        for name, role in blocks:
            if words & {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", name)}:
                return name, role
    for name, role in blocks:
        if name != author_name:
            return name, role
    return "", ""


def _is_name(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 6
        and not text.endswith((".", ":", ","))
        and text[:1].isupper()
        and not _IMAGE_DESCRIPTION.search(text)
        and not _SECTION_BREAK.match(text)
        and not _REC_HEADING.match(text)
        and not re.search(r"\d", text)
    )


def _author(lines: list[_Line]) -> tuple[str, str]:
    for index, line in enumerate(lines):
        if not _VALEDICTION.match(line.text):
            continue
        name, role_lines = _signature_below(lines[index + 1: index + 14])
        if name:
            return name, " ".join(" ".join(role_lines).split())
    return "", ""


def _signature_below(following_lines: list[_Line]) -> tuple[str, list[str]]:
    """The signatory's name and role lines in the lines after a valediction ("Yours sincerely")."""
    name = ""
    role_lines: list[str] = []
    for following in following_lines:
        text = following.text
        if not text or _IMAGE_DESCRIPTION.search(text) or text.lower() in ("[signature]", "signed"):
            if role_lines:
                break
            continue
        if _is_furniture(following) or _SECTION_BREAK.match(text) or _reply_heading(following) or re.match(r"^(?:cc|enc|encl)\b", text, re.I):
            break
        if not name:
            if _is_name(text):
                name = text
                continue
            break
        if not role_lines:
            if len(text.split()) <= 14 and not text.endswith("."):
                role_lines.append(text)
                continue
            break
        if re.search(r"\b(?:and|of|the|for|on|to|&)$|,$", role_lines[-1]) or text[:1].islower():
            role_lines.append(text)
            continue
        break
    return name, role_lines


# PDF text often turns an opening straight quote into a closing curly one (’), so ’ opens too.
_ACRONYM_SUFFIX = re.compile(r"\s*\((?:the\s+)?[A-Z][A-Za-z&]{1,12}\)\s*$")
_QUOTED_AFTER_REPORT = re.compile(
    r"\breports?\b[^.\n‘’'\"“]{0,60}?(?<![\w])[‘’'\"“](?P<title>[^\n]{3,200}?)[’'\"”](?=[\s,.;:)(]|$)", re.I
)
_QUOTED_BEFORE_REPORT = re.compile(
    r"(?<![\w])[‘’'\"“](?P<title>[^\n‘’\"“”]{3,200}?)[’'\"”]\s+reports?\b", re.I
)
_QUOTED_NEXT = re.compile(
    r"^\s*(?:\([A-Z][A-Za-z&]{1,12}\)\s*)?(?:,\s*(?:and\s+)?|and\s+|&\s+)[‘’'\"“](?P<title>[^\n]{3,200}?)[’'\"”](?=[\s,.;:)(]|$)"
)
_UNQUOTED = re.compile(
    r"\breport\s+(?:on|into|entitled|titled|called)\s+(?P<title>[^.\n;]{3,200}?)(?=\s*(?:\.(?:\s|$)|;|\n|$|,\s+(?:which|published|and|dated)\b))",
    re.I,
)


def _tidy_title(title: str) -> str:
    title = " ".join(title.split()).strip(" ,.;:")
    title = _ACRONYM_SUFFIX.sub("", title)
    return title.strip(" ,.;:")


def _report_titles(lines: list[_Line]) -> list[str]:
    text = "\n".join(line.text for line in lines)
    titles: list[str] = []
    def add(title: str) -> None:
        title = _tidy_title(title)
        if title and title.lower() not in [t.lower() for t in titles]:
            titles.append(title)

    for match in _QUOTED_AFTER_REPORT.finditer(text):
        add(match.group("title"))
        rest = text[match.end():]
        while (following := _QUOTED_NEXT.match(rest)) is not None:  # "'A', 'B' and 'C'"
            add(following.group("title"))
            rest = rest[following.end():]
    for match in _QUOTED_BEFORE_REPORT.finditer(text):
        add(match.group("title"))
    if titles:
        return titles
    for match in _UNQUOTED.finditer(text):
        add(match.group("title"))
    return titles


_APOLOGY = re.compile(
    r"\b(?:sorry|apolog(?:ise|ize|ies|y)|regret)\b[^.!?]{0,80}?\b(?:delay(?:ed)?|late(?:ness)?|taken\s+(?:so\s+)?long|time\s+(?:it\s+has\s+)?taken|overdue)\b"
    r"|\b(?:delay(?:ed)?|late)\b[^.!?]{0,60}?\bapolog",
    re.I,
)


# --------------------------------------------------------------------------------------------
# The letter
# --------------------------------------------------------------------------------------------


# A letter's closing courtesies, which follow its last reply and are no part of it.
_COURTESIES = [
    re.compile(r"\b(?:happy|pleased|glad|delighted)\s+to\s+(?:discuss|meet|talk|answer|help|provide\s+(?:any\s+)?(?:further|more))\b", re.I),
    re.compile(r"^I\s+hope\s+(?:this|these|that|my|the\s+above)\b.{0,80}?\b(?:helpful|useful|clarif|reassur|assist|of\s+help)", re.I | re.S),
    re.compile(r"\bdo(?:\s+not|n['’]t)\s+hesitate\s+to\b", re.I),
    re.compile(r"^(?:thank\s+you|thanks)\s+(?:again|once\s+again)\b", re.I),
    re.compile(r"^(?:please\s+)?(?:feel\s+free\s+to\s+)?(?:contact|get\s+in\s+touch\s+with)\s+(?:me|us|my\s+office)\b", re.I),
]
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')]?\s+(?=[A-Z\"“‘'(])")


def _sentence_offsets(paragraph: str) -> list[int]:
    return [0] + [match.end() for match in _SENTENCE_BREAK.finditer(paragraph)]


def _is_courtesy(sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern in _COURTESIES)


def _courtesies_cut(paragraph: str) -> str:
    """``paragraph`` without a valediction and what follows it, and without closing courtesies at its end."""
    starts = _sentence_offsets(paragraph)
    ends = starts[1:] + [len(paragraph)]
    sentences = [paragraph[start:end] for start, end in zip(starts, ends, strict=True)]
    keep = next((index for index, sentence in enumerate(sentences) if _VALEDICTION.match(sentence.strip())), len(sentences))
    while keep and _is_courtesy(sentences[keep - 1].strip()):
        keep -= 1
    return paragraph[: starts[keep]].rstrip() if keep < len(sentences) else paragraph


def without_closing_courtesies(reply_text: str) -> str:
    """A letter's last reply without the courtesies that close the letter ("I would be happy to
    discuss this further", "I hope this is helpful", "Yours sincerely" and what follows).

    Pure. Only the end is trimmed: whole closing paragraphs, then closing sentences of the last
    paragraph that says something; a courtesy inside the reply stays.
    """
    paragraphs = reply_text.split("\n\n")
    signed = next((index for index, paragraph in enumerate(paragraphs) if _VALEDICTION.match(paragraph.strip())), None)
    paragraphs = paragraphs[:signed]
    while paragraphs:
        kept = _courtesies_cut(paragraphs[-1])
        if kept:
            paragraphs[-1] = kept
            break
        paragraphs.pop()
    return "\n\n".join(paragraphs).strip()


def parse_response_letter(text: str) -> ParsedLetter:
    """Parse a response letter answering numbered committee recommendations.

    Raises ``ParseError`` when ``text`` is empty or has no "Recommendation N" replies.
    Every relative deadline in a reply is resolved against the letter's own date.
    """
    if not text or not text.strip():
        raise ParseError("the response letter is empty")
    lines = _logical_lines(text.replace("\r\n", "\n").replace("\r", "\n"))

    headings = _reply_headings(lines)
    if not headings:
        raise ParseError(NO_REPLIES_MESSAGE)
    if not any(
        re.match(r"^Dear\b", line.text) or _VALEDICTION.match(line.text) or _RESPONSE_TITLE.match(line.text)
        for line in lines
    ):
        raise ParseError(NOT_A_LETTER_MESSAGE)

    warnings: list[str] = []
    first_heading = headings[0][0]
    salutation = _salutation_index(lines, first_heading)
    header = lines[:salutation] if salutation is not None else lines[: min(first_heading, 40)]
    letter_part = lines[:first_heading]

    date = _letter_date(header)
    if date.date is None:
        warnings.append("no letter date found (expected e.g. 'Date: 18 August 2022' above the salutation)")
    reference = _reference(header) or _reference(letter_part)
    author_name, author_role = _author(lines)
    if not author_name:
        warnings.append("no signature found (expected a name after 'Yours sincerely')")
    recipient_name, recipient_role = (
        _recipient(header, lines[salutation], author_name) if salutation is not None else ("", "")
    )
    if not recipient_name:
        warnings.append("no addressee found above the salutation")
    first_person = (organisations_in(author_role) or ["Mayor"])[0]

    report_title = _report_title(letter_part, warnings)

    pre_text = " ".join(line.text for line in letter_part) or " ".join(line.text for line in lines)
    apologises = bool(_APOLOGY.search(pre_text))

    replies: list[ParsedReply] = []
    for position in range(len(headings)):
        replies += _read_replies(lines, headings, position, date.date, first_person, warnings)
    warnings += _numbering_warnings(replies)

    return ParsedLetter(
        kind="response_letter",
        date=date,
        reference=reference,
        author_name=author_name,
        author_role=author_role,
        recipient_name=recipient_name,
        recipient_role=recipient_role,
        report_title=report_title,
        apologises_for_delay=apologises,
        replies=replies,
        warnings=warnings,
    )



def _reply_headings(lines: list[_Line]) -> list[tuple[int, list[int], str]]:
    """(line index, recommendation numbers, text after the number) of each "Recommendation N" heading."""
    headings: list[tuple[int, list[int], str]] = []
    for index, line in enumerate(lines):
        found = _reply_heading(line)
        if found and found[0]:
            headings.append((index, found[0], found[1]))
    return headings


def _report_title(letter_part: list[_Line], warnings: list[str]) -> str:
    """The title of the report the letter answers (the first it names), warning when none or several."""
    titles = _report_titles(letter_part)
    report_title = titles[0] if titles else ""
    if not report_title:
        warnings.append("the letter does not name the report it answers")
    elif len(titles) > 1:
        warnings.append("the letter names more than one report: " + "; ".join(f"'{t}'" for t in titles))
    return report_title


def _reply_section(lines: list[_Line], headings: list[tuple[int, list[int], str]], position: int) -> list[_Line]:
    """The lines after heading ``position`` up to the next heading, a valediction or a section break."""
    index = headings[position][0]
    end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
    section = lines[index + 1: end]
    for offset, line in enumerate(section):
        if _VALEDICTION.match(line.text) or _SECTION_BREAK.match(line.text):
            section = section[:offset]
            break
    return _drop_trailing_heading(section)


def _read_replies(
    lines: list[_Line],
    headings: list[tuple[int, list[int], str]],
    position: int,
    reference_date: datetime.date | None,
    first_person: str,
    warnings: list[str],
) -> list[ParsedReply]:
    """The reply under heading ``position``: one ``ParsedReply`` for each recommendation it answers."""
    index, numbers, inline = headings[position]
    section = _reply_section(lines, headings, position)
    status = ""
    if _STATUS.match(inline):  # "Recommendation 1 – Accepted": part of the reply
        status, inline = inline, ""
    restated, body = _split_reply(inline, section)
    if status:
        body = [_Paragraph([_Line(lines[index].number, status, status, False, False)])] + body
    reply_text = "\n\n".join(p.text for p in body if p.text).strip()
    if position == len(headings) - 1:  # the letter's sign-off follows its last reply
        reply_text = without_closing_courtesies(reply_text)
    heading_line = lines[index].number
    label = "Recommendations " + ", ".join(map(str, numbers)) if len(numbers) > 1 else f"Recommendation {numbers[0]}"
    if not reply_text:
        warnings.append(f"{label} (line {heading_line}) has a heading but no reply text")
    commitments = commitments_in(reply_text, reference_date=reference_date, first_person=first_person)
    return [
        ParsedReply(
            number=number,
            recommendation_text=restated,
            text=reply_text,
            commitments=list(commitments),
            line=heading_line,
        )
        for number in numbers
    ]


def _numbering_warnings(replies: list[ParsedReply]) -> list[str]:
    """Warnings for recommendations answered twice and for gaps in the numbering."""
    warnings: list[str] = []
    seen: dict[int, int] = {}
    for reply in replies:
        if reply.number in seen:
            warnings.append(
                f"Recommendation {reply.number} is answered twice (lines {seen[reply.number]} and {reply.line});"
                " the letter may answer more than one report"
            )
        else:
            seen[reply.number] = reply.line
    numbers = sorted(seen)
    missing = [n for n in range(1, numbers[-1] + 1) if n not in seen]
    if missing:
        warnings.append("no reply to recommendation(s) " + ", ".join(map(str, missing)) + " (numbering has gaps)")
    return warnings


# --------------------------------------------------------------------------------------------
# Matching a restatement to a recommendation
# --------------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    """a an the and or of to in on for by with at as from into that this these those it its his her
    their our we i is are be been being was were has have had must should will would shall can could
    may might also any all such so than then there which who whom what how when where not no more
    other including include includes both either each""".split()
)


def _tokens(text: str) -> set[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    tokens = set()
    for word in re.findall(r"[a-z0-9]+", text):
        if word in _STOPWORDS or len(word) < 2:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        tokens.add(word)
    return tokens


def restated_matches(restated: str, recommendation_text: str) -> float:
    """How well a letter's restatement matches a recommendation's own wording, from 0.0 to 1.0.

    Both texts are reduced to sets of content words (lower-cased, apostrophes and punctuation
    dropped, common function words and modal verbs removed, a crude plural/-ing/-ed stem). The
    score is the overlap coefficient ``|A ∩ B| / min(|A|, |B|)``, so a short form of a
    recommendation (a web page summary) scores 1.0 against a longer restatement that contains
    all its words. Either text empty -> 0.0. As a rule of thumb >= 0.6 means "the same
    recommendation"; below 0.3 means the reply answers something else.
    """
    left, right = _tokens(restated), _tokens(recommendation_text)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))
