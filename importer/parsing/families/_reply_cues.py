"""The language of a reply to recommendations: what tells a response from the report it answers."""

from __future__ import annotations

import re

from ..vocabulary import POSITION_PHRASES, RESPONSE_LABEL_WORDS, words_pattern

_CUES = re.compile(
    r"\b(?:(?:government|mps|mayor'?s|brigade'?s?|our|official)\s+response(?!s)|response\s*:|responds?\s+to|in response to|"
    r"accepts?|accepted(?:\s+in\s+principle)?|does not accept|not accepted|rejects?|progress (?:report|update)|"
    r"what we (?:have )?committed|we have (?:committed|accepted)|status\b|implemented|in progress|answered by)",
    re.I,
)


def score(text: str) -> int:
    """How many reply cues the text carries (distinct phrasings count once each). "Government
    responses" in the plural is a report talking about replies in general, not a reply."""
    return len({match.group(0).lower() for match in _CUES.finditer(text)})


# A head that calls the document a response: a title line "MPS response to HMIC Inspection",
# "State of Policing report: government response", "Police conduct: Government Response to the
# Committee's Report", "Report – Response to Recommendations", or a question's "Answered by". Only
# the first lines (the head) are read, and only title lines: no full stop at the end, and short, or
# (a long report name) with the response named in its first words. A title's separators (":", "–")
# are spaced out first, so "Appendix: Government Response" reads as "Appendix : Government Response".
_TITLED = re.compile(
    r"^\W*(?:(?:[\w'’&.()–—:-]+\s+){0,8}?(?:response|reply)\s+to\b|(?:[\w'’&.()-]+\s+){0,10}?[:–—-]\s*"
    r"(?:the\s+)?(?:[\w'’]+\s+)?(?:response|reply)\b\W*$|answered\s+by\b)",
    re.I,
)
_SEPARATOR = re.compile(r"\s*([:–—])\s*")
_HEAD_LINES = 40


def titled_as_response(text: str) -> bool:
    """Whether the document's head has a title (a short line) calling it a response."""
    lines = [line.strip(" #*") for line in text.splitlines()[:_HEAD_LINES] if line.strip()]
    return any(not line.endswith(".") and _titled(_SEPARATOR.sub(r" \1 ", line).strip()) for line in lines)


_TITLE_WORDS = 14  # a title line is at most this long, unless it names the response in its first words
_LONG_TITLE = re.compile(r"^\W*(?:[\w'’&.()-]+\s+){0,2}?(?:response|reply)\s+to\b", re.I)


def _titled(line: str) -> bool:
    words = len([word for word in line.split() if word not in ":–—"])
    if words <= _TITLE_WORDS:
        return bool(_TITLED.match(line))
    return words <= 3 * _TITLE_WORDS and bool(_LONG_TITLE.match(line))


# A line that labels what follows as a reply or states a position on its own: "MPS response:",
# "Government response –", "Accepted:", "Not accepted". Each such label opens one reply.
_POSITIONS = words_pattern(phrase for _key, phrases in POSITION_PHRASES for phrase in phrases if " " in phrase or phrase.endswith("ed"))
_LABEL_LINE = re.compile(
    r"^\W*(?:(?:[\w'’()&.-]+\s+){0,3}?" + words_pattern(RESPONSE_LABEL_WORDS[:2]) + r"\s*[:–—]|"
    r"(?:(?:recommendation|status)\s*[:–—-]?\s*)?" + _POSITIONS + r"\s*(?:[:–—.]\s*$|:))",
    re.I | re.M,
)


def labelled_replies(text: str) -> int:
    """How many lines label a reply ("MPS response:") or state a position as a label ("Accepted:")."""
    return len(_LABEL_LINE.findall(text))
