"""Read replies to recommendations from any response document, in the layouts they come in.

Pure functions: text in, ``RepliesResult`` out. No database, no Django. This is the general reader
behind the reply family; the seed letter keeps its own parser (``response_letter``).

Replies are gathered as *pieces* keyed by recommendation number, then joined per number:

- a heading "Recommendation N" (also "1. Recommendation 1: “...”", "Recommendation N – Accepted")
  opens a section that runs to the next heading; inside it a "Response:" / "Government response:"
  / "MPS response:" label, a bold or quoted lead, or likeness to the stored recommendation tells
  the restated recommendation from the reply;
- "N: text" items: the first item with a number restates the recommendation, a second one (under
  "What we committed to doing", "Response") is the reply;
- status-table rows ("29 ... In principle", "| 3 | ... | Accepted |") give the stated position;
- where none of these exist, a sentence naming "Recommendation N" or recommendations "(31, 32 and
  33)" is the reply to those numbers.

Totals ("has accepted six recommendations", "accepted all 58 recommendations") go into
``summary_counts`` with a warning; no per-item reply is invented for them. Matching uses the number
and the content: ``match_replies`` proposes, for each reply, the recommendation it answers.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .commitments import PROMISE, extract_commitments
from .deadlines import MONTHS, parse_document_date
from .types import (
    UNKNOWN_DATE,
    DatePrecision,
    DocumentDate,
    ParsedReply,
    RepliesResult,
)
from .vocabulary import (
    ATTRIBUTIVE_LEADS,
    COMPARISON_STOP_WORDS,
    DOCUMENT_SECTION_HEADINGS,
    MODAL_VERBS,
    NUMBER_WORDS,
    POSITION_PHRASES,
    REPLY_SECTION_HEADINGS,
    RESPONSE_LABEL_WORDS,
    STATUS_TABLE_HEADINGS,
    words_pattern,
)

__all__ = [
    "describes_recommendation", "expand_group_replies", "extract_replies", "match_replies", "stated_position", "similarity", "ReplyProposal",
]

LOOKED_FOR = (
    "replies to numbered recommendations: 'Recommendation N' headings, 'Response:' labels, "
    "'N:' items, status-table rows, sentences naming recommendations by number, sections under topic "
    "subheadings, or an answer to a question"
)
MATCH_THRESHOLD = 0.35  # likeness from which a restatement is taken to be that recommendation
DISAGREE_MARGIN = 0.2  # how much better another recommendation must match to contradict the number

# --------------------------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int  # 1-based line in the given text
    text: str  # markdown, bullets and paragraph numbers removed
    bold: bool  # the whole line was emphasised
    para: str = ""  # a leading paragraph number ("2." in "2. Government response:")


_MARKUP = re.compile(r"\*\*|__|^\s{0,3}#{1,6}\s*|^\s*>\s?")
_BULLET = re.compile(r"^\s*[-*+•●▪◦–]\s+")
_PARA_NUMBER = re.compile(r"^\s*(\d{1,3}[.)])\s+(?=\S)")


def _line(number: int, raw: str) -> _Line:
    body = raw.replace("\u00a0", " ").strip()
    bold = len(body) > 4 and body.startswith(("**", "__")) and body.endswith(("**", "__"))
    body = _BULLET.sub("", _MARKUP.sub("", body)).replace("**", "")
    para = ""
    match = _PARA_NUMBER.match(body)
    if match and not re.match(r"^\d{1,3}[.)]\s+\d", body):
        para, body = match.group(1), body[match.end():]
    return _Line(number, " ".join(body.split()), bold, para)


def _lines(text: str) -> list[_Line]:
    return [_line(number, raw) for number, raw in enumerate(text.split("\n"), start=1)]


def _join(lines: Sequence[_Line]) -> str:
    return " ".join(line.text for line in lines if line.text).strip()


def _paragraphs(lines: Sequence[_Line]) -> list[list[_Line]]:
    """Lines grouped into paragraphs: a blank line, or a line that ends a sentence, closes one."""
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if not line.text:
            if current:
                paragraphs.append(current)
            current = []
            continue
        if current and (re.search(r"[.!?:”\"’)]$", current[-1].text) or current[-1].bold != line.bold):
            paragraphs.append(current)
            current = []
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


# --------------------------------------------------------------------------------------------
# Stated positions
# --------------------------------------------------------------------------------------------

_POSITIONS = [(name, re.compile(r"(?<![\w-])" + words_pattern(words) + r"(?![\w-])", re.I)) for name, words in POSITION_PHRASES]
_ABOUT_IT = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,3}?(?:recommendations?|proposals?|this|it|them|in\s+full|in\s+principle|in\s+part|the\s+(?:need|case|principle))\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]?\s+(?=[A-Z0-9“\"‘(])")


def _sentences(text: str) -> list[str]:
    return [" ".join(part.split()) for part in _SENTENCE_END.split(text) if part.strip()]


_QUALIFIERS = ("accepted_in_principle", "partially_accepted")
_POSITION_VERB = re.compile(r"\b(?:accept|agree|support|endorse)", re.I)


# "all accepted recommendations": the position word describes the recommendations, it states none
_ATTRIBUTIVE_BEFORE = re.compile(r"\b" + words_pattern(ATTRIBUTIVE_LEADS) + r"\s+$", re.I)
_ATTRIBUTIVE_AFTER = re.compile(r"^\s+recommendations?\b", re.I)


def _counts_as_position(name: str, sentence: str, match: re.Match[str]) -> bool:
    if _ATTRIBUTIVE_BEFORE.search(sentence[: match.start()]) and _ATTRIBUTIVE_AFTER.match(sentence[match.end():]):
        return False
    if match.start() <= 2 or len(sentence.split()) <= 4:  # a status: "Accepted in principle."
        return True
    if name in _QUALIFIERS and _POSITION_VERB.search(sentence):  # "agrees ... in principle"
        return True
    return bool(_ABOUT_IT.match(sentence[match.end():]) or re.match(r"^\W*$", sentence[match.end():]))


def _position_in_sentence(sentence: str) -> tuple[str, str] | None:
    sentence = sentence.strip(" –—-:")
    for name, pattern in _POSITIONS:
        for match in pattern.finditer(sentence):
            if _counts_as_position(name, sentence, match):
                return name, sentence
    return None


def stated_position(text: str, *, sentences: int = 3) -> tuple[str, str]:
    """(position, the words that state it) from a reply's first sentences; ("", "") when none.

    A phrase counts when the sentence is a short status ("Accepted in principle.") or the phrase
    is about the recommendation ("The Brigade fully accepts this recommendation", "We do not
    accept it"); "we accept that more can be done" states no position.

    >>> stated_position("The Government accepts this recommendation in full.")[0]
    'accepted'
    >>> stated_position("In principle")[0]
    'accepted_in_principle'
    """
    for sentence in _sentences(text)[:sentences]:
        found = _position_in_sentence(sentence)
        if found:
            return found
    return "", ""


# --------------------------------------------------------------------------------------------
# Similarity and matching
# --------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    tokens = []
    for word in re.findall(r"[a-z0-9]+", text):
        if word in COMPARISON_STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        tokens.append(word)
    return tokens


def _weights(texts: Sequence[str]) -> dict[str, float]:
    """Inverse document frequency of each word over ``texts`` (words in every text weigh least)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_tokens(text)))
    total = len(texts)
    return {word: math.log((total + 1) / (count + 1)) + 1.0 for word, count in counts.items()}


