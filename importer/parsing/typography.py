"""Undo typesetting in extracted text: ligature characters spelt out ("oﬃcers" is "officers") and
words hyphenated at a line's end joined again ("recom-" / "mendation" is "recommendation"), while
real hyphens stay ("long-" / "term" is "long-term").

Whether a line-end hyphen is a break or a real hyphen is judged from the document itself first
(does it write the word elsewhere whole, or with its hyphen?), then from the word's parts: a
first part that usually forms compounds ("multi-", "co-", "cross-") keeps its hyphen; a second
part that is a word's ending ("-mendation", "-ficers") loses it. Otherwise the hyphen is kept,
the safer mistake ("com-mittee" still reads; "multiagency" would be a new word). Pure.
"""

from __future__ import annotations

import re

LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
})

# First parts that usually make a compound with a hyphen of their own.
COMPOUND_FIRST_PARTS = frozenset("""
all anti co counter cross cyber decision ex far fast full half high inter long low medium mid multi
non over part post pre pro re real self semi short single sub super top under well wide world
child same sex one two three four five six ten first second third front follow hard face
""".split())
_WORD_ENDING = re.compile(
    r"(?:tions?|sions?|ments?|ness|ships?|ings?|ed|ers?|ies|ity|ally|ly|ences?|ances?|ives?|ables?|ibles?|"
    r"ous|ful|ants?|ents?|ists?|isms?|ises?|ised|izes?|ized|ates?|ated|ating|ional|ial|ic|ical|ure|ures|age|ages)$"
)
_LINE_END_BREAK = re.compile(r"(?<![\w-])([^\W\d_]+)([-\u00ad])$")
_NEXT_WORD = re.compile(r"([a-z][^\W\d_]*)(\S*)(.*)$", re.S)  # the word, what clings to it, the rest
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def spell_out_ligatures(text: str) -> str:
    return text.translate(LIGATURES)


def join_hyphenated(text: str) -> str:
    """Rejoin words broken over two lines; the rest of the second line stays where it was."""
    lines = text.split("\n")
    known = {word.casefold() for word in _WORDS.findall(text)}
    emptied = set()
    for index in range(len(lines) - 1):
        end = _LINE_END_BREAK.search(lines[index].rstrip())
        start = _NEXT_WORD.match(lines[index + 1].lstrip())
        if not end or not start:
            continue
        first, mark, second = end.group(1), end.group(2), start.group(1)
        hyphen = "-" if mark == "-" and _real_hyphen(first, second, known) else ""
        lines[index] = lines[index].rstrip()[: end.start(2)] + hyphen + second + start.group(2)
        lines[index + 1] = start.group(3).lstrip()
        if not lines[index + 1]:
            emptied.add(index + 1)  # its only word moved up: the line goes (blank lines the text had stay)
    return "\n".join(line for index, line in enumerate(lines) if index not in emptied)


def _real_hyphen(first: str, second: str, known: set[str]) -> bool:
    joined, hyphenated = (first + second).casefold(), f"{first}-{second}".casefold()
    if hyphenated in known:
        return True
    if joined in known:
        return False
    if first.casefold() in COMPOUND_FIRST_PARTS or (len(first) > 1 and first.isupper()):  # "multi-", "COVID-"
        return True
    return not _WORD_ENDING.search(second.casefold())
