"""Recommendations in a document of any layout, read by structure and language.

Pure: text in, ``ItemsResult`` out. The seed families keep their own parsers; this module reads
everything else (committee pages and letters, select committee conclusions, inspection reports,
inquiry and coroners' reports, written evidence). It works in three steps:

1. ``_blocks``: the text as blocks (headings, "Recommendation N" labels, numbered, lettered and
   bulleted items, paragraphs), hard-wrapped lines joined, page furniture dropped;
2. ``_structured``: items a document marks as recommendations: labels anywhere; list items or
   paragraphs under a recommendations heading ("Conclusions and recommendations", "Areas for
   improvement", "Matters of concern") or after a lead-in ("makes three recommendations to the
   Commissioner:"), which give the items below them an addressee and a deadline; numbered
   paragraphs that ask for something. Findings mixed into a list (no asking language) are skipped.
3. ``_prose``: when nothing is marked, each sentence that asks ("X should", "calls on X to",
   "we recommend that") starts an item; a sentence that refers back ("This should ...",
   "... should do this ...") continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .addressees import actors_of, canonical_name, leading_actor
from .deadlines import find_deadline, find_relative_deadline, find_vague_deadline
from .text import is_bullet, is_page_furniture, markdown_heading, normalise_whitespace, strip_bullet, strip_markdown
from .types import Deadline, ItemsResult, RecommendationOccurrence, RelativeDeadline
from .vocabulary import (
    DESCRIBING_CLAUSE_OPENERS,
    IMPERATIVE_VERBS,
    MODAL_VERBS,
    NON_RECOMMENDATION_HEADINGS,
    NUMBER_WORDS,
    POSITION_PHRASES,
    RECOMMENDATION_HEADINGS,
    RESOLUTION_WORDS,
    WISH_VERBS,
    WOULD_ASK_VERBS,
    words_pattern,
)

LOOKED_FOR = (
    "'Recommendation N' headings or labels; numbered, lettered or bulleted items under a heading such as "
    "'Recommendations', 'Conclusions and recommendations', 'Areas for improvement' or 'Matters of concern', "
    "or after a lead-in ending in a colon; sentences that ask someone to act ('X should', 'calls on X to', "
    "'we recommend that')"
)

# --- lines to blocks -----------------------------------------------------------------------------

_LABEL = re.compile(
    r"^\s*(?:[-\u2022*\u25aa\u25cf]\s*)?(?:\(?\d{1,3}[.)]\s*)?(?:#{1,6}\s*)?(?:\*\*|__)?\s*"
    r"recommendation\s+(?P<number>\d{1,3})\b(?:\*\*|__)?\s*(?:[:.\u2013\u2014)-]|$)\s*(?:\*\*|__)?\s*(?P<rest>.*)$",
    re.I,
)
_NUMBER = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\(?(?P<number>\d{1,3})[.)](?!\d)(?:\*\*)?\s*(?P<rest>.*)$")
# a paper's decimal paragraph numbers: "2.1 That the Committee notes ..." (the part after the point numbers it)
_DECIMAL = re.compile(r"^\s*(?P<section>\d{1,2})\.(?P<number>\d{1,2})\.?\s+(?P<rest>[A-Z\u201c\"'(].*)$")
_LETTER = re.compile(r"^\s*(?:\((?P<a>[a-z]|[ivx]{1,5})\)|(?P<b>[a-z]|[ivx]{2,5})[.)])\s+(?P<rest>.*)$")
_SENTENCE_END = re.compile(r"[.!?:;][\u2019\u201d\"')\]]*$")
_PARAGRAPH_REF = re.compile(r"\s*\(\s*paragraphs?\s+[^)]{0,200}\)\s*\.?", re.I)
_WRAP_WORDS = {"the", "a", "an", "of", "and", "to", "in", "for", "with", "on", "by", "or", "that", "its", "their", "from", "at", "as"}


@dataclass
class _Block:
    kind: str  # "heading", "label", "number", "letter", "bullet", "para"
    text: str
    line: int
    number: int | None = None
    marker: str = ""


def _marker_block(raw: str, line: int) -> _Block | None:
    """The block a line starts when it carries a marker (label, number, letter, bullet, heading)."""
    heading = markdown_heading(raw)
    label = _LABEL.match(raw)
    if label:
        return _Block("label", label.group("rest"), line, int(label.group("number")), f"Recommendation {label.group('number')}:")
    if heading:
        return _Block("heading", heading[1], line)
    number = _NUMBER.match(raw) or _DECIMAL.match(raw)
    if number and _is_section_name(number.group("rest")):
        return _Block("heading", number.group("rest").strip(), line)  # "2. Recommendations", "3. Background"
    if number:
        marker = f"{number.group('section')}.{number.group('number')}" if "section" in number.groupdict() else f"{number.group('number')}."
        return _Block("number", number.group("rest"), line, int(number.group("number")), marker)
    letter = _LETTER.match(raw)
    if letter:
        return _Block("letter", letter.group("rest"), line, None, f"({letter.group('a') or letter.group('b')})")
    if is_bullet(raw):
        return _Block("bullet", strip_bullet(raw).strip(), line, None, "- ")
    return None


def _is_section_name(text: str) -> bool:
    """A numbered line that only names a section ("Recommendations", "Background", "Summary")."""
    key = " ".join(re.sub(r"[^a-z ]", " ", text.casefold().replace("&", " and ")).split())
    return key in _HEADING_WORDS or key in _OTHER_HEADINGS


def _looks_like_heading(text: str, next_line: str) -> bool:
    words = text.split()
    if not words or len(words) > 12 or _SENTENCE_END.search(text) or text.endswith(","):
        return False
    if not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    return not next_line.strip() or next_line.strip()[:1].isupper() or bool(_marker_block(next_line, 0))


def _continues(previous: _Block, raw: str, blank_before: bool) -> bool:
    """Does ``raw`` (an unmarked line) carry on the block before it (a hard-wrapped line)?"""
    if previous.kind == "heading" or _SENTENCE_END.search(previous.text.rstrip("* ")):
        return False
    stripped = raw.strip()
    last_word = previous.text.split()[-1].casefold() if previous.text.split() else ""
    if stripped[:1].islower() or last_word in _WRAP_WORDS or previous.text.endswith((",", "-")):
        return True
    return not blank_before and len(previous.text) >= 60


def _blocks(text: str) -> list[_Block]:
    lines = text.splitlines()
    blocks: list[_Block] = []
    blank_before = True
    for index, raw in enumerate(lines):
        if not raw.strip() or is_page_furniture(raw):
            blank_before = True
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        block = _marker_block(raw, index + 1)
        if block is None and blocks and _continues(blocks[-1], raw, blank_before):
            blocks[-1].text = f"{blocks[-1].text} {raw.strip()}"
        elif block is not None:
            blocks.append(block)
        else:
            plain = normalise_whitespace(strip_markdown(raw))
            kind = "heading" if _looks_like_heading(plain, next_line) else "para"
            blocks.append(_Block(kind, plain, index + 1))
        blank_before = False
    for block in blocks:
        block.text = normalise_whitespace(strip_markdown(block.text)).replace("**", "")
    return blocks


# --- asking language -------------------------------------------------------------------------------

_MODAL = re.compile(r"\b" + words_pattern(MODAL_VERBS) + r"\b", re.I)
_ASKS = re.compile(
    r"|".join([
        r"\brecommend(?:s|ed|ing)?\s+that\b",
        r"\b(?:we|i|committee|report|inquiry|panel|review|it|they)\s+(?:\w+\s+){0,2}?recommends?\b(?!\s+in\b)",
        r"\bcall(?:s|ed|ing)?\s+(?:on|upon)\b",
        r"(?<!\ba\s)(?<!\bthe\s)\bcall(?:s|ed|ing)\s+for\b(?!\s+(?:urgent\s+|more\s+|further\s+)?(?:action|change|improvement)s?\b)",
        r"\burg(?:e|es|ed|ing)\s+(?!caution)\S",
        r"\bencourag(?:e|es|ed|ing)\s+(?!by\b)\S+(?:\s+\S+){0,6}?\s+to\b",
        r"\brequest(?:s|ed|ing)?\s+(?:that|a|an|the|all|further|more|sight|details?)\b",
        r"\bask(?:s|ed|ing)?\s+(?:\S+\s+){1,6}?to\b",
        r"\bexpects?\s+(?:to|\S+(?:\s+\S+){0,4}?\s+to)\b",
        r"\binvites?\s+\S+(?:\s+\S+){0,5}?\s+to\b",
        r"\b" + words_pattern(WISH_VERBS) + r"\s+(?!to\b)\S+(?:\s+\S+){0,4}?\s+to\s+(?!be\b)[a-z]+",
        r"\bwould\s+(?:also\s+)?" + words_pattern(WOULD_ASK_VERBS) + r"\b",
        r"\b(?:is|are)\s+(?:urgently\s+)?(?:required|needed)\b",
        r"\bit\s+is\s+(?:vital|essential|important|crucial|imperative)\s+that\b",
    ]),
    re.I,
)
_FUTURE = re.compile(r"\bwill\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s*(?:and|but|so|yet|while|whereas)\s|\b(?:and|but)\s+(?:we|i)\s", re.I)
# Writer's asides that carry a modal but ask nobody to act ("it should be noted that").
_ASIDE = re.compile(
    r"\bit\s+(?:should|must)\s+(?:also\s+)?be\s+(?:noted|remembered|recognised|recognized|borne\s+in\s+mind|"
    r"said|stressed|emphasised|emphasized|acknowledged|pointed\s+out)\b",
    re.I,
)
# A committee paper's resolution: "That the Authority notes the report", "The Members note the report".
_RESOLUTION = re.compile(
    r"^(?:that\s+(?:the\s+)?[A-Z]|(?:the\s+)?(?:\w+\s+){0,3}?(?:members|committee|sub-committee|authority|board|panel|assembly|"
    r"council|cabinet)\s+(?:notes?|agrees?|approves?|endorses?|receives?|adopts?|resolves?|delegates?)\b)",
    re.I,
)
# "in which they are required to serve", "unless Ministers are expected to": a description, not an ask.
_DESCRIBED_DUTY = re.compile(
    r"\b" + words_pattern(DESCRIBING_CLAUSE_OPENERS) + r"\s+(?:[\w'\u2019]+\s+){0,4}?(?:is|are|was|were|be)\s+"
    r"(?:\w+ly\s+)?(?:required|expected)\s+to\b",
    re.I,
)
# A respondent quoting a finding it agrees with ("The Government agrees with the Committee's finding
# that, \u201c... must be improved.\u201d"): the modal is the quoted writer's, not an ask of this text.
_QUOTED = re.compile(r"[\u201c\"][^\u201c\u201d\"]{3,400}[\u201d\"]")
_POSITION_TAKEN = re.compile(
    r"\b" + words_pattern(word for name, words in POSITION_PHRASES if name in ("accepted", "supported", "noted") for word in words) + r"\b",
    re.I,
)
_NOUN_NEED = re.compile(r"\b(?:the|a|an|no|any|their|its|our)\s+needs?\s+to\b", re.I)
_IMPERATIVE = re.compile(r"^(?:\w+ly\s+)?(?:" + "|".join(IMPERATIVE_VERBS) + r")\b", re.I)
_CONTINUATION = re.compile(r"^(?:this|it|these|that|such)\s+(?:\w+\s+){0,2}?(?:should|must)\b|\bdo\s+(?:this|so)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])[\u2019\u201d\"')\]]*\s+(?=[A-Z\u201c\"\u2018'(])")


def _quotes_a_position(sentence: str) -> bool:
    """A respondent agreeing with (accepting, noting) a quoted finding: the ask is only inside the quote."""
    outside = _QUOTED.sub(" ", sentence)
    return outside != sentence and not _MODAL.search(outside) and bool(_POSITION_TAKEN.search(outside))


def is_resolution(text: str) -> bool:
    """A committee paper's own resolution ("That the Committee notes ...", "The Members note ...")."""
    return bool(_RESOLUTION.match(text.strip()))