def similarity(left: str, right: str, weights: dict[str, float] | None = None) -> float:
    """Likeness of two texts from 0.0 to 1.0: weighted word overlap over the shorter text.

    Words are lower-cased, crudely stemmed, with stop words dropped; ``weights`` (word -> weight,
    e.g. inverse document frequency over a report's recommendations) make shared rare words count
    more than common ones. A short form inside a longer restatement scores near 1.0.
    """
    a, b = set(_tokens(left)), set(_tokens(right))
    if not a or not b:
        return 0.0
    def weight(word: str) -> float:
        return (weights or {}).get(word, 1.0 if not weights else max(weights.values(), default=1.0))

    shared = sum(weight(word) for word in a & b)
    return min(1.0, shared / min(sum(weight(word) for word in a), sum(weight(word) for word in b)))


class ReplyProposal(NamedTuple):
    """The recommendation a reply answers, as matching proposes it."""

    reply: ParsedReply
    number: int | None  # None: no recommendation fits
    score: float | None  # likeness of its text to that recommendation (None: matched by number only)
    note: str  # why, in words an editor understands ("" when number and text simply agree)


def _best(text: str, recommendations: dict[int, str], weights: dict[str, float]) -> tuple[int | None, float, float]:
    """(best number, its score, the runner-up's score)."""
    scored = sorted(((similarity(text, rec, weights), number) for number, rec in recommendations.items()), reverse=True)
    if not scored:
        return None, 0.0, 0.0
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return scored[0][1], scored[0][0], runner_up


def _propose_by_text(reply: ParsedReply, recs: dict[int, str], weights: dict[str, float]) -> ReplyProposal:
    best, score, runner_up = _best(reply.recommendation_text, recs, weights)
    own = similarity(reply.recommendation_text, recs[reply.number], weights) if reply.number in recs else None
    if own is not None and not (best != reply.number and score >= MATCH_THRESHOLD and score - own >= DISAGREE_MARGIN):
        note = "" if own >= MATCH_THRESHOLD else f"its restated text matches recommendation {reply.number} poorly ({own:.0%})"
        return ReplyProposal(reply, reply.number, own, note)
    if best is not None and score >= MATCH_THRESHOLD:
        if own is None:
            return ReplyProposal(reply, best, score, f"no recommendation {reply.number}; its restated text matches recommendation {best} ({score:.0%})")
        return ReplyProposal(
            reply, best, score,
            f"headed {reply.number} but its restated text matches recommendation {best} ({score:.0%} against {own:.0%})",
        )
    return ReplyProposal(reply, None, score or None, f"no recommendation {reply.number} and its restated text matches none")


def _propose_by_reply(reply: ParsedReply, recs: dict[int, str], weights: dict[str, float]) -> ReplyProposal:
    if reply.number in recs:
        return ReplyProposal(reply, reply.number, None, "")
    best, score, runner_up = _best(reply.text, recs, weights)
    if best is not None and score >= MATCH_THRESHOLD and score - runner_up >= 0.1:
        return ReplyProposal(reply, best, score, f"no number; its words resemble recommendation {best} ({score:.0%})")
    return ReplyProposal(reply, None, None, f"no recommendation {reply.number} to answer")


def match_replies(replies: Sequence[ParsedReply], recommendations: Sequence[tuple[int, str]]) -> list[ReplyProposal]:
    """For each reply, the recommendation it answers, by number AND content.

    A reply that restates its recommendation is matched by that text's likeness (weighted by how
    rare each word is among ``recommendations``); when its number says one recommendation and its
    text clearly matches another, the text wins and the note says so. A reply with no restatement
    keeps its number; one with no usable number is matched by its own words when one
    recommendation clearly resembles them.
    """
    recs = {int(number): text for number, text in recommendations}
    weights = _weights(list(recs.values())) if recs else {}
    proposals = []
    for reply in replies:
        if reply.recommendation_text.strip():
            proposals.append(_propose_by_text(reply, recs, weights))
        else:
            proposals.append(_propose_by_reply(reply, recs, weights))
    return proposals


# --------------------------------------------------------------------------------------------
# Pieces of replies
# --------------------------------------------------------------------------------------------


@dataclass
class _Piece:
    number: int
    line: int
    restated: str = ""
    reply: str = ""
    position: tuple[str, str] = ("", "")
    source: str = ""  # "heading", "item", "table", "mention", "topic", "answer"
    topic: str = ""  # the unnumbered subheading (or question) a "topic"/"answer" piece is under
    clause: str = ""  # the part of a "mention" sentence that names this piece's numbers, when it names several groups
    length: int = 1  # lines the piece spans
    covers: str = ""  # a "group" piece: the recommendations it answers at once, as written ("all 12 recommendations")
    keeps_commitments: bool = True  # False for a group reply: its promises stay the document's own


_NUMBER_LIST = r"(?P<numbers>\d{1,3}(?:\s*(?:,|and|&|-|–|to)\s*\d{1,3})*)"
_HEADING = re.compile(
    rf"^(?:response\s+to\s+)?recommendations?\s+(?:no\.?\s*)?{_NUMBER_LIST}(?P<after>.*)$",
    re.I,
)
_LABEL = re.compile(
    r"^(?P<who>(?:the\s+)?[\w'’&.\- ]{0,40}?)(?:['’]s)?\s*\b" + words_pattern(RESPONSE_LABEL_WORDS)
    + r"\s*(?:from\s+[\w'’ ]{2,40}?)?\s*[:\-–—]\s*(?P<rest>.*)$",
    re.I,
)
_ITEM = re.compile(r"^(?P<number>\d{1,3})\s*:\s+(?P<rest>\S.*)$")
_VALEDICTION = re.compile(r"^(?:yours\s+(?:sincerely|faithfully|truly|ever)|(?:with\s+)?(?:kind|best)\s+(?:regards|wishes))\b", re.I)
_SECTION_BREAK = re.compile(r"^(?:annex|appendix)\b.{0,60}$", re.I)


def _numbers(spec: str) -> list[int]:
    numbers: list[int] = []
    for match in re.finditer(r"(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?", spec):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        numbers.extend(range(first, (last if first <= last <= first + 30 else first) + 1))
    return numbers


def _heading(line: _Line) -> tuple[list[int], str] | None:
    match = _HEADING.match(line.text)
    if not match:
        return None
    if re.match(r"^\.\d", match.group("after")):
        return None  # "Recommendation 2.1 That ...": a paper's paragraph number, not recommendation 2
    after = re.sub(r"^\s*\([^()]{1,60}\)", "", match.group("after"))
    if after.strip():
        separator = re.match(r"^\s*[:.\-–—)]\s*", after)
        if not separator:
            return None  # prose: "Recommendation 3 is addressed to ..."
        after = after[separator.end():]
    return _numbers(match.group("numbers")), after.strip()


def _label(text: str) -> str | None:
    """Text after a "Government response:" style label (maybe ""), or None when there is none."""
    match = _LABEL.match(text)
    if not match or len(match.group("who").split()) > 4:
        return None
    return match.group("rest")


def _is_quoted(text: str) -> bool:
    return text[:1] in "“\"‘'" and len(text) > 3


def _reads_like_recommendation(text: str) -> bool:
    head = " ".join(text.split()[:25])
    return bool(
        re.match(r"^[“\"‘']?That\b", text)
        or re.search(r"\b" + words_pattern(MODAL_VERBS) + r"\b", head, re.I)
        or describes_recommendation(text)
    )


