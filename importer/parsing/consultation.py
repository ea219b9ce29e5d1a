"""Read consultation responses: a compilation of many submissions, or one organisation's response.

Pure functions: text in, :class:`~importer.parsing.types.ParsedConsultation` out. Nothing here
knows a particular file or respondent; everything is read from structure and language. The parse
keeps the text as written (contact details help tell a letterhead from prose); ``privacy.py``
removes respondents' contact details before the import saves anything.

Splitting a compilation into submissions
----------------------------------------
A compilation is the text of many emails, letters and reports one after another (usually extracted
from one PDF). A new submission starts at the first of these *start markers* once the current
submission already has body text (so an email's own "Dear Claire" after its header does not split it):

- an email or memo header block: ``From:`` with ``Sent:``/``Date:``/``Subject:`` near it (``To:``
  before ``From:`` as in a memo is included);
- a salutation ("Dear ...", "Hi", "Hello"); the letterhead, addressee and date lines just above it
  belong to the new letter;
- a title naming a response ("Refuge feedback on the ... Plan", "Barnardo's consultation response",
  "Response to MOPAC's Draft ... Plan", "Consultation Response:", "... : Call for Views"), with the
  organisation/date lines just above it;
- after a letter has closed with a sign-off ("Yours sincerely", "Kind regards", ...), the next
  document's first numbered section ("1. Introduction").

Lines belonging to a sign-off (the name, job title and organisation under "Yours sincerely") are never
taken into the next submission.

Who sent it
-----------
- person: an email ``From:`` that looks like a name; else the name under the sign-off ("Regards,
  Vanessa"); else a name line in the title block ("Dr Caroline Paskell, Barnardo's Strategy Unit");
  else a closing signature with no sign-off phrase ("David Evans | Partnership Manager | St Giles
  Trust", or a name followed by a job title in the last lines). "Councillor" is shortened to "Cllr".
- organisation, first found of: the title ("London Borough of Newham's submission ...", "Only
  Connect / Response to ..."); an organisation in ``From:`` ("Camden Council – Officer Response");
  "on behalf of X"; a letterhead ("London Councils, 59½ Southwark Street, ..."); the organisation line
  under the signature. The name the text itself uses as its subject ("Victim Support is ...",
  "Solace welcomes ...", at least three times) overrides a signature organisation that does not share
  a word with it (a signature may name a unit, e.g. "National Homicide Service"). A councillor whose
  signature names no organisation gets the council named in the submission ("London Borough of ...").
  Names are kept as the text writes them ("London Borough of Southwark" and "Southwark Council" are
  not merged); curly apostrophes become straight ones.
- respondent_kind: "council" (councils, boroughs, London Councils), "other" (police, NHS, government
  and other public bodies, businesses, universities, unions/federations), "charity" for any other
  organisation (charities, trusts, voluntary and community groups: in these consultations an
  organisation that is not a public body or business is a voluntary one), "public" when no
  organisation is found.

What counts as an ask
---------------------
- "Recommendation N:" paragraphs (sub-parts "7a"/"7b" are one ask, number 7, as the submission's own
  summary lists them). When these exist, a "Summary of recommendations" list that repeats them is not
  counted again; without them, the numbered items of such a summary list are the asks.
- bullet (or "a)"-lettered) lists whose lead-in asks for something: the sentence introducing the list
  uses request language ("recommends the Mayor to commit to:", "could consider including:", "the
  following commitments could also be included", "we would ask ...", "urge", "should"). Each bullet is
  one ask, even when it states two things (we do not split a bullet's sentences).
- NOT asks: lists introduced without request language -- evidence, quotations, lists of strengths,
  and lists of crime types or indicators ("a better basket of indicators ... would be: Burglary,
  Street crime, ..."). A list of categories is the content of a suggestion made in prose, not a set of
  separate requests; requests made only in prose are not extracted.
- section: the nearest numbered heading above the ask ("3. Reducing and preventing violence"); a
  summary section is named without its number ("Summary"); "" when there is none.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from .deadlines import parse_document_date
from .types import (
    UNKNOWN_DATE,
    DatePrecision,
    DocumentDate,
    ParsedAsk,
    ParsedConsultation,
    ParsedSubmission,
    ParseError,
)

__all__ = ["parse_consultation_compilation", "parse_consultation_submission"]

# ---------------------------------------------------------------------------------------------------
# Line classification

_HEADER_FIELD = re.compile(r"^\s*(From|Sent|Date|To|Cc|Bcc|Subject|Importance|Attachments)\s*:\s*(.*)$", re.I)
_SALUTATION = re.compile(r"^\s*(?:Dear\b.{0,50}|Hi\b.{0,30}|Hello\b.{0,30})$")
_SIGN_OFF = re.compile(
    r"^\s*(?P<phrase>yours\s+(?:sincerely|faithfully|truly)|(?:with\s+)?(?:kind|best|warm|warmest|many)\s+"
    r"(?:regards|wishes|thanks)|regards|thanks|thank\s+you|cheers)\b[\s,.!]*(?P<rest>.*)$",
    re.I,
)
_TITLE_KEYWORDS = re.compile(
    r"\b(?:consultation\s+response|response\s+to|responses?\s+on|submission\s+(?:to|on)|feedback\s+(?:on|to)"
    r"|comments\s+on|views\s+on|call\s+for\s+views|evidence\s+to)\b",
    re.I,
)
_TITLE_TOPIC = re.compile(r"\b(?:plan|consultation|committee|call for views|strategy|mopac|mayor)\b", re.I)
_TITLE_ORG = re.compile(
    r"^(?P<org>.+?(?:['’]s)?)\s+(?:formal\s+|full\s+|written\s+)?(?:consultation\s+)?"
    r"(?:response|submission|feedback|comments|evidence)\b",
    re.I,
)
_NUMBERED_HEADING = re.compile(r"^\s*(?P<number>\d{1,2})[.)]\s+(?P<title>[A-Z][^\n]{0,70})$")
_FIRST_SECTION = re.compile(r"^\s*1[.)]\s+[A-Z][\w ,&’'-]{0,50}:?\s*$")
_RECOMMENDATION = re.compile(r"^\s*Recommendation\s+(?P<number>\d{1,2})\s*(?P<part>[a-z])?\s*[:.–-]\s*(?P<text>.*)$", re.I)
_SUMMARY_HEADING = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:summary\s+of\s+(?:our\s+)?recommendations|recommendations)\s*:?\s*$", re.I)
_LIST_ITEM = re.compile(r"^\s*(?P<number>\d{1,2})\s*[.)]\s*(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-•*–▪●○◦■□➢►✓]|\uf0b7|\uf0a7|\uf0d8|\uf076|o(?=\s))\s+(?P<text>\S.*)$")
_LETTERED = re.compile(r"^\s*(?P<letter>[a-h])\s*[.)]\s+(?P<text>\S.*)$")
_ASK_LEAD = re.compile(
    r"\b(?:recommend\w*|urge\w*|ask\w*|call(?:s|ing)?\s+(?:on|for|upon)|commit\w*|should|would\s+like\s+to\s+see"
    r"|encourage\w*|consider\w*|propos\w*|request\w*|want\s+to\s+see|need\s+to\s+see|must)\b",
    re.I,
)
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_CONTACT = re.compile(r"^\s*(?:tel|telephone|fax|mobile|mob|email|e-mail|web|phone|t|m|e)\b\.?\s*[:\d(+]|@|www\.", re.I)
_HONORIFICS = {
    "cllr", "councillor", "dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sir", "dame", "lord",
    "lady", "baroness", "baron", "rev", "revd", "reverend", "cllr.", "dr.", "mr.", "mrs.", "ms.",
}
_POST_NOMINALS = re.compile(r"(?:\s+(?:FRSA|OBE|MBE|CBE|DBE|KBE|QC|KC|MP|AM|JP|PhD|MA|MSc|BA|BSc|FCA|DL))+\s*$")
_ROLE_WORDS = re.compile(
    r"\b(?:director|manager|officer|member|leader|chair|chairman|chairwoman|chairperson|head|chief|executive"
    r"|secretary|co-?ordinator|advis[eo]r|lead|president|trustee|cabinet|deputy|analyst|worker|founder|ceo"
    r"|coo|cfo|clerk|commissioner|inspector|superintendent|administrator|spokesperson|campaigner|researcher"
    r"|specialist|consultant|partner|principal|convenor|treasurer)\b",
    re.I,
)
_ORG_WORDS = re.compile(
    r"\b(?:councils?|borough|trust|charity|aid|association|society|foundation|group|project|partnership"
    r"|network|forum|alliance|federation|union|centre|center|services?|support|ltd|limited|plc|llp|police"
    r"|constabulary|authority|commission|board|office|department|institute|university|college|school"
    r"|church|refuge|agency|coalition|campaign|action|initiative|company|corporation|committee|panel"
    r"|unit|team|nhs|ministry|mission|connect|aid|women's|victims?)\b",
    re.I,
)
_ADDRESS_WORDS = re.compile(
    r"\b(?:street|road|lane|avenue|square|place|walk|way|hall|house|room|floor|court|gardens|close|terrace"
    r"|crescent|drive|grove|hill|park|row|mews|wharf|yard|building)\b",
    re.I,
)
_COUNCIL = re.compile(r"\b(?:councils?|borough|corporation of london|city of london corporation)\b", re.I)
_OTHER_BODY = re.compile(
    r"\b(?:police|constabulary|nhs|government|ministry|department|authority|commission|office|ltd|limited"
    r"|plc|llp|university|college|federation|union|inspectorate|court|service of)\b",
    re.I,
)
# Names that are the consultation's audience, never a respondent's organisation.
_AUDIENCE = re.compile(
    r"^(?:the\s+)?(?:mayor(?:\s+of\s+london)?|mayor['’]s\s+office.*|mopac|gla|greater london authority"
    r"|london assembly|police and crime committee|city hall|deputy mayor.*|the plan|draft.*|consultation)$",
    re.I,
)
_SMALL_WORDS = {"of", "and", "for", "the", "&", "–", "-", "on", "in", "at", "to", "a", "|", "~"}
_ORG_EXPANSION_STOP = {"is", "are", "was", "has", "have", "in", "of", "the", "and", "to"}


def _clean(value: str) -> str:
    return " ".join(value.replace("’", "'").replace("‘", "'").split()).strip(" ,;:|")


def _words(line: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", line)


def _is_body(line: str) -> bool:
    """Prose: a sentence-like line rather than a header, name, address or title."""
    stripped = line.strip()
    tokens = stripped.split()
    lower = [t for t in tokens if re.fullmatch(r"[(“\"'‘]?[a-z][a-z'’-]*[,.;:!?)”\"']*", t)]
    if len(tokens) >= 6 and len(lower) * 2 >= len(tokens):
        return True
    return len(tokens) >= 3 and bool(lower) and stripped[-1:] in ".!?" and not _CONTACT.search(stripped)


def _is_date_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 45:
        return False
    found = parse_document_date(stripped)
    return found.precision in (DatePrecision.DAY, DatePrecision.MONTH)


def _is_address(line: str) -> bool:
    stripped = line.strip()
    return bool(_POSTCODE.search(stripped)) or (
        bool(_ADDRESS_WORDS.search(stripped)) and (bool(re.search(r"\d", stripped)) or "," in stripped)
    )


def _is_titlecase(line: str) -> bool:
    stripped = line.strip()
    words = _words(stripped)
    if not words or len(stripped.split()) > 12 or stripped.endswith("."):
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = [w for w in significant if w[0].isupper()]
    return len(capitalised) * 10 >= len(significant) * 8


def _is_headerish(line: str) -> bool:
    """A letterhead, addressee, date, organisation or title line (short, not prose)."""
    stripped = line.strip()
    if not stripped or _is_body(stripped) or _SIGN_OFF.match(stripped):
        return False
    if _is_date_line(stripped) or _is_address(stripped) or _CONTACT.search(stripped):
        return True
    if _TITLE_KEYWORDS.search(stripped):
        return True
    return _is_titlecase(stripped)


def _is_title(line: str) -> bool:
    """A line that names a response to a consultation ("Refuge feedback on the ... Plan")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 120 or stripped[-1] in ".,;?":
        return False
    if re.match(r"^(?:appendix|annex|annexe|summary|section|\d|[a-z][.)])", stripped, re.I):
        return False
    if len(stripped.split()) > 16 or _SIGN_OFF.match(stripped):
        return False
    if stripped.split()[-1].lower() in _SMALL_WORDS | {"a", "an", "by", "with", "from"}:
        return False  # a wrapped line of prose ("... submission to the London Assembly's ... on the")
    if _is_body(stripped) and len(stripped.split()) > 8:
        return False
    return bool(_TITLE_KEYWORDS.search(stripped)) and bool(_TITLE_TOPIC.search(stripped))