def _sentence_asks(sentence: str) -> bool:
    if _quotes_a_position(sentence):
        return False
    sentence = _DESCRIBED_DUTY.sub(" ", sentence)
    if _MODAL.search(_ASIDE.sub(" ", _NOUN_NEED.sub(" ", sentence))):
        return True
    ask = _ASKS.search(sentence)
    if not ask:
        return False
    future = _FUTURE.search(sentence)
    # "The Inquiry will write ... asking it to" is the writer's promise; a "will" in an earlier clause
    # ("when the review will end, and we recommend that ...") leaves the ask standing.
    return not (future and future.start() < ask.start() and not _CLAUSE_BREAK.search(sentence, future.end(), ask.start()))


def asks(text: str) -> bool:
    """Does ``text`` ask someone to act (a modal, "we recommend that", "calls on ... to")?

    A promise by the writer ("The Inquiry will write ... asking it to ...") is not an ask, nor is
    "the need to" (a noun) or "a call for more thinking".
    """
    return any(_sentence_asks(sentence) for sentence in _sentences(text))


def _imperative(text: str) -> bool:
    return bool(_IMPERATIVE.match(text.lstrip("\u201c\"'(")))


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE.split(text) if part.strip()]


# --- sections and lead-ins ---------------------------------------------------------------------