_COUNT_WORD = words_pattern([word for word in NUMBER_WORDS if word not in ("a", "an")])
# A sentence whose subject is the recommendation(s) and whose verb says what they ask: "The
# Inquiry's one recommendation for the Service focuses on ...", "Three recommendations are directed
# at the inspectorate and suggest ...", "The review recommended that ...". The respondent's own
# voice ("We", "I") never restates; a position or a promise is the reply.
_DESCRIBES = re.compile(
    r"^[“\"‘']?(?:(?:the|this|these|its|their|your|his|her|each|both|" + _COUNT_WORD + r"|\d{1,3})\b[^.;:!?]{0,80}?"
    r"\brecommendations?\b(?![-\w’'])[^.;:!?]{0,60}?\b(?:focus(?:es|ed)?\s+on|suggest(?:s|ed)?|call(?:s|ed)?\s+(?:for|on)|"
    r"ask(?:s|ed)?|propos(?:es|ed)|recommend(?:s|ed)?|requir(?:es|ed)|seek(?:s)?|sought|urg(?:es|ed)|concern(?:s|ed)?|"
    r"relat(?:es|ed)\s+to|cover(?:s|ed)?|(?:is|are|was|were)\s+(?:directed|addressed|aimed|made|about|that))\b"
    r"|(?:the|your|its)\s+(?:[\w’'-]+\s+){1,5}?recommend(?:s|ed)\s+that\b)",
    re.I,
)


def describes_recommendation(sentence: str) -> bool:
    """Whether ``sentence`` restates a recommendation in the respondent's summary ("The review's
    one recommendation on learning asks for ...") rather than answering it.

    >>> describes_recommendation("Two recommendations concern support for staff after traumatic calls.")
    True
    >>> describes_recommendation("The Service fully accepts this recommendation.")
    False
    """
    sentence = sentence.strip()
    return bool(_DESCRIBES.match(sentence)) and not stated_position(sentence, sentences=1)[0] and not PROMISE.search(sentence)


def _split_restated(inline: str, body: list[_Line], known: str) -> tuple[str, str]:
    """(restated recommendation, reply) for the lines of one heading's section."""
    for index, line in enumerate(body):
        rest = _label(line.text)
        if rest is not None:
            restated = " ".join(filter(None, [inline, _join(body[:index])]))
            return _unquote(restated), " ".join(filter(None, [rest, _join(body[index + 1:])]))
    paragraphs = _paragraphs(body)
    if inline and len(inline.split()) <= 8 and stated_position(inline)[0]:
        return "", " ".join([inline] + [_join(p) for p in paragraphs])  # "Recommendation 1 – Accepted"
    lead = [inline] if inline else []
    while paragraphs and _restates(paragraphs[0], known, has_lead=bool(lead), more=len(paragraphs) > 1):
        lead.append(_join(paragraphs.pop(0)))
    if inline and not _is_quoted(inline) and known and similarity(inline, known) < MATCH_THRESHOLD and len(lead) == 1:
        # the heading's own words are the reply ("Recommendation 1 – Accepted")
        return "", " ".join([inline] + [_join(p) for p in paragraphs])
    return _unquote(" ".join(lead)), " ".join(_join(p) for p in paragraphs)


def _restates(paragraph: list[_Line], known: str, *, has_lead: bool, more: bool) -> bool:
    text = _join(paragraph)
    if has_lead:
        return False
    if known and similarity(text, known) >= 0.6:
        return True
    if all(line.bold for line in paragraph) or _is_quoted(text):
        return more
    return more and _reads_like_recommendation(text) and not stated_position(text)[0]


def _unquote(text: str) -> str:
    text = re.sub(r"\s*\((?:paragraphs?|paras?\.?|page)\b[^()]*\)\.?\s*$", "", text, flags=re.I)
    return text.strip().strip("“”\"‘’'").strip()


def _section_end(lines: list[_Line], start: int, stops: set[int]) -> int:
    for index in range(start + 1, len(lines)):
        text = lines[index].text
        if index in stops or _VALEDICTION.match(text) or _SECTION_BREAK.match(text):
            return index
    return len(lines)


def _drop_trailing_title(body: list[_Line]) -> list[_Line]:
    content = [line for line in body if line.text]
    if len(content) >= 2:
        last, previous = content[-1], content[-2]
        if len(last.text.split()) <= 8 and not re.search(r"[.!?:;,]$", last.text) and re.search(r"[.!?:”)]$", previous.text):
            return body[: body.index(last)]
    return body


def _heading_pieces(lines: list[_Line], known: dict[int, str]) -> list[_Piece]:
    found = [(index, *heading) for index, line in enumerate(lines) if (heading := _heading(line)) and heading[0]]
    stops = {index for index, _, _ in found} | _other_starts(lines)
    pieces = []
    for index, numbers, inline in found:
        body = _drop_trailing_title(lines[index + 1: _section_end(lines, index, stops)])
        restated, reply = _split_restated(inline, body, known.get(numbers[0], "") if len(numbers) == 1 else "")
        if len(reply.split()) < 4 and not stated_position(reply)[0]:
            reply = ""  # column names or a stray title, not an answer
        if not (restated or reply):
            continue  # a title over other replies ("Recommendations 29 and 30")
        for number in numbers:
            pieces.append(_Piece(number, lines[index].number, restated, reply, stated_position(reply), "heading"))
    return pieces


def _other_starts(lines: list[_Line]) -> set[int]:
    """Lines that start an item, a status table or a table row: a heading's section ends there."""
    return {
        index for index, line in enumerate(lines)
        if _ITEM.match(line.text) or _is_table_header(lines, index) or ("|" in line.text and _ROW.match(line.text))
    }


def _is_reply_section(title: str) -> bool:
    title = title.lower().strip(" :")
    return title in REPLY_SECTION_HEADINGS or bool(re.search(r"\b(?:committed|response|progress|update)\b", title))


def _item_pieces(lines: list[_Line]) -> list[_Piece]:
    """'N: text' items: the first with a number restates it, a later one (or one under a reply
    section heading) answers it."""
    pieces: list[_Piece] = []
    seen: set[int] = set()
    in_reply_section = False
    for index, line in enumerate(lines):
        match = _ITEM.match(line.text)
        if not match:
            if line.text and len(line.text.split()) <= 8 and not re.search(r"[.!?]$", line.text):
                in_reply_section = _is_reply_section(line.text)
            continue
        number, rest = int(match.group("number")), _join([_Line(0, match.group("rest"), False)] + _continuation(lines, index))
        if number in seen or in_reply_section:
            pieces.append(_Piece(number, line.number, reply=rest, position=stated_position(rest), source="item"))
        else:
            pieces.append(_Piece(number, line.number, restated=rest, source="item"))
        seen.add(number)
    return pieces


def _continuation(lines: list[_Line], index: int) -> list[_Line]:
    out = []
    for line in lines[index + 1:]:
        if _ITEM.match(line.text) or _heading(line) or (line.text and len(line.text.split()) <= 8 and not re.search(r"[.!?;:,]$", line.text)):
            break
        out.append(line)
    return out


_STATUS_HEADER = re.compile(r"\brecommendation|\bno\.?\b|^#", re.I)
_TABLE_HEADER_WORD = re.compile(r"\b" + words_pattern(STATUS_TABLE_HEADINGS) + r"\b", re.I)
_ROW = re.compile(r"^\|?\s*(?:recommendation\s+)?(?P<number>\d{1,3})\s*(?:\||\s)\s*(?P<rest>.+)$", re.I)


def _is_table_header(lines: list[_Line], index: int) -> bool:
    """A short line of column names, one of them a status ("Recommendation | Status")."""
    line = lines[index]
    window = " ".join(near.text for near in lines[max(0, index - 2): index + 1])
    return (
        len(line.text.split()) <= 12
        and not re.search(r"[.!?]$", line.text)
        and bool(_STATUS_HEADER.search(window) and _TABLE_HEADER_WORD.search(line.text))
        and not _ROW.match(line.text)
        and not _heading(line)
    )


