"""The cues the five seed families are recognised by (shared: one family's score reads another's cues).

Pure. A letter's salutation and sign-off, a web page's navigation, a report's foreword and numbered
chapters, a compilation's repeated email headers.
"""

from __future__ import annotations

import re
from functools import lru_cache

RECOMMENDATION_HEADING = re.compile(r"^\W*(?:#+\s*)?\**\s*recommendations?\s+\d+\b", re.I | re.M)
SALUTATION = re.compile(r"^\s*(?:\**\s*)?dear\s+\S", re.I | re.M)
SIGN_OFF = re.compile(r"^\s*(?:yours\s+(?:sincerely|faithfully)|kind(?:est)?\s+regards|best\s+wishes|regards)\b", re.I | re.M)
EMAIL_HEADER = re.compile(r"^\s*(?:sent|from|subject):", re.I | re.M)
WEB_NAVIGATION = re.compile(
    r"^\s*(?:skip to main content|back to table of contents|related documents|publication date:|publication type:|key information)\s*$",
    re.I | re.M,
)
STATED_COUNT = re.compile(r"\bmakes?\s+the\s+following\s+\d+\s+recommendations\b", re.I)
REPORT_PARTS = re.compile(r"^\s*(?:foreword|summary|our approach|contents|recommendations|appendix|references)\s*$", re.I | re.M)
REPLY_CUES = re.compile(r"\b(?:response to the recommendations|our ref|your ref|thank you for (?:sharing|sending|your))\b", re.I)
# "in consultation with the Group Leads" is how a decision is taken, not a consultation
CONSULTATION_CUES = re.compile(
    r"\b(?:(?<!\bin\s)consultation(?!\s+with\b)|call for views|draft police and crime plan|response to the (?:mayor'?s )?draft)\b", re.I
)


@lru_cache(maxsize=8)
def counts(text: str) -> dict[str, int]:
    """Each cue's count in ``text`` (cached: every seed family reads them for one detection)."""
    return {
        "headings": len(RECOMMENDATION_HEADING.findall(text)),
        "salutations": len(SALUTATION.findall(text)),
        "sign_offs": len(SIGN_OFF.findall(text)),
        "email_headers": len(EMAIL_HEADER.findall(text)),
        "navigation": len(WEB_NAVIGATION.findall(text)),
        "consultation": len(CONSULTATION_CUES.findall(text)),
        "parts": len({m.lower().strip() for m in REPORT_PARTS.findall(text)}),
        "reply_cues": len(REPLY_CUES.findall(text)),
        "stated_count": 1 if STATED_COUNT.search(text) else 0,
    }