_HEADING_WORDS = {heading.casefold() for heading in RECOMMENDATION_HEADINGS}
_OTHER_HEADINGS = {heading.casefold() for heading in NON_RECOMMENDATION_HEADINGS}
# a line ending in a colon that introduces items: asking words, or a section's name in a sentence
# ("The matters of concern are as follows:", "The areas for improvement are:")
_LEAD_IN = re.compile(
    r"\b(?:recommend\w*|asks?|calls?\s+(?:on|for)|urg\w+|should|must|needs?\s+to|improved\s+to|"
    + words_pattern(heading for heading in RECOMMENDATION_HEADINGS if " " in heading) + r")\b",
    re.I,
)
# "RESOLVED – That Members agree:", "Resolved:": a resolution's parts follow
_RESOLVED = re.compile(r"^\W*" + words_pattern(RESOLUTION_WORDS) + r"\b\W*(?:that\b)?", re.I)
_RECOMMENDS_WORD = re.compile(r"\brecommend\w*|\basks\b|\bcalls?\s+on\b", re.I)
_COUNT = re.compile(
    r"\b(?P<count>\d{1,3}|" + words_pattern(k for k in NUMBER_WORDS if k not in ("a", "an")) + r")\s+(?:\w+\s+){0,2}?recommendations\b",
    re.I,
)
_TO_WHOM = re.compile(r"\brecommendations?\s+(?:to|for)\s+(?P<who>.+?)(?:\s+(?:to|on|about|in|that)\b|[,:;.]|$)", re.I)
_EVENT = re.compile(
    r"^(?P<words>(?:before|ahead\s+of|following|after|once|in\s+the\s+\w+(?:'s|\u2019s)?\s+term)\b[^,]{0,80}?)"
    r"(?:,|\s+(?=the\s+committee\b|we\b|i\b))",
    re.I,
)