def _table_pieces(lines: list[_Line]) -> list[_Piece]:
    """Status-table rows: "| 3 | ... | Accepted |" (or unpiped, close under a status header). A piped
    row under a header keeps its other cells: one that asks restates the recommendation, the rest
    ("Update", "Progress") is the reply; such a row answers even with no stated position ("In progress")."""
    pieces: list[_Piece] = []
    header_at = -100
    columns: list[str] = []
    for index, line in enumerate(lines):
        if _is_table_header(lines, index):
            header_at = index
            columns = [cell.strip() for cell in line.text.split("|") if cell.strip()] if "|" in line.text else []
            continue
        match = _ROW.match(line.text)
        piped = "|" in line.text
        under_header = piped and index - header_at <= 60
        if not match or not (piped or index - header_at <= 60) or len(match.group("rest").split()) > (200 if under_header else 30):
            continue
        cells = [cell.strip() for cell in re.split(r"\s*\|\s*", match.group("rest")) if cell.strip()]
        position = _row_position(cells if piped else [match.group("rest")])
        restated, reply = _row_texts(cells, position[1], recommendation_at=_recommendation_column(columns, len(cells))) if under_header else ("", "")
        if position[0] or len(reply.split()) >= 4:
            pieces.append(_Piece(int(match.group("number")), line.number, restated, reply, position=position, source="table"))
            header_at = index
    return pieces


# A column that holds the recommendation itself ("Recommendation", "The committee's recommendation"),
# not one about it ("Response to the recommendation", "Recommendation status", "Recommendation no.").
_RECOMMENDATION_COLUMN = re.compile(r"\brecommendations?\b", re.I)
_NOT_THE_RECOMMENDATION = re.compile(r"\b(?:respon\w*|repl\w*|update\w*|progress|status|comment\w*|action\w*|position|no\.?|number|ref\w*|owner|lead)\b", re.I)


def _recommendation_column(columns: list[str], cells: int) -> int | None:
    """Which of a row's cells (after its number) the header names as the recommendation, when the
    header's columns line up with the row's (the number's column and one per cell) and name one."""
    if len(columns) != cells + 1:
        return None
    named = [at for at, name in enumerate(columns[1:]) if _RECOMMENDATION_COLUMN.search(name) and not _NOT_THE_RECOMMENDATION.search(name)]
    return named[0] if len(named) == 1 else None


def _is_status_cell(cell: str, status_words: str) -> bool:
    return len(cell.split()) <= 4 and (cell == status_words or bool(stated_position(cell)[0]) or not re.search(r"[.!?]", cell))


def _row_texts(cells: list[str], status_words: str, *, recommendation_at: int | None = None) -> tuple[str, str]:
    """(restated recommendation, reply) from a status row's cells other than its short status cell.
    When the header names the recommendation's column, that cell is the recommendation and never
    the reply: a row that gives only a status then replies with the status alone ("Accepted")."""
    if recommendation_at is not None:
        others = [cell for at, cell in enumerate(cells) if at != recommendation_at and not _is_status_cell(cell, status_words)]
        return cells[recommendation_at], " ".join(others) or status_words
    texts = [cell for cell in cells if not _is_status_cell(cell, status_words)]
    restated = texts[0] if len(texts) > 1 and _reads_like_recommendation(texts[0]) and not stated_position(texts[0])[0] else ""
    return restated, " ".join(cell for cell in texts if cell != restated)


def _row_position(cells: list[str]) -> tuple[str, str]:
    for cell in reversed(cells):
        for name, pattern in _POSITIONS:
            found = pattern.search(cell)
            if found and (len(cell.split()) <= 8 or _ABOUT_IT.match(cell[found.end():])):
                return name, found.group(0)
    return "", ""


_MENTION = re.compile(r"\brecommendations?\s+(?P<numbers>\d{1,3}(?:\s*(?:,|and|&)\s*\d{1,3})*)\b(?!\.\d|\s*(?:%|per\s*cent|of\b))", re.I)
_PARENTHESISED = re.compile(r"\((?P<numbers>\d{1,3}(?:\s*(?:,|and|&)\s*\d{1,3})*)\)")


def _mention_pieces(lines: list[_Line], total: int | None) -> list[_Piece]:
    """Replies given in prose: "in relation to Recommendation 4 ...", "... Government (3) ..."."""
    pieces = []
    for line in lines:
        for sentence in _sentences(line.text):
            numbers: list[int] = []
            for match in _MENTION.finditer(sentence):
                numbers += _numbers(match.group("numbers"))
            if re.search(r"\brecommendations?\b", sentence, re.I):
                for match in _PARENTHESISED.finditer(sentence):
                    numbers += _numbers(match.group("numbers"))
            numbers = [n for n in dict.fromkeys(numbers) if n and (total is None or n <= total)]
            clauses = _clauses(sentence)
            for number in numbers:
                pieces.append(_Piece(
                    number, line.number, reply=sentence, position=stated_position(sentence), source="mention",
                    clause=clauses.get(number, ""),
                ))
    return pieces


def _clauses(sentence: str) -> dict[int, str]:
    """Each number's own clause where a promise is followed by several named groups: in "Some will be
    completed within months, such as A (3), which ..., and B (31, 32 and 33), which ..." 3 has the
    words up to "(3)" and 31-33 the clause from "B". A group named before the promise ("A (1) and B
    (29 and 30) will begin ...") shares the whole sentence."""
    groups = list(_PARENTHESISED.finditer(sentence))
    promise = PROMISE.search(sentence)
    if len(groups) < 2 or promise is None or promise.start() > groups[0].start():
        return {}
    clauses: dict[int, str] = {}
    start = 0
    for index, group in enumerate(groups):
        if index:
            between = sentence[groups[index - 1].end(): group.start()]
            joints = list(re.finditer(r",\s+and\s+", between)) or list(re.finditer(r",\s+", between))
            start = groups[index - 1].end() + joints[-1].end() if joints else groups[index - 1].end()
        end = group.end() if index < len(groups) - 1 else len(sentence)
        for number in _numbers(group.group("numbers")):
            clauses.setdefault(number, sentence[start:end].strip(" ,;"))
    return clauses


# --------------------------------------------------------------------------------------------
# Joining pieces into replies
# --------------------------------------------------------------------------------------------


def _join_pieces(pieces: list[_Piece]) -> list[_Piece]:
    """One piece per number where pieces complement each other (restatement, reply, status row)."""
    joined: list[_Piece] = []
    by_number: dict[tuple[int, str], _Piece] = {}
    for piece in sorted(pieces, key=lambda p: p.line):
        target = by_number.get((piece.number, piece.topic or piece.covers))
        if target is not None and not (target.reply and piece.reply) and not (target.restated and piece.restated):
            target.restated = target.restated or piece.restated
            target.reply = target.reply or piece.reply
            target.position = target.position if target.position[0] else piece.position
            continue
        by_number[(piece.number, piece.topic or piece.covers)] = piece
        joined.append(piece)
    return joined


def _to_reply(piece: _Piece, reference_date: datetime.date | None, first_person: str) -> ParsedReply:
    position, words = piece.position
    return ParsedReply(
        number=piece.number,
        recommendation_text=piece.restated,
        text=piece.clause or piece.reply,
        commitments=_commitments(piece, reference_date, first_person) if piece.keeps_commitments else [],
        line=piece.line,
        stated_position=position,
        stated_position_text=words,
        topic=piece.topic,
        covers=piece.covers,
    )


def _commitments(piece: _Piece, reference_date: datetime.date | None, first_person: str) -> list:
    """The reply's commitments; a clause answering its own numbers ("and B (31, 32)") keeps the
    sentence's promise under its own words."""
    found = extract_commitments(piece.clause or piece.reply, reference_date=reference_date, first_person=first_person)
    if piece.clause and not found:
        found = extract_commitments(piece.reply, reference_date=reference_date, first_person=first_person)
        for commitment in found:
            commitment.text = piece.clause
    return found


# --------------------------------------------------------------------------------------------
# The document: respondent, date, title, totals
# --------------------------------------------------------------------------------------------