def _is_page_start(line: str) -> bool:
    # PDF extraction marks a new page with one leading space; a submission often starts on a new page.
    return len(line) > 1 and line[0] == " " and line[1] != " "


def _name_like(value: str, *, allow_single: bool = True) -> str:
    """``value`` as a person's name ("Cllr Sarah Hayward"), or "" when it does not look like one."""
    value = _clean(re.sub(r"<[^>]*>|\[mailto:[^\]]*\]|\([^)]*@[^)]*\)", "", value))
    value = _POST_NOMINALS.sub("", value).strip(" .,")
    tokens = value.split()
    if not tokens or len(tokens) > 6:
        return ""
    honorifics = []
    while tokens and tokens[0].lower() in _HONORIFICS:
        honorifics.append(tokens.pop(0))
    if not tokens or len(tokens) > 4 or (len(tokens) == 1 and not allow_single and not honorifics):
        return ""
    for token in tokens:
        if re.fullmatch(r"[A-Z]\.?", token):
            continue
        if not re.fullmatch(r"[A-Z][a-zA-Z'-]*[a-z][a-zA-Z'-]*", token):
            return ""  # lowercase word, ALL CAPS ("TOOLEY STREET"), digits
    if _ORG_WORDS.search(" ".join(tokens)) or _ADDRESS_WORDS.search(" ".join(tokens)):
        return ""
    if _ROLE_WORDS.search(" ".join(tokens)):
        return ""
    honorifics = ["Cllr" if h.lower().rstrip(".") == "councillor" else h for h in honorifics]
    return " ".join(honorifics + tokens)