def _heading_key(text: str) -> str:
    """A heading in plain lower-case words, without a section letter or number ("B. Background")."""
    key = " ".join(re.sub(r"[^a-z ]", " ", text.casefold().replace("&", " and ")).split())
    return re.sub(r"^(?:[a-h]|[ivx]{1,4})\s+(?=\w{3})", "", key) if re.match(r"^\s*(?:[A-Ha-h]|[IVXivx]{1,4})[.)]\s", text) else key


def _is_recommendations_heading(text: str) -> bool:
    key = _heading_key(text)
    return key in _HEADING_WORDS or any(key.startswith(f"{word} ") for word in _HEADING_WORDS if len(word) > 12) or bool(
        re.match(r"^(?:\w+\s+){0,3}recommendations?(?:\s+(?:to|for)\b.*)?$", key)
    )


@dataclass
class _Section:
    mode: str  # "heading" or "lead-in"
    need_ask: bool = False  # a list that mixes findings with recommendations
    actors: list[str] = field(default_factory=list)
    deadline: tuple | None = None  # the lead-in's (Deadline | None, words, RelativeDeadline | None)
    single: _Item | None = None  # "By 31 May, X should develop a plan to:" - its sub-items are one item
    list_kind: str = ""
    taken: int = 0
    # a lead-in that is itself a list item ("2. The Met should ...:"): its marker kind and number; a
    # sibling of that kind ("3.") ends it, sub-items are of another kind or number afresh from 1
    level: str = ""
    level_number: int | None = None
    sub_next: int = 1
    parent: _Section | None = None  # the heading section a lead-in sits in, open again after it