_ANSWERED_BY = re.compile(r"^answered\s+by\s*:?\s*(?P<who>.*)$", re.I)
_LETTER_FROM = re.compile(r"^letter\s+from\s+(?:the\s+)?(?:rt\.?\s+hon\.?\s+)?(?P<who>[^,]{3,80})(?:,\s*(?P<role>.{3,120}))?$", re.I)
_TITLE_RESPONSE = re.compile(r"(?:^|:\s*)(?P<who>(?:the\s+)?[A-Z][\w'’&.]*(?:\s+[A-Z][\w'’&.]*){0,4})(?:['’]s)?\s+(?:response|reply)\s+to\b", re.I)
_TITLE_ENDING_RESPONSE = re.compile(r"[:–—-]\s*(?P<who>(?:the\s+)?[\w'’&.]+(?:\s+[A-Z][\w'’&.]*){0,3}?)(?:['’]s)?\s+(?:response|reply)\s*$", re.I)
_ACCEPTING = re.compile(
    r"^(?P<who>(?:the\s+)?[A-Z][\w'’&.()]*(?:\s+(?:of|for|and|the|[A-Z(][\w'’&.()“”\"]*)){0,7}?)\s+(?:has\s+|have\s+)?"
    r"(?:(?:carefully\s+)?considered\s+and\s+)?(?:fully\s+|partially\s+|partly\s+)?"
    r"(?:accepted|accepts|agrees|agreed|supports|rejects|does\s+not\s+accept)\b"
)


def _respondent(lines: list[_Line], label_owner: str) -> str:
    if label_owner:
        return label_owner
    for index, line in enumerate(lines):
        match = _ANSWERED_BY.match(line.text)
        if match:
            return match.group("who") or _next_text(lines, index)
    signature = _signature(lines)
    if signature:
        return signature
    for line in lines:
        match = _LETTER_FROM.match(line.text)
        if match:
            dated = r",?\s*(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[A-Z][a-z]+\s+(?:19|20)\d\d\s*$"  # the letter's date is not who wrote it
            role = re.sub(dated, "", match.group("role") or "").strip()
            return role or re.sub(dated, "", match.group("who")).strip()
    for line in lines[:30]:
        match = _TITLE_RESPONSE.search(line.text) or _TITLE_ENDING_RESPONSE.search(line.text)
        if match and match.group("who").lower() not in ("the", "a", "our", "my", "this"):
            return match.group("who")
    for line in lines:
        for sentence in _sentences(line.text):
            match = _ACCEPTING.match(sentence)
            if match and match.group("who").split()[-1].lower() not in ("i", "we", "it", "partially", "partly", "not", "fully", "largely"):
                return re.sub(r"\s*\([^()]*\)$", "", match.group("who"))  # "the Service (“the Service”)"
    return ""


def _next_text(lines: list[_Line], index: int) -> str:
    return next((line.text for line in lines[index + 1: index + 4] if line.text), "")


def _signature(lines: list[_Line]) -> str:
    for index, line in enumerate(lines):
        if not _VALEDICTION.match(line.text):
            continue
        following = [ln.text for ln in lines[index + 1: index + 8] if ln.text and not re.search(r"signature|signed", ln.text, re.I)]
        names = [text for text in following[:3] if len(text.split()) <= 12 and not text.endswith(".")]
        if len(names) >= 2:
            return names[1]  # the role under the name says which body answers
        if names:
            return names[0]
    return ""


def _label_owner(lines: list[_Line]) -> str:
    for line in lines:
        match = _LABEL.match(line.text)
        if match and _label(line.text) is not None:
            who = re.sub(r"^(?:the|our|my)\s*", "", match.group("who").strip(), flags=re.I).strip()
            if who and who[:1].isupper():
                return who
    return ""


_ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_US_DATE = re.compile(r"\b(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<d>[0-3]?\d),\s+(?P<y>(?:19|20)\d\d)\b")


def _day(text: str) -> DocumentDate:
    """A date to the day in ``text``: "18 July 2019", "July 18, 2019" or "2019-07-18"."""
    found = parse_document_date(text)
    if found.date is not None and found.precision == DatePrecision.DAY:
        return found
    for pattern in (_ISO_DATE, _US_DATE):
        match = pattern.search(text)
        if not match:
            continue
        month = int(match.group("m")) if "m" in match.groupdict() else MONTHS.get(match.group("month").lower())
        try:
            return DocumentDate(datetime.date(int(match.group("y")), month or 0, int(match.group("d"))), DatePrecision.DAY, match.group(0))
        except ValueError:
            continue
    return UNKNOWN_DATE


def _date(lines: list[_Line]) -> DocumentDate:
    head = [line for line in lines[:60] if line.text]
    for index, line in enumerate(head):
        match = re.match(r"^(?:[\w ]{0,20}\b)?date[d]?\s*:?\s*(?P<rest>.*)$", line.text, re.I)
        if match:
            found = _day(match.group("rest") or (head[index + 1].text if index + 1 < len(head) else ""))
            if found.date is not None:
                return found
    for line in head:
        found = _day(line.text)
        if found.date is not None and len(found.text) >= len(line.text.strip(" .,")) - 2:
            return found
    for line in head:
        if re.match(r"^(?:published|last\s+updated|updated)\b", line.text, re.I):
            found = parse_document_date(line.text)
            if found.date is not None:
                return found
    return UNKNOWN_DATE


_RESPONSE_TO = re.compile(r"\b(?:response|reply)\s+to\s+(?:the\s+)?(?P<title>[^.\n]{3,160}?)\s*(?:\(|$|\.\s)", re.I)
_QUOTED_REPORT = re.compile(r"\breport,?\s+(?:(?:entitled|titled|called|on|into)\s+)?[‘'\"“](?P<title>[^’'\"”\n]{3,160})[’'\"”]", re.I)


_TITLE_BEFORE_RESPONSE = re.compile(r"^(?P<title>[^:–—]{3,120}?)\s*[:–—-]\s*(?:the\s+)?(?:[\w'’]+\s+){0,2}?(?:response|reply)\b", re.I)


def _report_title(lines: list[_Line]) -> str:
    for line in lines[:40]:
        match = _TITLE_BEFORE_RESPONSE.match(line.text)
        if match and len(line.text.split()) <= 20:
            return match.group("title").strip()
    for line in lines[:40]:
        match = _QUOTED_REPORT.search(line.text)
        if match:
            return match.group("title").strip()
    for line in lines[:40]:
        match = _RESPONSE_TO.search(line.text)
        if match and len(line.text.split()) <= 20:
            return match.group("title").strip(" ,;:")
    return ""


_COUNT = r"(?P<count>\d{1,3}|" + words_pattern([w for w in NUMBER_WORDS if w not in ("a", "an")]) + r"|all)"
_COUNTED = re.compile(
    r"\b(?:all\s+(?:of\s+)?(?:the\s+)?(?:[\w’']+\s+){0,2}?)?" + _COUNT
    + r"\s+(?:(?:of\s+the|of\s+its|of\s+our|other|further|additional|remaining)\s+)*(?:\w+\s+){0,2}?recommendations\b",
    re.I,
)
_ALL = re.compile(r"\ball\s+(?:of\s+)?(?:the\s+)?(?:[\w’']+\s+){0,3}?(?:recommendations|findings)\b", re.I)
_FURTHER_WORK = re.compile(r"\bfurther\s+work|\bbefore\s+(?:coming\s+to|reaching|making)\b|\bunder\s+consideration\b", re.I)


def _count_value(word: str) -> int | str:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, word)


