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
    if not modal:
        return organisations_in(text[:120])[:1]
    keys = organisations_in(text[: modal.start()])
    keys = [key for key in keys if key != "Committee"] or keys
    partner = _PARTNER.match(text[modal.end():])
    if partner:
        for key in organisations_in(partner.group("who")):
            if key not in keys:
                keys.append(key)
    return keys