def _strip_possessive(name: str, text: str) -> str:
    """"London Borough of Newham's" -> "London Borough of Newham", but "Barnardo's" stays when the
    text never writes the name without its 's."""
    name = _clean(name)
    match = re.match(r"^(?P<stem>.+)'s$", name)
    if not match:
        return name
    stem = match.group("stem")
    plain = re.search(rf"\b{re.escape(stem)}\b(?!['’]s)", text.replace("’", "'"))
    return stem if plain else name


def _org_like(value: str) -> bool:
    value = _clean(value)
    if not value or _AUDIENCE.match(value) or _is_body(value) or _is_address(value) or _CONTACT.search(value):
        return False
    return _is_titlecase(value) or bool(_ORG_WORDS.search(value))


def _respondent_kind(organisation: str) -> str:
    if not organisation:
        return "public"
    if _COUNCIL.search(organisation):
        return "council"
    if _OTHER_BODY.search(organisation):
        return "other"
    return "charity"


# ---------------------------------------------------------------------------------------------------
# Splitting


@dataclass
class _Segment:
    start: int  # 0-based index into lines
    end: int = 0  # inclusive
    body_lines: int = 0
    closed: bool = False
    reason: str = ""  # which start marker opened it (for debugging a split)


@dataclass
class _SignOff:
    line: int
    name: str
    tail: list[int] = field(default_factory=list)  # lines of the signature block (name, role, org, ...)


def _header_block_at(lines: list[str], index: int) -> tuple[int, int] | None:
    """(first, last) line of an email/memo header block containing ``index``'s ``From:`` line."""
    if not re.match(r"^\s*From\s*:", lines[index], re.I):
        return None
    fields = {"from"}
    first = last = index
    # backwards over To:/Cc: lines (memo order), skipping blank lines
    cursor = index - 1
    while cursor >= 0 and index - cursor <= 6:
        if not lines[cursor].strip():
            cursor -= 1
            continue
        match = _HEADER_FIELD.match(lines[cursor])
        if not match or match.group(1).lower() == "from":
            break
        fields.add(match.group(1).lower())
        first = cursor
        cursor -= 1
    cursor = index + 1
    while cursor < len(lines) and cursor - last <= 3:
        if not lines[cursor].strip():
            cursor += 1
            continue
        match = _HEADER_FIELD.match(lines[cursor])
        if not match or match.group(1).lower() == "from":
            break
        fields.add(match.group(1).lower())
        last = cursor
        cursor += 1
    if fields & {"sent", "date", "subject"} and len(fields) >= 2:
        return first, last
    return None


def _sign_off_at(lines: list[str], index: int) -> _SignOff | None:
    stripped = lines[index].strip()
    match = _SIGN_OFF.match(stripped)
    if not match or len(stripped) > 45:
        return None
    rest = match.group("rest").strip()
    name = _name_like(rest) if rest else ""
    if rest and not name:
        return None  # "Thank you for your letter ..." is prose, not a sign-off
    sign_off = _SignOff(line=index, name=name)
    cursor = index + 1
    while cursor < len(lines) and cursor - index <= 14:
        line = lines[cursor]
        stripped = line.strip()
        if not stripped or set(stripped) <= set("-_=*"):
            cursor += 1
            continue
        if _is_body(stripped) or _HEADER_FIELD.match(stripped) or _SALUTATION.match(stripped):
            break
        if _is_title(stripped) or _FIRST_SECTION.match(line):
            break
        if len(stripped) > 90 or (sign_off.tail and _is_page_start(line)):
            break  # a new page after the signature starts the next document
        if re.search(r"\b(?:plan|consultation|response|submission)\b", stripped, re.I):
            break
        if sign_off.tail and _is_date_line(stripped):
            break  # a dated line after a signature opens the next letter
        sign_off.tail.append(cursor)
        cursor += 1
    if not sign_off.name:
        for tail_index in sign_off.tail[:1]:
            sign_off.name = _name_like(lines[tail_index])
    return sign_off