def _summary_counts(text: str) -> dict:
    counts: dict = {}
    for sentence in _sentences(" ".join(text.split())):
        groups = [match.span() for pattern in (_COUNTED, _ALL) for match in pattern.finditer(sentence)]
        position = _count_position(sentence, groups)
        for match in _COUNTED.finditer(sentence):
            if re.search(r"\brecommendations?\s*(?:no\.?\s*)?$|[\d,]\s*(?:and\s*)?$", sentence[: match.start("count")], re.I):
                continue  # "Recommendations 29 and 30" numbers recommendations, it does not count them
            value = _count_value(match.group("count"))
            key = position or ("total" if re.search(r"\b(?:made|makes|its|the\s+committee['’]s|response\s+to)\b", sentence[: match.end()], re.I) else "")
            if key and key not in counts:
                counts[key] = value
        if position == "accepted" and "accepted" not in counts and _ALL.search(sentence):
            counts["accepted"] = "all"
    return counts


def _count_position(sentence: str, groups: Sequence[tuple[int, int]] = ()) -> str:
    """The position a sentence states on the recommendations it counts; a position word inside the
    counted words ("all accepted recommendations are acted upon") describes them and states none."""
    if _FURTHER_WORK.search(sentence):
        return "further_work"
    for name, pattern in _POSITIONS:
        if name in ("accepted_in_principle", "partially_accepted", "under_consideration"):
            continue
        if any(not _inside(match.start(), groups) for match in pattern.finditer(sentence)):
            return name
    return ""


def _inside(place: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= place < end for start, end in spans)


def _summary_by_clause(lines: list[_Line]) -> dict:
    """Counts from each clause, so "accepted all ... and supports the other seven" gives both."""
    counts: dict = {}
    for line in lines:
        for clause in re.split(r"(?<=[.;])\s+|\s+and\s+(?=(?:there\s+are|supports|rejects|accepts|does|has)\b)", line.text):
            for key, value in _summary_counts(clause).items():
                counts.setdefault(key, value)
    return counts


# --------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------


def _pieces(lines: list[_Line], known: dict[int, str], total: int | None) -> list[_Piece]:
    pieces = _heading_pieces(lines, known) + _item_pieces(lines) + _table_pieces(lines) + _numbered_label_pieces(lines)
    if not pieces:
        pieces = _conclusion_pieces(lines) or _status_line_pieces(lines) or _answer_pieces(lines) or _unnumbered_pieces(lines, total)
    inside = {number for piece in pieces for number in range(piece.line, piece.line + piece.length)}
    return _join_pieces(pieces + _group_pieces(lines, inside))


# A select committee's conclusion as the Government response restates it: numbered, ending with the
# report's paragraph reference, "1. We urge the Government to ... (Paragraph 9)".
_PARAGRAPH_REFERENCE = re.compile(r"\((?:paragraphs?|paras?\.?)\s*\d[\d\s,.&–-]*(?:and\s*\d{1,4}\s*)?\)\.?[\"”’']?\s*$", re.I)


def _conclusion_pieces(lines: list[_Line]) -> list[_Piece]:
    """Numbered conclusions restated with their paragraph reference, each followed by the reply in
    plain prose (the bold that told them apart lost): one piece per number."""
    spans: list[tuple[int, int]] = []  # (first line, last line) of each restatement
    for index, line in enumerate(lines):
        if not line.para or _heading(line):
            continue
        for end in range(index, min(index + 15, len(lines))):
            if end > index and (lines[end].para or not lines[end].text):
                break
            if _PARAGRAPH_REFERENCE.search(lines[end].text):
                spans.append((index, end))
                break
    pieces = []
    for position, (start, end) in enumerate(spans):
        stop = spans[position + 1][0] if position + 1 < len(spans) else _section_end(lines, end, set())
        reply = _join([line for line in lines[end + 1: stop] if not _VALEDICTION.match(line.text)])
        restated = _unquote(_join(lines[start: end + 1]))
        number = int(lines[start].para.rstrip(".)"))
        pieces.append(_Piece(number, lines[start].number, restated, reply, stated_position(reply), "conclusion", length=stop - start))
    return pieces


def _numbered_label_pieces(lines: list[_Line]) -> list[_Piece]:
    """A numbered recommendation restated as a paragraph ("5. The force should ...") and answered
    under a response label before the next one ("Force response: ...", "Response:"): one piece per
    number. A numbered list inside a reply stays part of it (only a number followed by its own
    label starts a piece)."""
    starts: list[tuple[int, int]] = []  # (first line, the label's line)
    for index, line in enumerate(lines):
        if not line.para or _heading(line) or _label(line.text) is not None:
            continue
        for later in range(index + 1, min(index + 40, len(lines))):
            if lines[later].para or _VALEDICTION.match(lines[later].text) or _SECTION_BREAK.match(lines[later].text):
                break
            if _label(lines[later].text) is not None:
                starts.append((index, later))
                break
    pieces = []
    stops = {start for start, _ in starts}
    for start, label in starts:
        end = _section_end(lines, label, stops)
        body = _drop_trailing_title(lines[label: end])
        reply = " ".join(filter(None, [_label(body[0].text) or "", _join(body[1:])])) if body else ""
        restated = _unquote(_join(lines[start:label]))
        if not restated or len(reply.split()) < 2:
            continue
        number = int(lines[start].para.rstrip(".)"))
        pieces.append(_Piece(number, lines[start].number, restated, reply, stated_position(reply), "labelled", length=end - start))
    return pieces


# A lone status line answering the recommendation above it: "Accepted:", "Not accepted", "Partially
# accepted –" (the words after the mark, if any, begin the reply).
_STATUS_LINE = re.compile(r"^(?:(?:status|position|outcome)\s*[:\-–—]\s*)?(?P<status>[A-Za-z][A-Za-z ]{2,40}?)\s*(?:[:\-–—.]\s*(?P<rest>.*))?$", re.I)
# ... or a first sentence that states a position on "this recommendation" ("The force has considered
# and accepts this recommendation.").
_ON_THIS = re.compile(r"\b(?:this|the)\s+recommendation\b(?!s)", re.I)
_ASKS_IN_PROSE = re.compile(r"\brecommend(?:s|ed)?\s+that\b|\b(?:we|it)\s+recommends?\b", re.I)


def _status_of(line: _Line) -> tuple[str, str] | None:
    """(position, the words stating it) when ``line`` is a status answering a recommendation."""
    match = _STATUS_LINE.match(line.text)
    if match and len(match.group("status").split()) <= 4:
        name, _ = stated_position(match.group("status"), sentences=1)
        if name and _POSITION_ONLY.match(match.group("status")):
            return name, match.group("status")
    first = (_sentences(line.text) or [""])[0]
    if line.para or not _ON_THIS.search(first):
        return None
    return _position_in_sentence(first)


_POSITION_ONLY = re.compile(
    r"^(?:(?:fully|partially|partly|not|largely)\s+)?(?:accepted|agreed|supported|rejected|implemented|noted)(?:\s+in\s+(?:principle|part|full))?$",
    re.I,
)


def _asks(paragraph: list[_Line]) -> int:
    """How plainly a paragraph makes a recommendation: 2 "recommends that", 1 a modal verb, else 0."""
    text = _join(paragraph)
    if _ASKS_IN_PROSE.search(text):
        return 2
    return 1 if _reads_like_recommendation(text) and not describes_recommendation(text) else 0


