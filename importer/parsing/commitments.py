"""Commitments in a general reply: the future actions its writer states.

Pure: text in, ``ParsedCommitment`` list out; never raises. A sentence is a commitment when it
states a future action: "will" / "shall" (not "will not"), "intend(s) to", "plan(s) to", "aim(s)
to", "is due to", "we are committed to doing", "commit(s) to", "undertake(s) to", "we expect that
it will". Not when the future is the reader's ("you will be keen"), a question, or a negation.
Its due date is read like a recommendation's deadline: an absolute date ahead of the reply's date
("by March 2027"), a period counted from the reply ("within the next three months", dated once
the reply's date is known), or vague words kept as words ("quarterly", "after the summer").
The seed letter's rules (``response_letter.commitments_in``) are used first, so a promise they
find reads the same here.
"""

from __future__ import annotations

import datetime
import re

from .deadlines import find_relative_deadline, find_vague_deadline, resolve_relative_deadline
from .response_letter import _sentences, commitments_in
from .types import ParsedCommitment

__all__ = ["PROMISE", "extract_commitments", "is_commitment"]

PROMISE = re.compile(
    r"\b(?:will(?!\s+not\b)(?!\s+to\b)|shall(?!\s+not\b)|(?:intends?|plans?|aims?|undertakes?|commits?)\s+to\b|"
    r"(?:is|are)\s+(?:due|scheduled|set|going)\s+to\b|"
    r"(?:is|are|remains?|have\s+been|has\s+been)\s+(?:fully\s+)?committed\s+to\s+(?!(?:its|their|our|the|an?|this|these|that)\b)\w+)",
    re.I,
)
_NOT_THE_WRITERS = re.compile(r"\b(?:you|your)\s+(?:\w+\s+)?$", re.I)  # "you will", "you yourselves will"
_PAST_OR_HYPOTHETICAL = re.compile(r"\b(?:would|could|might)\b", re.I)
# Timing words a commitment may use that are not dates: kept as words.
_TIMING_WORDS = re.compile(
    r"\b(?:within\s+(?:the\s+)?(?:next\s+)?(?:few\s+|coming\s+)?(?:weeks|months|years)|after\s+the\s+(?:summer|election|recess)|"
    r"(?:in|by|before)\s+the\s+(?:spring|summer|autumn|winter)|(?:at\s+least|around|about|over)\s+(?:\w+\s+){0,2}(?:weeks|months|years)|"
    r"(?:in|by)\s+the\s+(?:next|coming)\s+(?:\w+\s+)?(?:weeks|months|years|progress\s+update)|"
    r"(?:in|at)\s+the\s+(?:\w+\s+){0,2}progress\s+(?:update|report))\b",
    re.I,
)


def is_commitment(sentence: str) -> bool:
    """Whether ``sentence`` states a future action of the writer or a body it names.

    >>> is_commitment("We will publish progress reports quarterly.")
    True
    >>> is_commitment("I know you will also be keen to hear the outcome.")
    False
    """
    sentence = sentence.strip()
    if not sentence or sentence.endswith("?"):
        return False
    for match in PROMISE.finditer(sentence):
        if not _NOT_THE_WRITERS.search(sentence[: match.start()]):
            return True
    return False


def _due_words(sentence: str) -> str:
    found = _TIMING_WORDS.search(sentence)
    relative = find_relative_deadline(sentence)
    words = [relative.text] if relative else []
    if found and not (relative and found.group(0) in relative.text):
        words.append(" ".join(found.group(0).split()))
    vague = find_vague_deadline(sentence)
    return "; ".join(words + ([vague] if vague else []))


def _relative_due(sentence: str, reference_date: datetime.date | None):
    relative = find_relative_deadline(sentence)
    if relative is None or reference_date is None:
        return None
    due, _working = resolve_relative_deadline(relative, reference_date)
    return due


def _commitment(sentence: str, reference_date: datetime.date | None, first_person: str) -> ParsedCommitment | None:
    found = commitments_in(sentence, reference_date=reference_date, first_person=first_person or "")
    if found:
        commitment = found[0]
        commitment.owner = commitment.owner or first_person
        return commitment
    if not is_commitment(sentence) or _PAST_OR_HYPOTHETICAL.search(sentence[: PROMISE.search(sentence).start()]):
        return None
    due = _relative_due(sentence, reference_date)
    return ParsedCommitment(text=sentence, owner=first_person, due=due, due_words="" if due else _due_words(sentence))


def extract_commitments(
    text: str,
    *,
    reference_date: datetime.date | None = None,
    first_person: str = "",
) -> list[ParsedCommitment]:
    """The commitments stated in ``text``, one per sentence, in order; never raises.

    ``reference_date`` (the reply's date) dates relative periods and drops deadlines already past;
    ``first_person`` owns the promises of "we" and of unnamed subjects ("" when unknown).

    >>> [c.due_words for c in extract_commitments("Consultations will begin after the summer. It rained.")]
    ['after the summer']
    """
    commitments: list[ParsedCommitment] = []
    for sentence in _sentences(text or ""):
        commitment = _commitment(sentence, reference_date, first_person)
        if commitment is not None:
            commitments.append(commitment)
    return commitments