def _walk_back(lines: list[str], index: int, floor: int, protected: set[int]) -> int:
    """The first line of the letterhead/title block that ends just above ``index``."""
    start = index
    if _is_page_start(lines[index]):
        return start
    cursor = index - 1
    while cursor > floor and index - cursor <= 14:
        line = lines[cursor]
        if not line.strip():
            cursor -= 1
            continue
        if cursor in protected or not _is_headerish(line):
            break
        start = cursor
        if _is_page_start(line):
            break
        cursor -= 1
    return start


def _split(lines: list[str]) -> list[_Segment]:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return []
    segments = [_Segment(start=first, reason="start")]
    protected: set[int] = set()  # signature lines that belong to the submission above them
    index = first
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        current = segments[-1]
        if not stripped:
            index += 1
            continue
        header = _header_block_at(lines, index)
        new_start, reason = _segment_start_at(lines, index, current, protected, header)
        if new_start is not None and new_start > current.start:
            segments.append(_Segment(start=new_start, reason=reason))
            # carry on after the marker (a header block as a whole); the lines walked back over are
            # letterhead/title lines, not body
            index = header[1] + 1 if header else index + 1
            continue
        if _is_body(line) and index not in protected:
            current.body_lines += 1
        sign_off = _sign_off_at(lines, index)
        if sign_off:
            current.closed = True
            protected.update(sign_off.tail)
        index += 1
    _set_segment_ends(lines, segments)
    return segments


def _segment_start_at(
    lines: list[str], index: int, current: _Segment, protected: set[int], header: tuple[int, int] | None
) -> tuple[int | None, str]:
    """Where a new submission starts if lines[index] opens one (and which marker opened it)."""
    line = lines[index]
    has_content = current.body_lines >= 2 or (current.closed and current.body_lines >= 1)
    if header and index > current.start and (current.body_lines >= 1 or current.closed):
        return _walk_back(lines, header[0], current.start, protected), "email header"
    if _SALUTATION.match(line) and has_content:
        return _walk_back(lines, index, current.start, protected), "salutation"
    if _is_title(line) and has_content and index not in protected:
        return _walk_back(lines, index, current.start, protected), "title"
    if current.closed and _FIRST_SECTION.match(line) and index not in protected:
        return index, "first section after a sign-off"
    return None, ""


def _set_segment_ends(lines: list[str], segments: list[_Segment]) -> None:
    """Each segment ends at the last non-blank line before the next one starts."""
    for position, segment in enumerate(segments):
        stop = segments[position + 1].start - 1 if position + 1 < len(segments) else len(lines) - 1
        while stop > segment.start and not lines[stop].strip():
            stop -= 1
        segment.end = stop


# ---------------------------------------------------------------------------------------------------
# Reading one submission