def _status_line_pieces(lines: list[_Line]) -> list[_Piece]:
    """A recommendations page where a lone status line ("Accepted:", "Not accepted:", "... accepts
    this recommendation") answers the recommendation above it: the nearest paragraph since the last
    reply that asks ("recommends that" before a modal verb) is the restatement; the reply runs from
    the status to the next recommendation. Numbered by the paragraph's own number, else in order."""
    paragraphs = [p for p in _paragraphs(lines) if _join(p)]
    found: list[tuple[int, int, tuple[str, str]]] = []  # (recommendation paragraph, status paragraph, position)
    since = 0
    for index, paragraph in enumerate(paragraphs):
        status = _status_of(paragraph[0])
        if status is None:
            continue
        candidates = [(score, at) for at in range(since, index) if (score := _asks(paragraphs[at]))]
        if not candidates:
            continue  # a second status line inside the same reply
        best = max(score for score, _ in candidates)
        found.append((max(at for score, at in candidates if score == best), index, status))
        since = index + 1
    pieces = []
    for order, (ask, status_at, position) in enumerate(found, start=1):
        until = found[order][0] if order < len(found) else len(paragraphs)
        reply_lines = [line for p in paragraphs[status_at:until] for line in p if not _VALEDICTION.match(line.text)]
        first = paragraphs[ask][0]
        number = int(first.para.rstrip(".)")) if first.para else order
        end_line = reply_lines[-1].number if reply_lines else first.number
        ask_lines = paragraphs[ask]
        while len(ask_lines) > 1 and len(ask_lines[0].text.split()) <= 8 and not re.search(r"[.!?:;,]$", ask_lines[0].text):
            ask_lines = ask_lines[1:]  # headings run into the paragraph ("Recommendations")
        first = ask_lines[0]
        piece = _Piece(number, first.number, _unquote(_join(ask_lines)), _join(reply_lines), position, "status")
        piece.length = end_line - first.number + 1
        pieces.append(piece)
    return pieces


# --------------------------------------------------------------------------------------------
# Replies to a group of recommendations at once ("accepts all 12 recommendations")
# --------------------------------------------------------------------------------------------

_CLAUSE = re.compile(r"(?<=[.;])\s+|\s+and\s+(?=(?:there\s+are|supports|rejects|accepts|does|has|have|agrees|welcomes)\b)", re.I)
_GROUP = re.compile(_COUNTED.pattern + "|" + _ALL.pattern, re.I)
_GROUP_POSITIONS = ("accepted", "accepted_in_principle", "partially_accepted", "not_accepted", "supported")
# What narrows a group to some of the recommendations: "directed to the Brigade", "for the police".
_NARROWED = re.compile(
    r"^\s*(?:directed|addressed|aimed|made\s+to|for\b|relating|concerning|about|on\b|that\b|which\b|where\b|under\b|within\b|"
    r"in\s+(?:the\s+)?(?:[\w’'‘]+\s+){0,6}?(?:section|chapter|part)\b)",
    re.I,
)


# Where the words naming a group end: punctuation, or a conjunction and a verb ("... and will act").
_GROUP_END = re.compile(
    r"[,;:.]|\s+(?:and|but|while|whilst)\s+(?:(?:it|we|they)\s+)?(?:will|has|have|had|is|are|was|were|does|do|can|should|must|would|"
    r"supports?|accepts?|rejects?|agrees?|welcomes?|notes?)\b",
    re.I,
)


def _group_pieces(lines: list[_Line], inside: set[int]) -> list[_Piece]:
    """A clause stating a position on a group of recommendations named by a count or "all", not by
    numbers: "has accepted all the recommendations directed to the Brigade", "supports the other
    seven recommendations". One reply each, numbered 0, ``covers`` saying which group."""
    pieces = []
    for line in lines:
        if line.number in inside or _MENTION.search(line.text):
            continue  # a numbered reply's own words, or a sentence naming the numbers it answers
        for clause in _CLAUSE.split(line.text):
            piece = _group_piece(clause.strip(), line.number)
            if piece is not None:
                pieces.append(piece)
    return pieces


def _group_piece(clause: str, line: int) -> _Piece | None:
    if not clause or clause.endswith("?"):
        return None
    groups = [match for match in _GROUP.finditer(clause) if not re.search(r"\d\s*(?:,|and|&)?\s*$", clause[: match.start()])]
    # a position word inside the group's own words describes them ("all accepted recommendations are
    # acted upon"): someone else's past decision, not the respondent stating its position
    position = next(
        (
            (name, match)
            for name, pattern in _POSITIONS
            if name in _GROUP_POSITIONS
            for match in pattern.finditer(clause)
            if not _inside(match.start(), [group.span() for group in groups])
        ),
        None,
    )
    if position is None or not groups:
        return None
    group = next((match for match in groups if "recommendation" in match.group(0).lower()), groups[0])
    before = re.search(r"\b(?:all\s+(?:of\s+)?)?(?:the|its|their|our|your|these)\s+(?:(?:other|remaining|further)\s+)?$", clause[: group.start()], re.I)
    start = before.start() if before and not group.group(0).lower().startswith("all") else group.start()
    covers = re.split(_GROUP_END, clause[start:], maxsplit=1)[0]
    covers = " ".join(covers.split()[:14]).strip(" ’'‘“”\"")
    # its promises stay the document's own: a group reply is saved only once matched, item by item
    return _Piece(0, line, reply=clause, position=(position[0], clause), source="group", covers=covers, keeps_commitments=False)


def _covers_every(covers: str, count: int) -> bool:
    """Whether a group is every recommendation of a report of ``count``: "all 12 recommendations",
    "all of the Committee's recommendations", not "all the recommendations directed to the police"
    nor "the other seven"."""
    match = re.match(r"^all\s+(?:of\s+)?(?:the\s+|its\s+|your\s+|our\s+)?(?P<rest>.*)$", covers, re.I)
    if not match or re.search(r"\bother\b", covers, re.I):
        return False
    said = re.search(r"\b(\d{1,3}|" + _COUNT_WORD + r")\s+(?:[\w’']+\s+){0,2}?recommendations\b", covers, re.I)
    if said and _count_value(said.group(1)) != count:
        return False
    after = re.split(r"\brecommendations\b|\bfindings\b", match.group("rest"), maxsplit=1, flags=re.I)
    return len(after) == 2 and not _NARROWED.match(after[1])


def expand_group_replies(replies: Sequence[ParsedReply], recommendations: Sequence[tuple[int, str]]) -> list[ParsedReply]:
    """Replies with each reply to every recommendation of the report ("accepts all 12
    recommendations") made one reply per recommendation that has no reply of its own, with the
    group's words and position; other groups ("all the recommendations directed to the police",
    "the other seven") stay one unnumbered reply for an editor to match. Pure; the input is not changed.
    """
    numbers = sorted({int(number) for number, _ in recommendations})
    answered = {reply.number for reply in replies if reply.number}
    out: list[ParsedReply] = []
    for reply in replies:
        if reply.number or not reply.covers or not numbers or not _covers_every(reply.covers, len(numbers)):
            out.append(reply)
            continue
        for number in (n for n in numbers if n not in answered):
            out.append(dataclasses.replace(reply, number=number, commitments=[]))
        answered |= set(numbers)
    return out


def _unnumbered_pieces(lines: list[_Line], total: int | None) -> list[_Piece]:
    """Replies in prose: sentences naming recommendations by number, and sections under topic
    subheadings that name no number."""
    mentions = _mention_pieces(lines, total)
    mentioned = {piece.line for piece in mentions}
    topics = [piece for piece in _topic_pieces(lines) if not mentioned & set(range(piece.line, piece.line + piece.length))]
    return mentions + topics


# --------------------------------------------------------------------------------------------
# Replies under unnumbered topic subheadings, and answers to a question
# --------------------------------------------------------------------------------------------

_SALUTATION = re.compile(r"^dear\b", re.I)
_TITLE_WORDS = re.compile(r"\b(?:response|reply|responds?|report|letter|answered|asked|question|session)\b|\d{4}", re.I)
_REPLY_LANGUAGE = re.compile(r"\brecommendations?\b", re.I)


def _is_prose(line: _Line) -> bool:
    return len(line.text.split()) >= 8 and not line.bold


# After a letter's salutation and subject line, only a line shaped like a title ("X report – response
# to recommendations", a year) is one; "Responsibility of other bodies to respond" is a topic.
_SUBJECT_LIKE = re.compile(r"\b(?:response|reply|report|letter)\b.*\s[–—:-]\s|\s[–—:-]\s.*\b(?:response|reply|report|letter)\b|\d{4}", re.I)


