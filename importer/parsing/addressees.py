"""Who a recommendation (or a promise) is addressed to, read from its wording.

Pure functions. Organisations are reported by canonical key (``CANONICAL``); the database maps
keys to ``Organisation`` rows. The addressee is the grammatical subject of the recommendation
("MOPAC should ...", "The Mayor's forthcoming strategy must ..."), the object of "calls on" /
"recommend that" / "an update from", plus a partner the subject is told to act with
("MOPAC must work with the Met ..."). Bodies merely mentioned later in the sentence
("... how the Met can respond") are not addressees.
"""

from __future__ import annotations

import re

# canonical key -> (full name, kind). Kinds match Organisation.Kind.
CANONICAL: dict[str, tuple[str, str]] = {
    "Mayor": ("Mayor of London", "mayor"),
    "MOPAC": ("Mayor's Office for Policing and Crime", "mopac"),
    "Met": ("Metropolitan Police Service", "police"),
    "Committee": ("London Assembly Police and Crime Committee", "committee"),
    "Government": ("HM Government", "government"),
    "CPS": ("Crown Prosecution Service", "other"),
}

# Longest alternatives first so "Mayor's Office for Policing and Crime" is not read as "Mayor".
_ALIASES: list[tuple[str, str]] = [
    ("MOPAC", r"Mayor'?s\s+Office\s+for\s+Policing\s+and\s+Crime"),
    ("MOPAC", r"Deputy\s+Mayor\s+for\s+Policing\s+and\s+Crime"),
    ("MOPAC", r"MOPAC"),
    ("Met", r"(?:the\s+)?Metropolitan\s+Police(?:\s+Service)?"),
    ("Met", r"MPS"),
    ("Met", r"(?:the\s+)?Met\b(?!\s+Office)"),
    ("Mayor", r"(?:the\s+)?Mayor(?:\s+of\s+London)?"),
    ("CPS", r"(?:the\s+)?Crown\s+Prosecution\s+Service|CPS"),
    ("Government", r"(?:the\s+)?(?:Government|Home\s+Office)"),
    ("Committee", r"(?:this|the)\s+Committee"),
]
_ORG = re.compile("|".join(f"(?P<k{i}>\\b{pattern})" for i, (_, pattern) in enumerate(_ALIASES)))
_ORG_KEYS = [key for key, _ in _ALIASES]

_MODAL = re.compile(r"\b(?:should|must|shall|will|needs?\s+to|ought\s+to|is\s+to|are\s+to)\b", re.I)
_CALLS_ON = re.compile(r"\bcalls?\s+(?:on|upon)\s+(?P<who>.+?)\s+to\b", re.I | re.S)
_RECOMMEND_THAT = re.compile(r"\brecommends?\s+that\s+(?P<who>.+)", re.I | re.S)
_CALL_FOR_FROM = re.compile(r"\bcalls?\s+for\b.{0,120}?\bfrom\s+(?P<who>.+?)(?:[,.;]|\s+(?:by|on|to|that|in)\b)", re.I | re.S)
# A recommendation labelled with whom it is for: "Recommendation for LFB:", "This recommendation is
# directed at HMICFRS", "recommendations addressed to the Home Office".
_DIRECTED = re.compile(
    r"\b(?i:recommendations?\s+(?:(?:is|are|was|were)\s+)?(?:for|(?:directed|addressed|aimed)\s+(?:at|to)|made\s+to))\s+"
    r"(?P<who>(?:(?i:the)\s+)?[A-Z][\w'&.-]*(?:\s+(?:of|for|and|&|the|[A-Z][\w'&.-]*)){0,8})",
    re.S,
)
_PARTNER = re.compile(r"^\s*(?:also\s+)?(?:work|working|act|liaise)\s+(?:jointly\s+|closely\s+|together\s+)?with\s+(?P<who>.+?)(?:\s+to\b|[,.;])", re.I | re.S)
_LEADING_LIST = re.compile(r"^\s*(?P<list>.+?)(?=\s+(?!and\b)[a-z]+s?\b)", re.S)


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def organisations_in(fragment: str) -> list[str]:
    """Canonical keys of the organisations named in ``fragment``, in order, without repeats."""
    keys: list[str] = []
    for match in _ORG.finditer(_normalise(fragment)):
        key = _ORG_KEYS[int(match.lastgroup[1:])]
        # "the Mayor's Office ..." is matched by the MOPAC alias first; "Mayor's strategy" is the Mayor.
        if key not in keys:
            keys.append(key)
    return keys