def _header_fields(lines: list[str], start: int, end: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    for index in range(start, min(end, start + 14) + 1):
        match = _HEADER_FIELD.match(lines[index])
        if match and match.group(1).lower() not in fields:
            fields[match.group(1).lower()] = match.group(2).strip()
    return fields if "from" in fields else {}


def _preamble_end(lines: list[str], start: int, end: int) -> int:
    """Index of the first body line (the preamble is everything above it)."""
    for index in range(start, end + 1):
        if _is_body(lines[index]) and not _HEADER_FIELD.match(lines[index]):
            return index
    return end + 1


def _self_name(text: str) -> tuple[str, int]:
    """The organisation the text names as its own subject ("Victim Support is ...") and how often."""
    flat = " ".join(text.replace("’", "'").split())
    pattern = re.compile(
        r"(?:^|[.;:]\s+|\b(?:and|but|that|however,)\s+)"
        r"(?P<name>[A-Z][\w'&-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w'&-]*){0,4})\s+"
        r"(?:is|has|have|was|were|are|welcomes|supports|believes|recommends|would|will|urges|feels|acknowledges"
        r"|seeks|works|does|do|remains|notes|considers|agrees|wishes|wants|encourages|endorses)\b"
    )
    counts: collections.Counter[str] = collections.Counter()
    for match in pattern.finditer(flat):
        name = match.group("name").strip()
        if name.endswith("'s") or _AUDIENCE.match(name) or _TITLE_TOPIC.search(name):
            continue
        if name.split()[0] in {"The", "This", "It", "We", "I", "There", "They", "Our", "These", "That", "In", "As",
                                "If", "What", "Police", "Government", "London", "MPS", "MOPAC", "Met", "LBN",
                                "Home", "Mayor", "Plan", "Local", "Councils", "Victims", "Women", "Officers",
                                "National", "Evidence", "Research", "Page", "Many", "Some", "All", "Each"}:
            continue
        counts[name] += 1
    if not counts:
        return "", 0
    name, count = counts.most_common(1)[0]
    # "Solace" -> "Solace Women's Aid" when the text once gives the full name
    longer = re.findall(rf"\b{re.escape(name)}(?:\s+[A-Z][\w'&-]*){{1,3}}", flat)
    for candidate in sorted(set(longer), key=len, reverse=True):
        words = candidate.split()
        while words and (words[-1].lower() in _ORG_EXPANSION_STOP or not _ORG_WORDS.search(words[-1])):
            words.pop()
        candidate = " ".join(words)
        if len(candidate) > len(name) and _ORG_WORDS.search(candidate):
            name = candidate
            break
    return _clean(name), count


def _pipe_signature(lines: list[str], start: int, end: int) -> tuple[str, list[str], list[str]] | None:
    for index in range(end, max(start, end - 5) - 1, -1):
        if "|" in lines[index]:
            parts = [_clean(part) for part in lines[index].split("|") if _clean(part)]
            if parts and _name_like(parts[0], allow_single=False):
                roles = [p for p in parts[1:] if _ROLE_WORDS.search(p)]
                orgs = [p for p in parts[1:] if p not in roles and _org_like(p)]
                return _name_like(parts[0]), roles, orgs
    return None


def _closing_signature(lines: list[str], start: int, end: int) -> tuple[str, list[str], list[str]] | None:
    """A name followed by a job title in the last lines, without a sign-off phrase."""
    tail = [i for i in range(max(start, end - 8), end + 1) if lines[i].strip()][-6:]
    for position, index in enumerate(tail[:-1]):
        name = _name_like(lines[index], allow_single=False)
        following = lines[tail[position + 1]].strip()
        if name and _ROLE_WORDS.search(following) and not _is_body(following):
            rest = [lines[i].strip() for i in tail[position + 1:]]
            roles = [r for r in rest if _ROLE_WORDS.search(r)]
            orgs = [r for r in rest if r not in roles and _org_like(r)]
            return name, roles, orgs
    return None


def _signature_lines(lines: list[str], sign_off: _SignOff) -> tuple[list[str], list[str]]:
    roles: list[str] = []
    orgs: list[str] = []
    for position, index in enumerate(sign_off.tail):
        stripped = lines[index].strip()
        if re.match(r"^\s*(?:cc|bcc|enc|encs|enclosures?|attachments?)\b", stripped, re.I):
            break
        if position == 0 and sign_off.name and not _SIGN_OFF.match(lines[sign_off.line]).group("rest").strip():
            continue  # the name line itself
        if _is_address(stripped) or _CONTACT.search(stripped) or _is_date_line(stripped):
            continue
        if _ROLE_WORDS.search(stripped):
            roles.append(_clean(stripped))
        elif _org_like(stripped):
            orgs.append(_clean(stripped))  # under a name and job title, a name-shaped line is the organisation
    return roles, orgs


def _council_named_in(text: str) -> str:
    flat = " ".join(text.replace("’", "'").split())
    match = re.search(r"\b(?:London|Royal) Borough of [A-Z][\w'-]*(?: (?:and|upon) [A-Z][\w'-]*)?", flat)
    if match:
        return match.group(0)
    match = re.search(r"\b(?!The\b)[A-Z][\w'-]* Council\b", flat)
    return match.group(0) if match else ""


@dataclass
class _Who:
    person: str = ""
    organisation: str = ""
    role: str = ""
    sent_from: str = ""  # an email From: that is not a person ("TOOLEY STREET")
    subject: str = ""
    date: DocumentDate = UNKNOWN_DATE


def _read_who(lines: list[str], start: int, end: int) -> _Who:
    who = _Who()
    text = "\n".join(lines[start:end + 1])
    preamble_end = _preamble_end(lines, start, end)
    preamble = list(range(start, min(preamble_end, end + 1)))
    title_orgs, title_lines = _read_title_block(lines, preamble, text, who)
    header_org = _read_header(_header_fields(lines, start, end), who)
    if who.date is UNKNOWN_DATE:
        who.date = _opening_date(lines, start, end)
    sig_orgs = _read_signature(lines, start, end, who)
    named = [c for c in (title_orgs[:1] + [header_org]) if c] + _stated_organisations(lines, start, end, text)
    who.organisation = _clean(_organisation_of(named, sig_orgs, text, who))
    if not who.subject:
        who.subject = _subject_of(lines, start, end, title_lines)
    return who


def _read_title_block(lines: list[str], preamble: list[int], text: str, who: _Who) -> tuple[list[str], list[str]]:
    """Organisations named in the title block and its title lines; sets the person and date found there."""
    title_orgs: list[str] = []
    title_lines: list[str] = []
    for position, index in enumerate(preamble):
        stripped = lines[index].strip()
        if not stripped or _HEADER_FIELD.match(stripped) or _SALUTATION.match(stripped):
            continue
        if _is_title(stripped) or (_TITLE_KEYWORDS.search(stripped) and _is_titlecase(stripped)):
            org = _title_org(lines, preamble, position, stripped, text)
            if org:
                title_orgs.append(org)
        person = "" if who.person else _person_line(stripped)
        if person:
            who.person = person
            continue
        if _is_date_line(stripped) and who.date is UNKNOWN_DATE:
            who.date = parse_document_date(stripped)
            continue
        if _is_title_text(stripped):
            title_lines.append(_clean(stripped).rstrip("."))
    return title_orgs, title_lines


def _title_org(lines: list[str], preamble: list[int], position: int, stripped: str, text: str) -> str:
    """The organisation a title names ("X's response to ..."), or the line above a bare "Response" title."""
    match = _TITLE_ORG.match(_clean(stripped))
    org = match.group("org") if match else ""
    if org and not re.match(r"^(?:our|my|this|the|a|formal|full|written|draft)?\s*(?:consultation)?$", org, re.I) \
            and _org_like(org) and not _TITLE_TOPIC.search(org):
        return _strip_possessive(org, text)
    if re.match(r"^(?:response|submission|feedback|comments)\b", stripped, re.I) and position > 0:
        above = [i for i in preamble[:position] if lines[i].strip()]
        if above and _org_like(lines[above[-1]]) and not _TITLE_TOPIC.search(lines[above[-1]]):
            return _strip_possessive(lines[above[-1]], text)
    return ""


def _person_line(stripped: str) -> str:
    """The person a "Name, role" line names, or ""."""
    match = re.match(r"^(?P<name>[^,]{3,40}),\s*\S", stripped)
    if match and _name_like(match.group("name"), allow_single=False) and not _is_address(stripped):
        return _name_like(match.group("name"))
    return ""


def _is_title_text(stripped: str) -> bool:
    return bool(_is_headerish(stripped) and not _NUMBERED_HEADING.match(stripped) and not _is_address(stripped)
                and not _CONTACT.search(stripped) and not _name_like(stripped))


def _read_header(fields: dict[str, str], who: _Who) -> str:
    """Person (or sender), role, subject and date from an email/memo header; the organisation it is sent from."""
    if not fields:
        return ""
    header_org = ""
    sender = fields.get("from", "")
    person = _name_like(sender)
    if person:
        who.person = person
    else:
        parts = re.split(r"\s+[–—-]\s+|\s*\|\s*", _clean(sender))
        if parts and _ORG_WORDS.search(parts[0]) and _org_like(parts[0]):
            header_org = parts[0]
            if len(parts) > 1:
                who.role = " ".join(parts[1:])
        else:
            who.sent_from = _clean(sender)
    who.subject = _clean(fields.get("subject", "")).rstrip(".")
    when = fields.get("sent") or fields.get("date") or ""
    if when:
        who.date = parse_document_date(when)
    return header_org


def _opening_date(lines: list[str], start: int, end: int) -> DocumentDate:
    """A date line just below a title that reads like prose ("Consultation response to draft ... Plan")."""
    opening = [i for i in range(start, end + 1) if lines[i].strip()][:8]
    found = next((lines[i] for i in opening if _is_date_line(lines[i])), "")
    return parse_document_date(found) if found else UNKNOWN_DATE


def _read_signature(lines: list[str], start: int, end: int, who: _Who) -> list[str]:
    """The organisations in the signature; sets the person and role found there when not yet known."""
    sign_off = None
    for index in range(end, start - 1, -1):
        sign_off = _sign_off_at(lines, index)
        if sign_off:
            break
    sig_roles: list[str] = []
    sig_orgs: list[str] = []
    if sign_off:
        if not who.person and sign_off.name:
            who.person = sign_off.name
        sig_roles, sig_orgs = _signature_lines(lines, sign_off)
    if not sig_orgs and not sig_roles:
        closing = _pipe_signature(lines, start, end) or _closing_signature(lines, start, end)
        if closing:
            if not who.person:
                who.person = closing[0]
            sig_roles, sig_orgs = closing[1], closing[2]
    if sig_roles and not who.role:
        who.role = sig_roles[0]
    return sig_orgs


def _stated_organisations(lines: list[str], start: int, end: int, text: str) -> list[str]:
    """The organisation a submission is made "on behalf of", then the one in its letterhead."""
    found: list[str] = []
    behalf = re.search(
        r"\bon behalf of (?:the )?(?P<org>[A-Z][\w'’&-]*(?:\s+(?:of\s+|and\s+|for\s+|&\s+)?[A-Z][\w'’&-]*){0,5})",
        text,
    )
    if behalf and _org_like(behalf.group("org")):
        found.append(_clean(behalf.group("org")))
    first_line = lines[start].strip()
    if "," in first_line and (_is_address(first_line) or _POSTCODE.search(lines[start + 1] if start + 1 <= end else "")):
        head = first_line.split(",")[0]
        if _org_like(head) and not _name_like(head) and _clean(head):
            found.append(_clean(head))
    return found


def _organisation_of(named: list[str], sig_orgs: list[str], text: str, who: _Who) -> str:
    """The first organisation named; else the signature's, the council a councillor writes for, or the name used."""
    organisation = named[0] if named else ""
    if not organisation and sig_orgs:
        organisation = sig_orgs[-1] if _COUNCIL.search(sig_orgs[-1]) else sig_orgs[0]
        self_name, count = _self_name(text)
        shared = set(self_name.lower().split()) & set(organisation.lower().split()) - _SMALL_WORDS
        if self_name and count >= 3 and not shared:
            organisation = self_name
    if not organisation and (who.person.startswith("Cllr") or (who.role and _COUNCIL.search(who.role))):
        organisation = _council_named_in(text)
    if not organisation:
        self_name, count = _self_name(text)
        if self_name and count >= 3 and _org_like(self_name):
            organisation = self_name
    return organisation


def _subject_of(lines: list[str], start: int, end: int, title_lines: list[str]) -> str:
    """The line after the salutation when it is short and not prose; else the title that names the submission."""
    salutation = next((i for i in range(start, min(end, start + 25) + 1) if _SALUTATION.match(lines[i])), None)
    if salutation is not None:
        after = next((i for i in range(salutation + 1, min(end, salutation + 4) + 1) if lines[i].strip()), None)
        if after is not None and not _is_body(lines[after]) and len(lines[after].strip()) < 100:
            subject = _clean(lines[after]).rstrip(".")
            if subject:
                return subject
    titled = [position for position, line in enumerate(title_lines) if _TITLE_KEYWORDS.search(line)]
    if titled:
        return " – ".join(title_lines[max(0, titled[0] - 1):titled[0] + 1])
    return ""


def _label(who: _Who) -> str:
    if who.organisation and who.person:
        return f"{who.organisation} ({who.person})"
    if who.organisation:
        return f"{who.organisation} ({who.role.lower()})" if who.role and not who.person else who.organisation
    if who.person and who.sent_from:
        return f"{who.person} (sent from {who.sent_from})"
    return who.person or who.sent_from or ""


# ---------------------------------------------------------------------------------------------------
# Asks


def _section_for(lines: list[str], index: int, floor: int) -> str:
    for cursor in range(index, floor - 1, -1):
        match = _NUMBERED_HEADING.match(lines[cursor])
        if not match:
            continue
        title = match.group("title").strip()
        if title.endswith((",", ";")) or _is_body(title) and title.endswith("."):
            continue
        if re.match(r"^(?:executive\s+)?summary\b", title, re.I):
            return _clean(title)
        return _clean(f"{match.group('number')}. {title}")
    return ""


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ".”", ".\"", ".)"))