@dataclass
class _Item:
    text: str
    line: int
    label: str
    number: int | None
    actors: list[str]
    deadline: tuple
    from_list: bool = False
    source: str = "structured"


# --- deadlines and actors of one item ----------------------------------------------------------

def _deadline_of(text: str) -> tuple[Deadline | None, str, RelativeDeadline | None]:
    """An item's deadline: a date, else a period after publication, else the timing words as written."""
    absolute = find_deadline(text)
    if absolute:
        return absolute, absolute.text, None
    relative = find_relative_deadline(text)
    if relative:
        return None, relative.text, relative
    event = _EVENT.match(text)
    vague = find_vague_deadline(text)
    words = "; ".join(part for part in ((event.group("words") if event else ""), vague) if part)
    return None, words, None


item_deadline = _deadline_of  # for readers of restated recommendations (the saver, import_accuracy)

_RESOLUTION_SUBJECT = re.compile(r"^(?:(?i:that)\s+)?(?P<who>(?:(?i:the)\s+)?(?:[A-Z][\w'\u2019&-]*\s+){1,6}?)(?=[a-z])")


def _resolution_actors(text: str, aliases: dict[str, str] | None) -> list[str]:
    """Who a committee paper's resolution is for: "That the Authority notes ..." -> the Authority."""
    subject = _RESOLUTION_SUBJECT.match(text.strip())
    return actors_of(f"{subject.group('who').strip()} should act.", aliases=aliases) if subject else []


def _item(block: _Block, text: str, section: _Section | None, aliases: dict[str, str] | None, *, from_list: bool) -> _Item:
    actors = actors_of(text, aliases=aliases)
    if not actors and _RESOLUTION.match(text):
        actors = _resolution_actors(text, aliases)
    if not actors and from_list and not _imperative(text) and not asks(text):
        lead = leading_actor(text, aliases=aliases)
        actors = [lead] if lead else []
    if not actors and section:
        actors = list(section.actors)
    deadline = _deadline_of(text)
    if not deadline[1] and section and section.deadline:
        deadline = section.deadline
    label = block.marker or ("(paragraph)" if block.kind == "para" else "")
    number = block.number if block.kind in ("label", "number") else None
    return _Item(text, block.line, label, number, actors, deadline, from_list)


def _section_actors(text: str, aliases: dict[str, str] | None) -> list[str]:
    own = actors_of(text, aliases=aliases)
    if own:
        return own
    to_whom = _TO_WHOM.search(text)
    if to_whom:
        return actors_of(f"{to_whom.group('who')} should act.", aliases=aliases)
    # "Before the Mayor adopts a final plan the Committee recommends that it is improved to:"
    for match in re.finditer(r"\b(?:the\s+)?[A-Z][\w'\u2019]+(?:\s+(?:of\s+|for\s+)?[A-Z][\w'\u2019]+)*", text):
        name = actors_of(f"{match.group(0)} should act.", aliases=aliases)
        if name and name[0].casefold() not in ("committee", "we", "i") and not _is_recommendations_heading(re.sub(r"^the\s+", "", match.group(0), flags=re.I)):
            return name[:1]
    return []


_LISTED = ("bullet", "number", "letter")
# a lead-in that says so in words, whatever its stop: "The MATTERS OF CONCERN are as follows. –"
_AS_FOLLOWS = re.compile(r"\bas\s+follows\s*[:.;–—-]*\s*$", re.I)