def _is_topic_heading(lines: list[_Line], index: int, *, in_letter: bool = False) -> bool:
    """A short line, not a sentence, title or document section, that prose follows."""
    text = lines[index].text.strip()
    words = text.split()
    if not (1 <= len(words) <= 12) or re.search(r"[.!?:;,]$", text) or not text[:1].isupper():
        return False
    title = (_SUBJECT_LIKE if in_letter else _TITLE_WORDS).search(text)
    if text.lower() in DOCUMENT_SECTION_HEADINGS or title or _VALEDICTION.match(text) or _heading(lines[index]):
        return False
    following = next((line for line in lines[index + 1:] if line.text), None)
    return following is not None and _is_prose(following)


def _topic_pieces(lines: list[_Line]) -> list[_Piece]:
    """Each section under a topic subheading, after the letter's opening, whose prose speaks of
    recommendations or states a position or a commitment: one reply, numbered 0 until matched."""
    opened = next((index + 1 for index, line in enumerate(lines) if _SALUTATION.match(line.text)), 0)
    if opened:  # the subject line under the salutation is the letter's title, not a topic
        subject = next((index for index in range(opened, len(lines)) if lines[index].text), len(lines))
        if subject < len(lines):
            opened = subject + 1 if len(lines[subject].text.split()) <= 14 and not lines[subject].text.endswith(".") else subject
    starts = [index for index in range(opened, len(lines)) if _is_topic_heading(lines, index, in_letter=bool(opened))]
    pieces = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else _section_end(lines, start, set())
        body = _join([line for line in lines[start + 1: end] if not _VALEDICTION.match(line.text)])
        if _REPLY_LANGUAGE.search(body) or stated_position(body)[0] or extract_commitments(body):
            restated, body = _restated_lead(body)
            piece = _Piece(0, lines[start].number, restated, body, stated_position(body, sentences=4), source="topic")
            piece.topic, piece.length = lines[start].text, end - start
            pieces.append(piece)
    return pieces


def _restated_lead(body: str) -> tuple[str, str]:
    """(the opening sentences that restate the recommendation(s), the rest: the reply)."""
    sentences = _sentences(body)
    lead = 0
    while lead < len(sentences) and describes_recommendation(sentences[lead]):
        lead += 1
    if not lead:
        return "", body
    return " ".join(sentences[:lead]), " ".join(sentences[lead:])


_QUESTION_BY = re.compile(r"^(?:question|asked)\s+(?:by|of)\b", re.I)


def _answer_pieces(lines: list[_Line]) -> list[_Piece]:
    """An answer to a question ("Answered by: The Mayor" then the answer): one reply, its topic the
    question asked."""
    pieces = []
    for index, line in enumerate(lines):
        if not _ANSWERED_BY.match(line.text):
            continue
        body = [ln for ln in lines[index + 1:] if ln.text]
        if body and len(body[0].text.split()) <= 6 and not _ANSWERED_BY.match(line.text).group("who"):
            body = body[1:]  # the name under "Answered By:"
        end = next((i for i, ln in enumerate(body) if _QUESTION_BY.match(ln.text) or _ANSWERED_BY.match(ln.text)), len(body))
        text = _join(body[:end])
        if len(text.split()) >= 8:
            pieces.append(_Piece(0, line.number, reply=text, position=stated_position(text), source="answer", topic=_question(lines[:index])))
    return pieces


def _question(lines: list[_Line]) -> str:
    asked = [sentence for line in lines for sentence in _sentences(line.text) if sentence.endswith("?")]
    return asked[-1] if asked else "the question asked"


def _warnings(replies: list[ParsedReply], counts: dict) -> list[str]:
    warnings = []
    if counts:
        described = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items())
        warnings.append(f"the document states totals ({described}); no reply was recorded for them item by item")
    for reply in replies:
        if reply.covers and not reply.number:
            warnings.append(
                f"reply to a group (line {reply.line}): '{reply.covers}' are answered at once "
                f"({reply.stated_position.replace('_', ' ')}); match it to each recommendation it covers"
            )
    seen: dict[int, int] = {}
    for reply in replies:
        if not reply.number:
            continue  # unnumbered: answers a topic
        if reply.number in seen:
            warnings.append(f"recommendation {reply.number} is answered twice (lines {seen[reply.number]} and {reply.line})")
        seen.setdefault(reply.number, reply.line)
    return warnings


def _apply_matches(replies: list[ParsedReply], recommendations: Sequence[tuple[int, str]], warnings: list[str]) -> None:
    taken = {reply.number for reply in replies}
    for proposal in match_replies(replies, recommendations):
        if proposal.number is not None and proposal.number != proposal.reply.number:
            proposal.reply.suggested_number = proposal.number
        if proposal.reply.covers and not proposal.reply.number:
            continue  # a group: said once in _warnings, never matched to one recommendation by its words
        if proposal.reply.topic and not proposal.reply.number:
            _number_topic_reply(proposal, taken, warnings)
            continue
        if proposal.note:
            warnings.append(f"reply {proposal.reply.number} (line {proposal.reply.line}): {proposal.note}")


def _number_topic_reply(proposal: ReplyProposal, taken: set[int], warnings: list[str]) -> None:
    """A reply under a topic subheading takes the number of the recommendation its words match."""
    reply = proposal.reply
    if proposal.number is not None and proposal.number not in taken:
        reply.number = proposal.number
        taken.add(proposal.number)
        warnings.append(f"reply under '{reply.topic}' (line {reply.line}): matched by its words to recommendation {proposal.number} ({proposal.score:.0%})")
    else:
        warnings.append(f"reply under '{reply.topic}' (line {reply.line}): names no number and its words match no one recommendation")


def _loose_commitments(text: str, replies: list[ParsedReply], date: datetime.date | None, first_person: str) -> list:
    """Promises made outside every reply (the document's own: "We will publish progress reports quarterly")."""
    replies = [reply for reply in replies if not reply.covers]  # a group reply keeps no promises of its own
    inside = " ".join(" ".join(reply.text.split()) for reply in replies)
    parts = [" ".join(reply.text.split()) for reply in replies if reply.text]
    return [
        c for c in extract_commitments(text, reference_date=date, first_person=first_person)
        if c.text not in inside and not any(part in c.text for part in parts)
    ]


def extract_replies(
    text: str,
    *,
    recommendations: Sequence[tuple[int, str]] | None = None,
    first_person: str = "",
) -> RepliesResult:
    """Replies to recommendations in ``text``, whatever its layout; never raises on any text.

    ``recommendations`` ((number, text) of the report answered, when known) tells a restatement
    from the reply by likeness and checks each reply's number against its text. ``first_person``
    is the owner given to "we will ..." commitments (the respondent's key) when known.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = _lines(text)
    known = {int(number): rec for number, rec in (recommendations or [])}
    counts = _summary_by_clause(lines)
    total = counts.get("total") if isinstance(counts.get("total"), int) else None
    date = _date(lines)
    respondent = _respondent(lines, _label_owner(lines))
    first_person = first_person or respondent  # "we will" is the respondent's promise
    replies = [_to_reply(piece, date.date, first_person) for piece in _pieces(lines, known, total)]
    if known:
        replies = expand_group_replies(replies, list(known.items()))
    warnings = _warnings(replies, counts)
    if known and replies:
        _apply_matches(replies, list(known.items()), warnings)
    if not replies and not counts:
        warnings.append("no replies found: looked for " + LOOKED_FOR)
    loose = _loose_commitments(text, replies, date.date, first_person)
    return RepliesResult(
        replies=replies,
        respondent=respondent,
        report_title=_report_title(lines),
        date=date,
        summary_counts=counts,
        commitments=loose,
        looked_for=LOOKED_FOR,
        warnings=warnings,
    )