def _ends_mid_sentence(text: str) -> bool:
    last = text.rstrip().split()[-1].lower() if text.strip() else ""
    return last.endswith(",") or last in _SMALL_WORDS | {"a", "an", "by", "with", "from", "or", "that", "which"}


def _collect_paragraph(lines: list[str], index: int, end: int, first_text: str) -> tuple[str, int]:
    """The ask that starts at ``index`` and runs until a blank line, a new item or a heading."""
    parts = [first_text.strip()]
    cursor = index + 1
    while cursor <= end:
        line = lines[cursor]
        stripped = line.strip()
        if not stripped:
            break
        if _RECOMMENDATION.match(line) or _NUMBERED_HEADING.match(line) or _LETTERED.match(line):
            break
        if _SUMMARY_HEADING.match(line) or re.match(r"^\s*(?:appendix|annex)\b", line, re.I):
            break
        if _ends_sentence(parts[-1]) and _is_titlecase(stripped) and not _is_body(stripped):
            break
        parts.append(stripped)
        cursor += 1
    return " ".join(" ".join(parts).split()), cursor


def _recommendation_asks(lines: list[str], start: int, end: int) -> list[ParsedAsk]:
    asks: dict[int, ParsedAsk] = {}
    for index in range(start, end + 1):
        match = _RECOMMENDATION.match(lines[index])
        if not match:
            continue
        number = int(match.group("number"))
        text, _ = _collect_paragraph(lines, index, end, match.group("text"))
        if match.group("part"):
            text = f"({match.group('part')}) {text}"
        if number in asks:
            asks[number].text = f"{asks[number].text} {text}"
        else:
            asks[number] = ParsedAsk(text=text, section=_section_for(lines, index, start), line=index + 1, number=number)
    return list(asks.values())