def _lead_in(block: _Block, aliases: dict[str, str] | None) -> _Section | None:
    text = block.text.rstrip()
    # the cue must be in the sentence that ends in the colon: "The Panel took the opportunity to ask
    # questions. Panel members:" introduces what members said, not recommendations
    last = _sentences(text)[-1] if _sentences(text) else text
    if not (text.endswith(":") or _AS_FOLLOWS.search(last)) or not (_LEAD_IN.search(last) or _RESOLVED.match(last)):
        return None
    resolved = _RESOLVED.match(last)
    section = _Section("lead-in", actors=_section_actors(last[resolved.end():] if resolved else text, aliases))
    if block.kind in _LISTED:
        section.level, section.level_number = block.kind, block.number
    deadline = _deadline_of(text)
    section.deadline = deadline if deadline[1] else None
    # a numbered item ending in a colon is one recommendation with parts, unless it counts several
    numbered = block.kind == "number" and not _COUNT.search(text)
    if numbered or (_MODAL.search(text) and not _RECOMMENDS_WORD.search(text) and actors_of(text, aliases=aliases)):
        section.single = _item(block, text, None, aliases, from_list=False)
        section.single.label = block.marker if numbered else "(lead-in)"
    return section


def _is_sibling(block: _Block, section: _Section, aliases: dict[str, str] | None) -> bool:
    """Is ``block`` the next item at the level of a lead-in that is itself an item ("2. The Met
    should ...:" then "3."), so the lead-in's parts are over? Parts are of another marker kind,
    numbered afresh from 1, or (where a flattened list lost its indents) fragments with no actor of
    their own. The items after an introduction ("Our key recommendations are:") are all its own."""
    if section.single is None or not section.level or block.kind != section.level:
        return False
    if block.kind == "number" and block.number is not None:
        if block.number == section.sub_next:  # parts numbered afresh: "1)", "2)" under "4."
            section.sub_next += 1
            return False
        return True
    return asks(block.text) and bool(actors_of(block.text, aliases=aliases))


# --- walking the blocks ------------------------------------------------------------------------

def _join_part(block: _Block, section: _Section) -> bool:
    """A part of a lead-in that is one item ("... develop a plan to:" then "(a) ..."); False ends it."""
    if block.kind not in _LISTED or (section.list_kind and block.kind != section.list_kind):
        return False
    section.list_kind = section.list_kind or block.kind
    section.single.text = f"{section.single.text} {block.text}"
    return True


def _take_listed(block: _Block, section: _Section, items: list[_Item], aliases: dict[str, str] | None) -> bool:
    """A list item in a section: an item, a finding skipped, or (another kind of list) the end."""
    if section.list_kind and block.kind != section.list_kind and section.taken:
        return False
    section.list_kind = section.list_kind or block.kind
    if section.need_ask and not asks(block.text):
        return True  # a finding in a mixed list
    if block.text and (section.mode == "lead-in" or asks(block.text) or _imperative(block.text) or not section.need_ask):
        items.append(_item(block, block.text, section, aliases, from_list=True))
        section.taken += 1
    return True


def _take_in_section(block: _Block, section: _Section, items: list[_Item], aliases: dict[str, str] | None) -> bool:
    """Handle ``block`` inside a section; False when the block ends the section."""
    listed = block.kind in _LISTED
    if listed and _is_sibling(block, section, aliases):
        return False
    if section.single is not None:
        return _join_part(block, section)
    if listed:
        return _take_listed(block, section, items, aliases)
    if section.taken and section.list_kind:
        return False  # prose after the list: the list is over
    resolution = section.mode == "heading" and bool(_RESOLUTION.match(block.text))
    if asks(block.text) or _imperative(block.text) or resolution:
        items.append(_item(block, block.text, section, aliases, from_list=section.mode == "lead-in" or resolution))
        section.taken += 1
        return True
    return section.mode == "heading"


def _heading_section(block: _Block, aliases: dict[str, str] | None) -> _Section | None:
    key = _heading_key(block.text)
    if key in _OTHER_HEADINGS or not _is_recommendations_heading(block.text):
        return None
    section = _Section("heading", need_ask=any(word in key for word in ("finding", "conclusion", "cause")))
    to_whom = _TO_WHOM.search(block.text)
    if to_whom:
        section.actors = actors_of(f"{to_whom.group('who')} should act.", aliases=aliases)
    return section


def _close(section: _Section | None, items: list[_Item]) -> None:
    if section is not None and section.single is not None:
        items.append(section.single)
        section.single = None