def _leading_organisations(fragment: str) -> list[str]:
    """Organisations in a list at the start of ``fragment`` ("MOPAC and the Met reviews ...")."""
    keys: list[str] = []
    rest = fragment
    while True:
        match = _ORG.match(rest.lstrip())
        if not match:
            break
        key = _ORG_KEYS[int(match.lastgroup[1:])]
        if key not in keys:
            keys.append(key)
        rest = rest.lstrip()[match.end():]
        joiner = re.match(r"^\s*(?:,|and|&|,\s*and)\s+", rest)
        if not joiner:
            break
        rest = rest[joiner.end():]
    return keys


def addressees_of(text: str) -> list[str]:
    """The canonical keys of the bodies a recommendation asks to act, in the order named.

    >>> addressees_of("The Committee calls on the Mayor and MOPAC to continue to support ...")
    ['Mayor', 'MOPAC']
    >>> addressees_of("MOPAC must work with the Met to prioritise action ...")
    ['MOPAC', 'Met']
    """
    text = _normalise(text)
    match = _CALLS_ON.search(text)
    if match:
        return organisations_in(match.group("who"))
    match = _RECOMMEND_THAT.search(text)
    if match:
        keys = _leading_organisations(match.group("who"))
        if keys:
            return keys
    match = _CALL_FOR_FROM.search(text)
    if match:
        keys = organisations_in(match.group("who"))
        if keys:
            return keys
    modal = _MODAL.search(text)
    directed = _DIRECTED.search(text)
    if not modal:
        return (organisations_in(directed.group("who")) if directed else []) or organisations_in(text[:120])[:1]
    keys = organisations_in(text[: modal.start()])
    keys = [key for key in keys if key != "Committee"] or keys
    if not keys and directed:
        keys = organisations_in(directed.group("who"))
    partner = _PARTNER.match(text[modal.end():])
    if partner:
        for key in organisations_in(partner.group("who")):
            if key not in keys:
                keys.append(key)
    return keys


# --- open-set addressees (documents of any layout) ---------------------------------------------
#
# Whoever the text names as the actor is an addressee, known or not. Known names are mapped to
# the name they stand for through an alias table (data: ``OrganisationAlias`` rows, passed in as
# a plain dict); unknown ones are kept as written ("Ministry of Justice", "chief constables").

from .vocabulary import ACTOR_NOUNS, MODAL_VERBS, OBJECT_MARKERS, PARTNER_PHRASES, READY_PARTICIPLES, WISH_VERBS, words_pattern  # noqa: E402

_OBJECT_MARKERS = frozenset(OBJECT_MARKERS)


def _after_object_marker(before: list[str]) -> bool:
    """Whether the words ``before`` a phrase end in a preposition or "such" (articles skipped): the
    phrase is then an object ("for such a body", "of the Board"), not the subject of what follows."""
    words = [word.casefold() for word in before[-3:]]
    while words and words[-1] in ("a", "an", "the"):
        words.pop()
    return bool(words) and words[-1] in _OBJECT_MARKERS