def _summary_list_asks(lines: list[str], start: int, end: int) -> list[ParsedAsk]:
    asks: list[ParsedAsk] = []
    for index in range(start, end + 1):
        if not _SUMMARY_HEADING.match(lines[index]):
            continue
        section = _clean(lines[index]).rstrip(":")
        section = re.sub(r"^\d+[.)]\s*", "", section)
        cursor = index + 1
        while cursor <= end:
            stripped = lines[cursor].strip()
            if not stripped:
                cursor += 1
                continue
            match = _LIST_ITEM.match(lines[cursor])
            if not match:
                break
            item_line = cursor
            text, cursor = _collect_item(lines, cursor, end, match.group("text"), item_pattern=_LIST_ITEM)
            asks.append(ParsedAsk(text=text, section=section, line=item_line + 1, number=int(match.group("number"))))
        break
    return asks


def _collect_item(lines: list[str], index: int, end: int, first_text: str, *, item_pattern: re.Pattern[str]) -> tuple[str, int]:
    """One list item, following wrapped lines over blank lines and page furniture.

    Returns the item's text and the index of the next line that is not part of it.
    """
    parts = [first_text.strip()]
    cursor = index + 1
    after_gap = False
    while cursor <= end:
        line = lines[cursor]
        stripped = line.strip()
        if not stripped or _URL_LINE.match(stripped):
            after_gap = True
            cursor += 1
            continue
        if after_gap and not (stripped[0].islower() or _ends_mid_sentence(parts[-1])):
            break  # across a blank line only wrapped text continues an item (double-spaced extractions)
        if stripped.endswith(":"):
            break  # the lead-in of the next list
        after_gap = False
        if item_pattern.match(line) or _BULLET.match(line) or _NUMBERED_HEADING.match(line):
            break
        if _SUMMARY_HEADING.match(line) or _SALUTATION.match(line) or _SIGN_OFF.match(stripped):
            break
        if _ends_sentence(parts[-1]) and not stripped[0].islower():
            break
        parts.append(stripped)
        cursor += 1
    # the loop may have skipped trailing blank lines: step back to just after the last text line
    while cursor - 1 > index and not lines[cursor - 1].strip():
        cursor -= 1
    return " ".join(" ".join(parts).split()), cursor


def _lead_in(lines: list[str], index: int, floor: int) -> str:
    parts: list[str] = []
    cursor = index - 1
    while cursor >= floor and len(parts) < 4:
        stripped = lines[cursor].strip()
        if not stripped or _URL_LINE.match(stripped):
            cursor -= 1
            continue
        if parts and _ends_sentence(stripped):
            break
        if _BULLET.match(lines[cursor]) or _LETTERED.match(lines[cursor]):
            break
        parts.insert(0, stripped)
        if _NUMBERED_HEADING.match(lines[cursor]):
            break
        cursor -= 1
    lead = " ".join(" ".join(parts).split())
    sentences = re.split(r"(?<=[.!?])\s+", lead)
    return sentences[-1] if sentences else ""


def _list_asks(lines: list[str], start: int, end: int, skip: set[int]) -> list[ParsedAsk]:
    asks: list[ParsedAsk] = []
    index = start
    while index <= end:
        line = lines[index]
        match = _BULLET.match(line) or _LETTERED.match(line)
        if not match or index in skip:
            index += 1
            continue
        pattern = _BULLET if _BULLET.match(line) else _LETTERED
        lead = _lead_in(lines, index, start)
        items: list[tuple[int, str]] = []
        cursor = index
        while cursor <= end:
            match = pattern.match(lines[cursor])
            if not match:
                break
            text, after = _collect_item(lines, cursor, end, match.group("text"), item_pattern=pattern)
            items.append((cursor, text))
            cursor = after
            while cursor <= end and (not lines[cursor].strip() or _URL_LINE.match(lines[cursor].strip())):
                cursor += 1
        if lead.rstrip().endswith((":", ":-", "–", "-")) and _ASK_LEAD.search(lead):
            for item_line, text in items:
                text = text.rstrip(" ,;")
                if len(text.split()) < 7:  # "The governance arrangements": only readable with its lead-in
                    request = lead[_ASK_LEAD.search(lead).start():].rstrip(" :-–")
                    text = f"{request[0].upper()}{request[1:]}: {text}"
                asks.append(ParsedAsk(text=text, section=_section_for(lines, item_line, start), line=item_line + 1))
        index = max(cursor, index + 1)
    return asks


def _asks(lines: list[str], start: int, end: int) -> list[ParsedAsk]:
    recommendations = _recommendation_asks(lines, start, end)
    asks = recommendations or _summary_list_asks(lines, start, end)
    skip = {ask.line - 1 for ask in asks}
    asks = asks + _list_asks(lines, start, end, skip)
    return sorted(asks, key=lambda ask: ask.line)


