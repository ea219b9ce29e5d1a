"""Any reply to recommendations: a Government response, a force's or the Brigade's response, a
progress report with a status table, an answer to a question. Replies are found by
``replies.extract_replies``; the respondent is whoever the text names, not assumed to be the Mayor."""

from __future__ import annotations

import re

from ..types import UNKNOWN_DATE, ParseContext, ParsedLetter, ParseError
from . import _document_head, _reply_cues

NAME = "reply_document"
LABEL = "reply to recommendations"
LOOKS_FOR = "replies: 'Response:'/'Government response:' labels, 'Recommendation N' answered, status tables, 'accepts'/'does not accept'"
GENERAL = True  # any layout: ranked after the seed layouts' own families
SAVES_AS = "letter"
PARSED = ParsedLetter
LABEL_KIND = "response"


def _replies(text: str, context: ParseContext | None = None):
    try:
        from ..replies import extract_replies
    except ImportError:  # replies.py not written yet
        return None
    return extract_replies(text, recommendations=(context.recommendations if context else None))


# A piece's own label, left on its text by a flattened layout: "Recommendation 2.1 That ...".
_OWN_LABEL = re.compile(r"^\W*(?:recommendations?\s*)?\d+(?:\.\d+)*[.):]?\s+", re.I)


def _answers(reply) -> bool:
    """A numbered piece that reads as an answer: it states a position, or it has a sentence of its
    own (not a heading or page furniture) that does not itself ask someone to act (a report's
    numbered conclusions ask; replies answer) and is not a committee paper's own resolution
    ("That the Committee notes ...")."""
    if reply.stated_position:
        return True
    from ..items import asks, is_resolution

    text = _OWN_LABEL.sub("", reply.text)
    return len(text.split()) >= 4 and bool(re.search(r"\w[.!?]", text)) and not asks(text) and not is_resolution(text)


def detect(text: str) -> int:
    """Reply language ("Government response", "accepts") is needed; numbered replies found add to
    it, and so do a head that calls the document a response ("MPS response to ...", "Answered
    by") and lines that label replies ("MPS response:", "Accepted:"). Replies under unnumbered
    subheadings count once: any report has subheadings."""
    titled = 3 if _reply_cues.titled_as_response(text) else 0
    cues = _reply_cues.score(text)
    if not (cues or titled):
        return 0
    found = _replies(text)
    replies = [reply for reply in found.replies if reply.number and _answers(reply)] if found is not None else []
    unnumbered = min(len(found.replies) - len(replies), 2) if found is not None else 0
    summary = 2 if found is not None and found.summary_counts else 0
    # reply labels ("MPS response:", "Accepted:") count where the reader did not number the replies they open
    labelled = 2 * max(min(_reply_cues.labelled_replies(text), 3) - len(replies), 0)
    if not (replies or summary or titled or labelled) and cues < 3:
        return 0
    return min(cues, 6) + 2 * min(len(replies), 4) + summary + titled + unnumbered + labelled


def parse(text: str, *, context: ParseContext) -> ParsedLetter:
    found = _replies(text, context)
    if found is None or not (found.replies or found.summary_counts):
        raise ParseError(f"No replies to recommendations were found in this document. Looked for {LOOKS_FOR}.")
    date = found.date if found.date and found.date.date else _document_head.date_of(text) or UNKNOWN_DATE
    return ParsedLetter(
        kind=NAME,
        date=date,
        reference="",
        author_name="",
        author_role=found.respondent,
        recipient_name="",
        recipient_role="",
        report_title=found.report_title,
        apologises_for_delay=False,
        replies=list(found.replies),
        warnings=list(found.warnings),
        respondent=found.respondent,
        summary_counts=dict(found.summary_counts or {}),
        commitments=list(found.commitments),
    )