# alias as written (case ignored) -> what it stands for; the default when no table is passed in.
DEFAULT_ALIASES: dict[str, str] = {
    "Mayor": "Mayor", "Mayor of London": "Mayor",
    "MOPAC": "MOPAC", "Mayor's Office for Policing and Crime": "MOPAC", "Deputy Mayor for Policing and Crime": "MOPAC",
    "Met": "Met", "MPS": "Met", "Metropolitan Police": "Met", "Metropolitan Police Service": "Met",
    "CPS": "CPS", "Crown Prosecution Service": "CPS",
    "Government": "Government", "HM Government": "Government", "Home Office": "Government",
    "LFB": "London Fire Brigade", "London Fire Brigade": "London Fire Brigade",
    "TfL": "Transport for London", "Transport for London": "Transport for London",
}

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_PRONOUNS = {"it", "they", "them", "him", "her", "he", "she", "you", "this", "these", "those", "its", "their"}
_WRITERS = re.compile(r"^(?:we|i|us|our)$", re.I)
_SELF = re.compile(r"^(?:the\s+|this\s+)?(?:committee|report|inquiry|panel)$", re.I)  # the writer, never "him"/"it"
_MODAL_OPEN = re.compile(r"\b" + words_pattern(MODAL_VERBS) + r"\b", re.I)
_PASSIVE_AFTER = re.compile(
    r"^\s*(?:(?:also|not|still|now|then|further|\w+ly)\s+)*be\s+(?:(?:also|\w+ly)\s+)*"
    r"(?!" + words_pattern(READY_PARTICIPLES) + r"\s+to\b)(?:\w+ed|\w+en|done|made|set|put|held|built|sent|met|kept|paid|brought)\b",
    re.I,
)
_ACTOR_NOUN_SET = set(ACTOR_NOUNS)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]{1,}[A-Za-z]*$")  # "LFB", "TfL", "MOPAC", "HMICFRS"
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")
_OBJECT_PATTERNS = [
    re.compile(r"\bcall(?:s|ed|ing)?\s+(?:on|upon)\s+(?P<who>.+?)\s+(?:to|not\s+to)\b", re.I),
    re.compile(r"\b(?:urg|encourag|invit|ask|press|expect)(?:e|es|ed|ing|s)?\s+(?P<who>(?!to\b).+?)\s+to\b", re.I),
    re.compile(r"\bwould\s+(?:also\s+)?welcome\s+(?P<who>.+?)\s+\w+ing\b", re.I),
    # "wished the PCC to encourage ...": minutes reporting an ask
    re.compile(r"\b" + words_pattern(WISH_VERBS) + r"\s+(?P<who>(?!to\b)(?:[\w'&-]+\s+){0,5}?[\w'&-]+)\s+to\b", re.I),
    # "we would like Government responses to deal more fully": the one asked is before "to"
    re.compile(r"\bwould\s+(?:also\s+)?(?:like|want|prefer)\s+(?P<who>(?!to\b)(?:[\w'&-]+\s+){0,5}?[\w'&-]+)\s+to\b", re.I),
]
# "The Committee would also like to understand if the Mayor thinks ...": the one asked is the subject after "if"
_WONDER = re.compile(
    r"\b(?:would\s+(?:also\s+)?like|wants?|wish(?:es)?)\s+to\s+(?:understand|know|hear|learn|see|establish|find\s+out)\s+"
    r"(?:if|whether|how|what|when|why)\s+(?P<clause>.+)",
    re.I,
)
_THAT_CLAUSE = re.compile(
    r"\b(?:recommend(?:s|ed)?|requests?|would\s+(?:also\s+)?(?:hope|expect|urge)|it\s+is\s+(?:vital|essential|important|crucial|imperative))"
    r"\s+that\s+(?P<clause>.+)",
    re.I,
)
# A resolution or an inquiry's recommendation in the subjunctive, opening its sentence with "That":
# "That the government establish a college ...", "That the Authority notes ..."
_OPENING_THAT = re.compile(r"^\s*that\s+(?P<clause>.+)", re.I)
# An editor's insertion in square brackets reads as its words: "That [the college] should have ...";
# a footnote marker ("the Mayor[3] should") is dropped
_EDITORIAL = re.compile(r"\[([A-Za-z][^\[\]]{0,79})\]")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
# "in future", "in the meantime", "where appropriate,": a short opening phrase before a that-clause's subject
_CLAUSE_OPENING = re.compile(r"^(?:(?:in|for|as|where|when|at)\s+(?:the\s+)?(?:\w+\s+){0,2}?\w+,?|\w+ly,?)\s+(?=\S)", re.I)
_BEING = re.compile(r"^\s+(?:is|are|was|were|be|been|has|have|had)\b", re.I)  # "that it is improved": a state, not an actor
# "both", "each", "all of them": the bodies named just before
_BOTH = {"both", "each", "either"}
# "This letter to the Mayor requests ...", "has written to the Commissioner ..., calling for ..."
_ADDRESSED = re.compile(r"\b(?:letter|written|writes|wrote|write)\s+to\s+(?P<who>.+)", re.I)
_REQUEST = re.compile(r"\brequests?\b|\bcalling\s+for\b|\bwould\s+(?:also\s+)?like\b|\basking\b", re.I)
_PARTNER_TAIL = re.compile(r"\b" + words_pattern(PARTNER_PHRASES) + r"\b.*$", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])[\u2019\u201d\"')\]]*\s+(?=[A-Z\u201c\"\u2018'(])")


