"""The language of a reply to recommendations: what tells a response from the report it answers."""

from __future__ import annotations

import re

_CUES = re.compile(
    r"\b(?:(?:government|mps|mayor'?s|brigade'?s?|our|official)\s+response|response\s*:|responds?\s+to|in response to|"
    r"accepts?|accepted(?:\s+in\s+principle)?|does not accept|not accepted|rejects?|progress (?:report|update)|"
    r"what we (?:have )?committed|we have (?:committed|accepted)|status\b|implemented|in progress|answered by)",
    re.I,
)


def score(text: str) -> int:
    """How many reply cues the text carries (distinct phrasings count once each)."""
    return len({match.group(0).lower() for match in _CUES.finditer(text)})