# ---------------------------------------------------------------------------------------------------
# Consultation name


_PLAN = re.compile(r"\b(?P<draft>draft\s+)?(?P<name>(?:[A-Z][a-z]+\s+(?:and\s+)?){1,4}Plan)\b(?P<after>[^\n]{0,12})")
_YEARS = re.compile(r"\b(?P<first>20\d\d)\s*[-–/]\s*(?P<second>(?:20)?\d\d)\b")


def _consultation_name(text: str, dates: list[DocumentDate]) -> str:
    flat = " ".join(text.split())
    names: collections.Counter[str] = collections.Counter()
    drafts = 0
    years: collections.Counter[str] = collections.Counter()
    for match in _PLAN.finditer(flat):
        name = match.group("name")
        name = re.sub(r"^(?:The|Mayor's|Mayor’s|London|Draft|MOPAC|Our|This|Your|Borough)\s+", "", name)
        if name.split()[0].lower() in {"the", "a", "this"} or len(name.split()) < 2:
            continue
        names[name] += 1
        drafts += bool(match.group("draft")) or "draft" in flat[max(0, match.start() - 12):match.start()].lower()
        window = flat[max(0, match.start() - 40):match.end() + 12]
        for year in _YEARS.finditer(window):
            first, second = int(year.group("first")), year.group("second")
            second_year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
            if 0 < second_year - first <= 5:
                years[f"{first}-{second_year}"] += 1
    # "Policing and Crime Plan" is a slip for "Police and Crime Plan": prefer the most used form
    if not names:
        return ""
    name = names.most_common(1)[0][0]
    if years:
        when = years.most_common(1)[0][0]
    else:
        known = [d.date.year for d in dates if d.date is not None]
        when = str(collections.Counter(known).most_common(1)[0][0]) if known else ""
    prefix = "Draft " if drafts * 2 >= sum(names.values()) or drafts >= 2 else ""
    return " ".join(part for part in (f"{prefix}{name}", when) if part)


def _month_of(dates: list[DocumentDate]) -> DocumentDate:
    known = [d.date for d in dates if d.date is not None and d.precision in (DatePrecision.DAY, DatePrecision.MONTH)]
    if not known:
        return UNKNOWN_DATE
    latest = max(known)
    return parse_document_date(latest.strftime("%B %Y"))


def _lowercase_draft(name: str) -> str:
    return name[0].lower() + name[1:] if name.startswith("Draft ") else name


# ---------------------------------------------------------------------------------------------------
# Public API


def _lines_of(text: str) -> list[str]:
    if not text or not text.strip():
        raise ParseError("The consultation text is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _submission(lines: list[str], start: int, end: int) -> ParsedSubmission:
    who = _read_who(lines, start, end)
    return ParsedSubmission(
        respondent=who.person,
        organisation=who.organisation,
        respondent_kind=_respondent_kind(who.organisation),
        date=who.date,
        subject=who.subject,
        text="\n".join(lines[start:end + 1]),
        asks=_asks(lines, start, end),
        start_line=start + 1,
        end_line=end + 1,
        label=_label(who),
    )


def parse_consultation_compilation(text: str) -> ParsedConsultation:
    """Split a compilation of consultation responses into its submissions, in order.

    See the module docstring for how submissions are told apart, who sent each one, and which parts
    count as asks. Raises :class:`ParseError` on empty text or text with no prose at all.
    """
    lines = _lines_of(text)
    if not any(_is_body(line) for line in lines):
        raise ParseError("No consultation submission found: the text has no sentences of response.")
    segments = _split(lines)
    submissions = [_submission(lines, segment.start, segment.end) for segment in segments]
    warnings = [
        f"Submission at line {s.start_line}: could not tell who sent it."
        for s in submissions
        if not s.respondent and not s.organisation
    ]
    consultation = _consultation_name(text, [s.date for s in submissions])
    if not consultation:
        warnings.append("Could not tell which consultation these responses answer.")
    flat = " ".join(text.split()).lower()
    what = "call for views" if "call for views" in flat else "consultation"
    title = f"Responses to the {what} on the {_lowercase_draft(consultation)}" if consultation else "Consultation responses"
    return ParsedConsultation(
        kind="consultation_compilation",
        consultation=consultation,
        title=title,
        date=_month_of([s.date for s in submissions]),
        submissions=submissions,
        warnings=warnings,
    )


def parse_consultation_submission(text: str) -> ParsedConsultation:
    """Read one organisation's consultation response as a single submission.

    The author is the organisation the response speaks for (title, letterhead, signature or the name
    it uses as its own subject); the date is the first day- or month-precise date in the opening
    lines; asks are as described in the module docstring. Raises :class:`ParseError` on empty text or
    text with no prose.
    """
    lines = _lines_of(text)
    if not any(_is_body(line) for line in lines):
        raise ParseError("No consultation submission found: the text has no sentences of response.")
    start = next(i for i, line in enumerate(lines) if line.strip())
    end = max(i for i, line in enumerate(lines) if line.strip())
    submission = _submission(lines, start, end)
    warnings: list[str] = []
    if not submission.organisation and not submission.respondent:
        warnings.append("Could not tell who wrote this response.")
    consultation = _consultation_name(text, [submission.date])
    if not consultation:
        warnings.append("Could not tell which consultation this response answers.")
    heading = next((_clean(lines[i]) for i in range(start, end + 1) if _is_title(lines[i])), "")
    if heading and submission.organisation and submission.organisation.lower() not in heading.lower():
        title = f"{submission.organisation}: {heading}"
    else:
        title = heading or (f"{submission.organisation}: response to the {_lowercase_draft(consultation)}" if consultation else "")
    if not submission.subject:
        submission.subject = heading
    if not submission.label:
        submission.label = submission.organisation or submission.respondent
    return ParsedConsultation(
        kind="consultation_submission",
        consultation=consultation,
        title=title,
        date=submission.date,
        submissions=[submission],
        warnings=warnings,
    )