def _still_open(block: _Block, section: _Section | None, items: list[_Item], aliases: dict[str, str] | None) -> tuple[_Section | None, bool]:
    """The section open after ``block``, and whether it took the block: a lead-in that ends gives
    way to the heading section it sits in."""
    while section is not None:
        if _take_in_section(block, section, items, aliases):
            return section, True
        _close(section, items)
        section = section.parent
    return None, False


def _heading_of(section: _Section | None) -> _Section | None:
    """The heading section open where a lead-in starts (itself, or the one its lead-in sits in)."""
    if section is None or section.mode == "heading":
        return section
    return section.parent


def _structured(blocks: list[_Block], aliases: dict[str, str] | None) -> list[_Item]:
    items: list[_Item] = []
    section: _Section | None = None
    aside = False  # under "Background", "Supporting information": numbered paragraphs there are not items
    for index, block in enumerate(blocks):
        if block.kind == "label":
            _close(section, items)
            section = None
            text = block.text or (blocks[index + 1].text if index + 1 < len(blocks) and blocks[index + 1].kind == "para" else "")
            if text:
                items.append(_item(block, text, None, aliases, from_list=False))
            continue
        if block.kind == "heading":
            _close(section, items)
            section = _heading_section(block, aliases)
            aside = _heading_key(block.text) in _OTHER_HEADINGS or (aside and section is None)
            continue
        lead = _lead_in(block, aliases)
        if lead is not None:
            _close(section, items)
            lead.parent = _heading_of(section)
            section = lead
            continue
        section, taken = _still_open(block, section, items, aliases)
        if taken:
            continue
        if block.kind == "number" and not aside and asks(block.text):
            items.append(_item(block, block.text, None, aliases, from_list=False))
    _close(section, items)
    return items


# "The Committee has written to the Commissioner ..., calling for the plan to include ...": the ask
# is the participle clause; the words before it say who was written to (read for the addressee).
_PARTICIPLE_ASK = re.compile(r",\s+(?P<ask>(?:calling|urging|asking|requesting|recommending|pressing|encouraging)\b.*)$", re.I)


def _ask_part(sentence: str) -> str:
    match = _PARTICIPLE_ASK.search(sentence)
    if not match or asks(sentence[: match.start()]):
        return sentence
    return match.group("ask")[:1].upper() + match.group("ask")[1:]


def _prose(blocks: list[_Block], aliases: dict[str, str] | None) -> list[_Item]:
    items: list[_Item] = []
    current: _Item | None = None
    for block in blocks:
        if block.kind in ("heading", "label"):
            current = None
            continue
        for sentence in _sentences(block.text):
            if current is not None and _CONTINUATION.search(sentence):
                current.text = f"{current.text} {sentence}"
                if not current.deadline[1]:
                    current.deadline = _deadline_of(sentence)
                continue
            if asks(sentence):
                current = _item(block, sentence, None, aliases, from_list=False)
                current.text = _ask_part(sentence)
                current.label, current.source = "(prose)", "prose"
                items.append(current)
            elif current is not None and current.line != block.line:
                current = None
        if current is not None and current.line != block.line and not _CONTINUATION.search(block.text):
            current = None
    return _without_restatements(items)


def _restates(text: str, earlier: str) -> bool:
    """True when two asks share a run of seven or more words (the same ask told twice)."""
    first, second = re.findall(r"[a-z0-9]+", text.casefold()), re.findall(r"[a-z0-9]+", earlier.casefold())
    match = SequenceMatcher(None, first, second, autojunk=False).find_longest_match(0, len(first), 0, len(second))
    return match.size >= 7


def _without_restatements(items: list[_Item]) -> list[_Item]:
    """Drop a prose ask that restates an earlier one (a page summarising two letters)."""
    kept: list[_Item] = []
    for item in items:
        if any(_restates(item.text, earlier.text) for earlier in kept):
            continue
        kept.append(item)
    return kept


# --- the public function -----------------------------------------------------------------------

def _clean(text: str) -> str:
    return normalise_whitespace(_PARAGRAPH_REF.sub(" ", text)).strip()