def _flat(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def canonical_name(name: str, aliases: dict[str, str] | None = None) -> str:
    """The name an actor stands for: its alias's target when the table knows it, else as written.

    A leading article is dropped ("the Ministry of Justice" -> "Ministry of Justice").

    >>> canonical_name("the Met"), canonical_name("the Ministry of Justice")
    ('Met', 'Ministry of Justice')
    """
    table = DEFAULT_ALIASES if aliases is None else aliases
    flat = _flat(name).strip(" ,;:.'\"")
    bare = _ARTICLE.sub("", flat)
    lookup = {_ARTICLE.sub("", _flat(alias)).casefold(): target for alias, target in table.items()}
    return lookup.get(bare.casefold(), bare)


_FILLERS = {
    "the", "a", "an", "all", "each", "every", "any", "new", "incoming", "relevant", "local",
    "its", "their", "of", "for", "and", "&", "within", "in", "on", "at", "to", "responsible",
}
_NOT_NAME = {
    "when", "where", "if", "that", "which", "who", "whether", "or", "but", "then", "so", "as", "by",
    "with", "from", "we", "they", "it", "there", "this", "is", "are", "was", "be",
}


def _bare(word: str) -> str:
    return word.strip("()'\"").removesuffix("'s").removesuffix("'")


def _word_fits(word: str, following: list[str]) -> bool:
    """Can ``word`` be part of an organisation's name (given the words after it)?"""
    bare = _bare(word)
    if not bare or bare.casefold() in _NOT_NAME:
        return False
    if bare[0].isupper() or bare.casefold() in _FILLERS or bare.casefold() in _ACTOR_NOUN_SET:
        return True
    # words describing an actor noun that follows: "creative hubs", "temporary accommodation workstream"
    for after in following[:3]:
        if _bare(after).casefold() in _ACTOR_NOUN_SET:
            return True
        if not after[:1].islower() or _bare(after).casefold() in _NOT_NAME | _FILLERS:
            return False
    return False


def _is_actor(phrase: str, aliases: dict[str, str] | None) -> bool:
    """True when ``phrase`` reads as the name of a body ("the Ministry of Justice", "chief constables")."""
    flat = _flat(phrase).strip(" ,;:.'\"")
    words = flat.split()
    if "," in flat:
        parts = [part for part in _LIST_SPLIT.split(flat) if part.strip()]
        return len(parts) > 1 and all("," not in part and _named_part(part, aliases) and _is_actor(part, aliases) for part in parts)
    leading = _FILLERS - {"the", "a", "an", "all", "each", "every", "any", "new", "incoming", "relevant", "local"}
    if not words or len(words) > 12 or words[0].casefold() in leading:
        return False
    if canonical_name(flat, aliases) != _ARTICLE.sub("", flat):
        return True
    if not all(_word_fits(word, words[index + 1:]) for index, word in enumerate(words)):
        return False
    head = words[-1].strip("()'\"").removesuffix("'s").removesuffix("'")
    if head.casefold() in _FILLERS:
        return False
    named = {word.strip("()'\"").removesuffix("'s").removesuffix("'").casefold() for word in words}
    return bool(named & _ACTOR_NOUN_SET) or any(_ACRONYM.match(word.strip("()")) for word in words) or (
        len(words) >= 2 and all(word[0].isupper() or word.casefold() in _FILLERS for word in words)
    )


# "the institution responsible for each recommendation", "the body responsible for policing"
_RESPONSIBLE_FOR = re.compile(r"^responsible\s+for\s+(?:(?:the|each|every|a|an|its|their|that)\s+)?[a-z][\w-]*(?:\s+of\s+(?:the\s+)?[\w-]+)?", re.I)


def _leading_phrase(clause: str, aliases: dict[str, str] | None) -> tuple[str, str]:
    """The actor phrase a clause starts with, and the rest ("the Ministry of Justice", "immediately publish ...")."""
    words = clause.split()
    best = 0
    for end in range(1, min(len(words), 14) + 1):
        if _is_actor(" ".join(words[:end]), aliases):
            best = end
    if best and (extra := _RESPONSIBLE_FOR.match(" ".join(words[best:]))):
        best += len(extra.group(0).split())
    return " ".join(words[:best]), " ".join(words[best:])


_PAREN = re.compile(r"\s*\(([^)]{1,40})\)")


def _named_part(part: str, aliases: dict[str, str] | None) -> bool:
    """A list member that names a body by itself (an alias, an actor noun or an acronym)."""
    words = [word.strip("()'\"").removesuffix("'s").casefold() for word in part.split()]
    known = canonical_name(part, aliases) != _ARTICLE.sub("", _flat(part).strip(" ,;:.'\""))
    return known or bool(set(words) & _ACTOR_NOUN_SET) or any(_ACRONYM.match(word.strip("()")) for word in part.split())


def _split_list(phrase: str, aliases: dict[str, str] | None) -> list[str]:
    """"The Mayor, employers and providers" -> three actors; "Hospitality and creative hubs" -> one.

    A name followed by its acronym in brackets is one body: "the Office for Policing and Crime (OPC)".
    """
    bracket = _PAREN.search(phrase)
    if bracket:
        whole = _PAREN.sub("", phrase).strip()
        if canonical_name(bracket.group(1), aliases) != bracket.group(1) or canonical_name(whole, aliases) != _ARTICLE.sub("", _flat(whole)):
            return [bracket.group(1) if canonical_name(whole, aliases) == _ARTICLE.sub("", _flat(whole)) else whole]
        phrase = whole
    parts = [part for part in _LIST_SPLIT.split(phrase) if part.strip()]
    if len(parts) > 1 and all(_named_part(part, aliases) and _is_actor(part, aliases) for part in parts):
        return parts
    return [phrase]


def _subject_before(text: str, aliases: dict[str, str] | None) -> str:
    """The actor phrase right before a verb: the last clause's subject, introductory phrases dropped."""
    clause = re.split(r"\b(?:that|if|whether|where|when|so)\s+|[;:]|\s[-\u2013\u2014]\s", text)[-1]
    parts = [part.strip() for part in clause.split(",")]
    for start in range(len(parts)):
        candidate = ", ".join(parts[start:]).strip()
        if candidate and _is_actor(candidate, aliases) and len(candidate.split()) <= 12:
            return candidate
    last = parts[-1] if parts else ""
    words = last.split()
    # "... calls for evidence all committees": keep the trailing actor words only
    for start in range(len(words)):
        candidate = " ".join(words[start:])
        if _after_object_marker(words[:start]):
            continue  # "the resources for such a body should": the body is an object, not the subject
        if _is_actor(candidate, aliases) and len(words) - start <= 8:
            return candidate
    owner = _owner(last, aliases)
    if owner:
        return owner
    final = words[-1].casefold() if words else ""
    return words[-1] if final in _PRONOUNS or final in _BOTH else ""


def _owner(phrase: str, aliases: dict[str, str] | None) -> str:
    """The body a thing belongs to, when the subject is that thing: "the Government's responses",
    "Government responses", "the Mayor's forthcoming strategy" are the Government's and the Mayor's to act on.
    The owner must open the phrase (after an object marker it is no subject) and be followed by at most three words."""
    words = phrase.split()
    for end in range(min(len(words) - 1, 8), 0, -1):
        candidate = " ".join(words[:end])
        rest = words[end:]
        possessive = candidate.endswith(("'s", "s'"))
        name = candidate.removesuffix("'s").removesuffix("'")
        if not rest or len(rest) > 3 or not all(word[:1].islower() for word in rest):
            continue
        named = all(word[:1].isupper() for word in _ARTICLE.sub("", name).split())
        if (possessive or named) and _is_actor(name, aliases):
            return name
    return ""


def _sentence_actors(sentence: str, aliases: dict[str, str] | None) -> list[str]:
    for pattern in _OBJECT_PATTERNS:
        match = pattern.search(sentence)
        who = _PARTNER_TAIL.sub("", match.group("who")).strip(" ,") if match else ""
        if who and (who.casefold() in _PRONOUNS or _is_actor(who, aliases)):
            return [who]
        if who and (owner := _owner(who, aliases)):
            return [owner]
    wonder = _WONDER.search(sentence)
    if wonder and (subject := _leading_phrase(wonder.group("clause"), aliases)[0]):
        return [subject]
    addressed = _ADDRESSED.search(sentence)
    if addressed and _REQUEST.search(sentence):
        return [_leading_phrase(addressed.group("who"), aliases)[0]]
    for pattern in (_THAT_CLAUSE, _OPENING_THAT):
        match = pattern.search(sentence)
        found = _that_clause_actors(match.group("clause"), aliases) if match else None
        if found is not None:
            return found
    for modal in _MODAL_OPEN.finditer(sentence):
        if _PASSIVE_AFTER.match(sentence[modal.end():]):
            continue
        subject = _subject_before(sentence[: modal.start()], aliases)
        if subject:
            return [subject]
    return []


def _that_clause_actors(whole: str, aliases: dict[str, str] | None) -> list[str] | None:
    """The subject of "we recommend that ...": a body, a pronoun ("that in future it should"), a
    possessive ("that the Government's responses will"); [] when passive; None when it names none."""
    clause = whole if _leading_phrase(whole, aliases)[0] else _CLAUSE_OPENING.sub("", whole, count=1)
    subject, rest = _leading_phrase(clause, aliases)
    first = clause.split()[0].casefold() if clause.split() else ""
    if not subject and first in ("it", "they") and not _BEING.match(clause[len(first) :]):
        return [clause.split()[0]]  # "we recommend that it publishes ...": the body named before
    if subject.endswith(("'s", "s'")) and not _PASSIVE_AFTER.search(rest[:60]):
        return [subject.removesuffix("'s").removesuffix("'")]  # "the Government's responses will deal ..."
    if subject and not _PASSIVE_AFTER.match(rest):
        return [subject]
    if subject or _PASSIVE_AFTER.search(whole[:80]):
        return []
    return None


def _resolve_pronoun(pronoun: str, before: str, aliases: dict[str, str] | None) -> str:
    """A pronoun stands for the nearest actor named before it ("the Government ..., it should")."""
    words = before.split()
    for end in range(len(words), 0, -1):
        for start in range(max(0, end - 8), end):
            candidate = " ".join(words[start:end]).strip(",.;:").removesuffix("'s")
            if _is_actor(candidate, aliases) and not _SELF.match(candidate):
                return candidate
    return ""


def _last_two(before: str, aliases: dict[str, str] | None) -> list[str]:
    """The two bodies named last before "both": the longest name at each place, and a name inside a
    longer one ("the Government" in "the Government Whips") not counted again."""
    words = before.split()
    named: list[str] = []
    end = len(words)
    while end > 0:
        start = next((start for start in range(max(0, end - 8), end) if _is_actor(" ".join(words[start:end]).strip(",.;:"), aliases)), None)
        if start is None:
            end -= 1
            continue
        name = _ARTICLE.sub("", " ".join(words[start:end]).strip(",.;:").removesuffix("'s").removesuffix("'"))
        owned = re.search(r"'s?\s+[a-z]", name)  # "the Government's programme" is a thing, not a body
        if not owned and not _SELF.match(name) and name.casefold() not in (other.casefold() for other in named):
            named.append(name)
        end = start
    distinct = [name for name in named if not any(name.casefold() in other.casefold() and name != other for other in named)]
    return distinct[:2][::-1] if len(distinct) >= 2 else []


def _place(word: str, sentence: str) -> int:
    """Where ``word`` stands as a word in ``sentence`` ("it", not the "it" in "submit")."""
    match = re.search(rf"\b{re.escape(word)}\b", sentence)
    return match.start() if match else 0


def actors_of(text: str, *, aliases: dict[str, str] | None = None) -> list[str]:
    """Who ``text`` asks to act, in the order named: the subject of "should", the one "called on",
    the subject of "we recommend that ...". Partners ("work with TfL") are not actors; a passive ask
    ("should be assessed") names none; a pronoun is read as the nearest body named before it.
    Names are canonicalised through ``aliases`` (alias -> name; default ``DEFAULT_ALIASES``).

    >>> actors_of("The Mayor and Central Government should work together with TfL.")
    ['Mayor', 'Central Government']
    """
    found: list[str] = []
    flat = _EDITORIAL.sub(r"\1", _FOOTNOTE.sub("", _flat(text)))
    offset = 0
    for sentence in _SENTENCE.split(flat):
        for phrase in _sentence_actors(sentence, aliases):
            phrase = phrase.strip(" ,;:.")
            if phrase.casefold() in _BOTH:
                parts = _last_two(flat[: offset + _place(phrase, sentence)], aliases)
            elif phrase.casefold() in _PRONOUNS:
                phrase = _resolve_pronoun(phrase, flat[: offset + _place(phrase, sentence)], aliases)
                parts = _split_list(phrase, aliases) if phrase and not _WRITERS.match(phrase) else []
            else:
                parts = [] if not phrase or _WRITERS.match(phrase) else _split_list(phrase, aliases)
            for part in parts:
                name = canonical_name(part, aliases)
                if name and name.casefold() not in (known.casefold() for known in found):
                    found.append(name)
        offset += len(sentence) + 1
    directed = None if found else _DIRECTED.search(flat)
    if directed:  # no one asked to act, but the recommendation says whom it is for
        who = re.sub(r"\s+(?:and|of|for|&|the)$", "", directed.group("who").strip())
        found = [canonical_name(part, aliases) for part in _split_list(who, aliases)]
    return [name for name in found if name]


def leading_actor(text: str, *, aliases: dict[str, str] | None = None) -> str:
    """The body an item starts with when it has no verb of asking ("Police have a stronger focus")."""
    words = _flat(text).split()
    taken: list[str] = []
    for word in words[:6]:
        if _is_actor(" ".join([*taken, word]), aliases) and (not taken or word[:1].isupper() or word.casefold() in _ACTOR_NOUN_SET):
            taken.append(word)
        else:
            break
    return canonical_name(" ".join(taken), aliases) if taken else ""


def restated_addressees(text: str, *, aliases: dict[str, str] | None = None) -> list[str]:
    """Who a recommendation a reply restates is for: the known bodies as ``addressees_of`` reads
    them (what the seed letters' restatements have always given), else whoever the restatement
    names as the actor, any body ("That the government establish ...", "That [the college] should
    have ...", "The Inquiry's one recommendation for LFB ...").

    >>> restated_addressees("That [the college] should have a permanent staff.")
    ['college']
    """
    return addressees_of(text) or actors_of(text, aliases=aliases)
