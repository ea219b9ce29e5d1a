"""Shared word lists and cues for the parsers, kept once, as data.

Parsers import these lists rather than spelling words out in their own regular expressions, so
a new phrase (a new way of saying "recommend", a new section heading) is added here once and
every parser that reads that kind of language picks it up. Lists hold plain lower-case words or
short phrases; ``words_pattern`` turns one into a regular expression alternative.

Nothing here names a person, a place or a particular document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- asks: the language that makes a sentence a recommendation ---------------------------------

# Modal verbs that make the subject of a sentence the one asked to act ("LFB should ...").
MODAL_VERBS: tuple[str, ...] = (
    "should", "must", "shall", "needs to", "need to", "ought to", "has to", "have to",
    "is to", "are to", "is required to", "are required to", "is expected to", "are expected to",
)

# Verbs (with their "that"/"on" forms) by which a writer asks someone else to act.
ASK_VERBS: tuple[str, ...] = (
    "recommend", "recommends", "recommended", "recommending",
    "call on", "calls on", "called on", "calling on", "call upon", "calls upon", "calling upon",
    "call for", "calls for", "called for", "calling for",
    "urge", "urges", "urged", "urging",
    "encourage", "encourages", "encouraged", "encouraging",
    "request", "requests", "requested", "requesting",
    "ask", "asks", "asked", "asking",
    "expect", "expects", "invite", "invites", "propose", "proposes",
    "would welcome", "would like", "want", "wants", "press", "presses",
)

# Verbs by which minutes or a summary report someone asking a body to act: "wished the PCC to
# encourage ...", "wanted the Mayor to ..." (the body asked comes between the verb and "to").
WISH_VERBS: tuple[str, ...] = ("wish", "wishes", "wished", "want", "wants", "wanted")

# Words that open a committee's resolution as a lead-in ("RESOLVED – That Members agree:",
# "Resolved:"); the items below it are the resolution's parts.
RESOLUTION_WORDS: tuple[str, ...] = ("resolved", "resolves", "agreed")

# What marks a record of a meeting's own decision (minutes): a line opening "RESOLVED", a motion
# "moved" by one member and "seconded" by another. Such a record is neither a report nor a reply,
# whatever it discusses (a draft plan, a report's recommendations): the corpus kind "other".
DECISION_LEAD_WORDS: tuple[str, ...] = ("resolved", "resolves")
MOTION_WORDS: tuple[str, str] = ("moved", "seconded")

# What a writer "would" do to ask without a modal: "we would welcome", "we would like ... to",
# "we would hope that the Government's responses will ...".
WOULD_ASK_VERBS: tuple[str, ...] = ("welcome", "like", "hope", "urge", "expect", "want")

# Words opening a clause that describes rather than asks: a "required to"/"expected to" after them
# says what happens ("the conditions in which they are required to serve", "unless Ministers are
# expected to ..."), not what the writer asks.
DESCRIBING_CLAUSE_OPENERS: tuple[str, ...] = ("which", "who", "whom", "whose", "where", "unless", "once", "as")

# Words before a body that make it an object, not the subject of the verb after it ("the
# resources for such a body should ..."): the subject is earlier in the clause.
OBJECT_MARKERS: tuple[str, ...] = (
    "such", "for", "of", "to", "with", "by", "from", "about", "on", "at", "into", "upon", "between", "against",
)

# Participles that, before "to", describe the subject's readiness rather than a passive: "the House
# should be prepared to set up such bodies" asks the House to act.
READY_PARTICIPLES: tuple[str, ...] = ("prepared", "minded", "equipped")

# Phrases that make a sentence an ask even without a modal ("... is required", "it is vital that").
ASK_PHRASES: tuple[str, ...] = (
    "is required", "are required", "is needed", "are needed", "it is vital that", "it is essential that",
    "it is important that", "it is crucial that", "we would welcome", "we look to",
)

# Verbs an imperative recommendation starts with ("Publish an evaluation ...", "Set out how ...").
IMPERATIVE_VERBS: tuple[str, ...] = (
    "accelerate", "adopt", "agree", "allocate", "appoint", "assess", "commission", "clarify", "collect",
    "commit", "conduct", "consider", "consult", "continue", "create", "demonstrate", "deliver", "design",
    "develop", "embed", "engage", "ensure", "establish", "evaluate", "examine", "expand", "explain",
    "explore", "extend", "focus", "fund", "give", "identify", "implement", "improve", "include",
    "increase", "introduce", "invest", "investigate", "lobby", "make", "monitor", "outline", "prepare",
    "prioritise", "produce", "promote", "provide", "publish", "put", "raise", "reduce", "reform", "report",
    "require", "review", "revise", "seek", "set", "share", "strengthen", "support", "take", "undertake",
    "update", "use", "work", "write",
)

# --- addressees -------------------------------------------------------------------------------

# Head nouns of bodies that can be asked to act; a capitalised phrase ending in one of these (or
# an acronym) is read as an organisation ("the Ministry of Justice", "chief constables").
ACTOR_NOUNS: tuple[str, ...] = (
    "mayor", "government", "governments", "ministry", "department", "office", "committee", "committees",
    "commissioner", "commissioners", "brigade", "service", "services", "police", "force", "forces",
    "constable", "constables", "council", "councils", "authority", "authorities", "agency", "agencies",
    "executive", "board", "boards", "trust", "trusts", "minister", "ministers", "secretary", "treasury",
    "inspectorate", "coroner", "coroners", "inquiry", "body", "bodies", "organisation", "organisations",
    "institution", "institutions", "partnership", "partners", "programme", "workstream", "hub", "hubs",
    "employers", "providers", "boroughs", "panel", "group", "nhs", "england", "regulator",
    "college", "association", "parliament", "house", "team", "chief", "chair", "directorate", "members",
)

# Verbs of working alongside someone: the bodies after them are partners, not addressees.
PARTNER_PHRASES: tuple[str, ...] = (
    "work with", "working with", "works with", "work alongside", "working alongside",
    "work together with", "work closely with", "working closely with", "in partnership with",
    "liaise with", "in conjunction with", "together with", "alongside", "consult",
)

# --- sections ---------------------------------------------------------------------------------

# Section headings under which the items are recommendations (matched after lower-casing; "&"
# counts as "and").
RECOMMENDATION_HEADINGS: tuple[str, ...] = (
    "recommendations", "recommendation", "key recommendations", "our recommendations",
    "summary of recommendations", "list of recommendations", "conclusions and recommendations",
    "recommendations and conclusions", "key findings and recommendations", "findings and recommendations",
    "areas for improvement", "area for improvement", "matters of concern", "matter of concern",
    "causes of concern", "cause of concern", "learning recommendations", "actions", "key asks", "our asks",
)

# Headings that end a recommendations section (what follows is not a recommendation).
NON_RECOMMENDATION_HEADINGS: tuple[str, ...] = (
    "related documents", "key facts", "key findings", "findings", "about", "introduction", "background",
    "contact", "contacts", "share this page", "footnotes", "references", "appendix", "annex",
    "glossary", "members", "membership", "formal minutes", "witnesses", "published written evidence",
    "summary", "contents", "supporting information",
)

# --- deadlines --------------------------------------------------------------------------------

# Timing words that are kept as words, with no date ("immediately", "annually").
VAGUE_DEADLINE_WORDS: tuple[str, ...] = (
    "immediately", "immediate steps", "immediate action", "as soon as possible", "as a matter of urgency", "urgently", "promptly",
    "without delay", "at the earliest opportunity", "annually", "every year", "each year", "quarterly",
    "monthly", "regularly", "in due course", "shortly", "in the short term", "in the medium term",
    "in the long term", "over the short term", "over the medium term", "over the long term",
    "over the medium/long term", "once complete",
    "as a priority", "as a matter of priority", "as an urgent priority", "as a top priority", "a top priority",
    *(f"one of {owner} {rank} priorities" for owner in ("their", "its", "the", "our", "your", "his", "her")
      for rank in ("first", "top", "highest", "immediate")),
)

# Number words for counts and relative periods ("three recommendations", "within six months").
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-one": 21, "twenty-two": 22, "twenty-three": 23, "twenty-four": 24, "twenty-five": 25,
    "thirty": 30, "forty": 40, "fifty": 50, "fifty-six": 56, "sixty": 60, "ninety": 90,
}

# Units of a relative period, in days or months.
PERIOD_UNITS: dict[str, tuple[str, int]] = {
    "day": ("days", 1), "days": ("days", 1),
    "week": ("days", 7), "weeks": ("days", 7),
    "month": ("months", 1), "months": ("months", 1),
    "year": ("months", 12), "years": ("months", 12),
}


def words_pattern(words: Iterable[str]) -> str:
    """A regular-expression alternative matching any of ``words`` (longest first, spaces flexible).

    >>> re.fullmatch(words_pattern(["call on", "call"]), "call  on") is not None
    True
    """
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in ordered) + ")"


# --- replies: how a respondent states its position ---------------------------------------------

# Stated positions, most specific first: the first family whose phrase a sentence holds wins, so
# "does not accept" is read before "accept" and "accepted in principle" before "accepted".
POSITION_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("not_accepted", (
        "not accepted", "does not accept", "do not accept", "did not accept", "cannot accept",
        "can not accept", "is unable to accept", "are unable to accept", "not agreed", "does not agree",
        "do not agree", "disagrees", "disagree", "rejects", "rejected", "reject", "declines", "not supported",
        "does not support", "do not support",
    )),
    ("accepted_in_principle", (
        "accepted in principle", "accepts in principle", "accept in principle", "agreed in principle",
        "agrees in principle", "agree in principle", "supported in principle", "supports in principle",
        "in principle",
    )),
    ("partially_accepted", (
        "partially accepted", "partially accepts", "partially accept", "partly accepted", "partly accepts",
        "accepted in part", "accepts in part", "accept in part", "partially agreed", "partially agrees",
        "partially supported", "partially", "partly",
    )),
    ("under_consideration", (
        "under consideration", "under review", "further work", "is considering", "are considering",
        "will consider", "being considered",
    )),
    ("accepted", (
        "fully accepts", "fully accepted", "fully accept", "accepts in full", "accepted in full", "accepts",
        "accepted", "accept", "agrees", "agreed", "agree",
    )),
    # "endorses" backs a proposal without taking it on as its own: supported, as services.stated_position_key reads it
    ("supported", ("fully supports", "supports", "supported", "support", "welcomes", "welcomed", "welcome", "endorses", "endorsed", "endorse")),
    ("noted", ("noted", "notes", "note")),
)

# Words before a position word that make it describe the recommendations after it rather than state
# anyone's position: "all accepted recommendations are acted upon", "progress on the rejected
# recommendations" (the respondent states a position with a verb: "has accepted recommendations 1-4").
ATTRIBUTIVE_LEADS: tuple[str, ...] = (
    "all", "the", "these", "those", "any", "its", "their", "our", "your", "each", "every", "of", "for", "on", "to",
)

# Labels that open a reply inside a response: "Response:", "Government response:", "MPS response:".
RESPONSE_LABEL_WORDS: tuple[str, ...] = ("response", "reply", "answer", "comment", "comments", "update", "progress")

# Section headings under which numbered items are the respondent's replies, not restatements.
REPLY_SECTION_HEADINGS: tuple[str, ...] = (
    "what we committed to doing", "what we have done", "our response", "response", "responses",
    "government response", "progress", "progress update", "update", "action taken", "actions taken",
)

# Headings that divide any document and name no topic of a reply: a reply's topic subheading is
# any other short heading line ("Implementing change", "Workforce").
DOCUMENT_SECTION_HEADINGS: tuple[str, ...] = (
    "introduction", "overview", "summary", "executive summary", "background", "contents", "conclusion",
    "conclusions", "next steps", "foreword", "context", "purpose", "annex", "appendix", "references",
    "supporting information", "recommendation", "recommendations", "related documents", "documents",
)

# Column headings that make a block of lines a status table of replies.
STATUS_TABLE_HEADINGS: tuple[str, ...] = (
    "status", "accepted", "position", "response", "progress", "rag", "agreed", "outcome",
)

# Function words left out when comparing a restatement with a recommendation's own wording.
COMPARISON_STOP_WORDS: frozenset[str] = frozenset(
    """a an the and or of to in on for by with at as from into that this these those it its his her
    their our we i is are be been being was were has have had must should will would shall can could
    may might also any all such so than then there which who whom what how when where not no more
    other including include includes both either each recommendation recommendations recommend
    recommends committee government response ensure need needs""".split()
)