def _occurrences(items: list[_Item]) -> list[RecommendationOccurrence]:
    occurrences: list[RecommendationOccurrence] = []
    printed = {item.number for item in items if item.number is not None}
    position = 0
    seen: set[int] = set()
    for item in items:
        if item.number is not None:
            number, numbered = item.number, True
        else:
            position += 1
            while position in printed:
                position += 1
            number, numbered = position, False
        if number in seen:
            continue  # a second copy of a numbered item (a summary and its chapter): the first is kept
        seen.add(number)
        deadline, words, relative = item.deadline
        occurrences.append(RecommendationOccurrence(
            number=number, text=_clean(item.text), addressees=item.actors, chapter="", deadline=deadline,
            line=item.line, section="page", label=item.label, numbered=numbered,
            deadline_words=words, relative_deadline=relative,
        ))
    return occurrences


# A report sent to someone (a coroner's report "THIS REPORT IS BEING SENT TO:" and its recipients, on
# the same line or listed on the lines after it) whose duty it is to respond ("You are under a duty
# to respond ... within 56 days").
_SENT_TO = re.compile(r"^\W*(?:this\s+)?report\s+(?:is\s+)?(?:being\s+)?sent\s+to\s*:?(?P<same>[^\n]*)", re.I | re.M)
_RECIPIENT_MARK = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-h][.)]|[-•*–])\s*")
# The next numbered section of the template ("1 CORONER") ends the list of recipients.
_TEMPLATE_SECTION = re.compile(r"^\s*\d{1,2}\.?\s+[A-Z][A-Z'’ ,&-]{3,}$")
_MAX_RECIPIENTS = 8
_DUTY = re.compile(r"[^.\n]*\bduty\s+to\s+respond\b[^.\n]*", re.I)


def _recipients(text: str) -> list[str]:
    """Whom a report is sent to: the rest of the "sent to:" line, else each line listed below it."""
    sent_to = _SENT_TO.search(text)
    if not sent_to:
        return []
    same = sent_to.group("same").strip(" .;:*")
    if len(same) >= 3:
        return [same[:150]]
    found: list[str] = []
    for line in text[sent_to.end():].split("\n"):
        if not line.strip():
            if found:
                break
            continue
        if _TEMPLATE_SECTION.match(line) or len(found) == _MAX_RECIPIENTS:
            break
        who = _RECIPIENT_MARK.sub("", line).strip(" .;:*")
        if len(who) >= 3:
            found.append(who[:150])
    return found


def _with_document_defaults(items: list[_Item], text: str, aliases: dict[str, str] | None) -> list[_Item]:
    """Items naming no actor are for the report's recipients; items with no time words carry the duty to respond."""
    duty = _DUTY.search(text)
    recipients = [canonical_name(who, aliases) for who in _recipients(text)]
    deadline = _deadline_of(duty.group(0)) if duty else (None, "", None)
    for item in items:
        if not item.actors and recipients:
            item.actors = list(recipients)
        if not item.deadline[1] and deadline[1]:
            item.deadline = deadline
    return items


def _stated_count(text: str) -> int | None:
    match = _COUNT.search(text)
    if not match:
        return None
    count = match.group("count").casefold()
    return int(count) if count.isdigit() else NUMBER_WORDS.get(" ".join(count.split()))


def extract_items(text: str, *, aliases: dict[str, str] | None = None) -> ItemsResult:
    """Every recommendation in ``text``, whatever its layout, with addressees and deadlines.

    ``aliases`` maps names as written to the name they stand for ("the Met" -> "Met"); without it
    ``addressees.DEFAULT_ALIASES`` is used. Unnumbered items are numbered by position
    (``numbered`` False). Never raises on any text: an empty result means nothing was recognised.
    """
    text = text if isinstance(text, str) else ""
    blocks = _blocks(text)
    items = _structured(blocks, aliases)
    labelled = [item for item in items if item.label.startswith("Recommendation ")]
    if labelled:
        items = labelled
    if not items:
        items = _prose(blocks, aliases)
    occurrences = _occurrences(_with_document_defaults([item for item in items if _clean(item.text)], text, aliases))
    stated = _stated_count(text)
    warnings = []
    if stated is not None and occurrences and stated != len(occurrences) and stated > len(occurrences):
        warnings.append(f"The text says there are {stated} recommendations; {len(occurrences)} were found.")
    return ItemsResult(occurrences=occurrences, stated_count=stated, looked_for=LOOKED_FOR, warnings=warnings)
