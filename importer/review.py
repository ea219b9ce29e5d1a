"""An editor's review of an import, before it is confirmed: pure functions, no database.

A held upload keeps its one reading (``PendingImport.parsed``) untouched; the editor's
corrections are a separate JSON document (``PendingImport.review``) applied to the deserialised
reading by ``review_apply`` just before a preview or the confirmation. So every correction
survives a reload, another tab or a new session, and what confirming writes is what was reviewed.

The review works on whatever the reading holds, by what it has rather than by its family: a
reading with ``occurrences`` (reports: numbered recommendations), one with ``replies`` (letters),
anything else (consultations, families added later) is confirmed as read. Items keep every field
of the parser's dataclass they came from (``dataclasses.replace``), so fields added to the parsing
dataclasses later pass through untouched.

The review document::

    {"items": [...],              # the reading's items as corrected, in order (absent: as read)
     "matches": {"@1": 3, "@3": null},  # a letter's reply (by its key) -> the recommendation it answers, null: left out
     "chosen": {"@1": "3"},       # explicit choices on replies flagged as answering another recommendation
     "details": {"title": ..., "committee": ..., "date": "2024-05-02"},  # the document's own facts, corrected
     "future_date_confirmed": true}

An item of a report: ``{"src", "number", "text", "addressees", "deadline", "deadline_text",
"deadline_precision"}``; of a letter: ``{"src", "number", "restated", "text", "commitments":
[{"text", "owner", "due", "due_text", "due_precision"}]}``. ``src`` is the index of the parsed item
it came from (``None``: typed by the editor).

A reply is named by its key (``reply_key``): its position among the letter's replies, "@0" the first,
because a letter can have several replies numbered 0 (to a topic, to a group of recommendations)
that no number tells apart. Reviews kept before keys were positions name replies by number ("2");
such a key still applies, as it did, to the replies of that number (``reply_target``).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
from dataclasses import dataclass

from .parsing.addressees import addressees_of
from .parsing.deadlines import find_deadline
from .parsing.response_letter import restated_matches
from .parsing.types import (
    DatePrecision,
    Deadline,
    DocumentDate,
    ParsedCommitment,
    RecommendationOccurrence,
)

OCCURRENCES, REPLIES = "occurrences", "replies"
# A reply is flagged when another recommendation's wording agrees with its restatement this much
# better than the one it is matched to (and at least FLAG_FLOOR).
FLAG_MARGIN = 0.15
FLAG_FLOOR = 0.5
TYPED_SECTION = "summary"  # typed recommendations are saved as the summary list of a report entered by hand


class ReviewInvalid(ValueError):
    """A correction that cannot be applied (e.g. a split at no sentence); the message says why."""


# --- reading the items ---------------------------------------------------------------------------


def items_field(parsed) -> str | None:
    """Which list of ``parsed`` an editor reviews item by item, or None (confirmed as read)."""
    for name in (OCCURRENCES, REPLIES):
        if isinstance(getattr(parsed, name, None), list):
            return name
    return None


def _deadline_item(deadline: Deadline | None, prefix: str) -> dict:
    if deadline is None:
        return {prefix: None, f"{prefix}_text": "", f"{prefix}_precision": ""}
    return {prefix: deadline.date.isoformat(), f"{prefix}_text": deadline.text, f"{prefix}_precision": deadline.precision}


def _deadline_of(item: dict, prefix: str) -> Deadline | None:
    if not item.get(prefix):
        return None
    date = datetime.date.fromisoformat(item[prefix])
    return Deadline(date, item.get(f"{prefix}_text") or f"{date:%d %B %Y}".lstrip("0"), item.get(f"{prefix}_precision") or DatePrecision.DAY)


def _commitment_item(commitment) -> dict:
    return {"text": commitment.text, "owner": commitment.owner, **_deadline_item(commitment.due, "due")}


def _item_of(field: str, index: int, value) -> dict:
    if field == OCCURRENCES:
        return {
            "src": index,
            "number": value.number,
            "text": value.text,
            "addressees": list(value.addressees),
            **_deadline_item(value.deadline, "deadline"),
        }
    return {
        "src": index,
        "number": value.number,
        "restated": value.recommendation_text,
        "text": value.text,
        "commitments": [_commitment_item(commitment) for commitment in value.commitments],
    }


def review_items(parsed, review: dict | None) -> list[dict]:
    """The items as the editor sees them: the review's when it has them, else as read."""
    field = items_field(parsed)
    if field is None:
        return []
    if review and "items" in review:
        return [dict(item) for item in review["items"]]
    return [_item_of(field, index, value) for index, value in enumerate(getattr(parsed, field))]


# --- applying the review -------------------------------------------------------------------------


def review_apply(parsed, review: dict | None):
    """``parsed`` with the editor's corrections applied (a new object; ``parsed`` is not changed)."""
    if not review:
        return parsed
    parsed = _apply_details(parsed, review.get("details") or {})
    field = items_field(parsed)
    if field is None or "items" not in review:
        return parsed
    originals = getattr(parsed, field)
    build = _occurrence if field == OCCURRENCES else _reply
    values = [build(item, originals, position) for position, item in enumerate(review["items"])]
    if field == OCCURRENCES:
        values = _unique_lines(values)
    return dataclasses.replace(parsed, **{field: values})


def _apply_details(parsed, details: dict):
    changes = {}
    for name in ("title", "committee"):
        if details.get(name) and hasattr(parsed, name):
            changes[name] = details[name]
    if details.get("date") and hasattr(parsed, "date"):
        date = datetime.date.fromisoformat(details["date"])
        if getattr(parsed.date, "date", None) != date:
            changes["date"] = DocumentDate(date=date, precision=DatePrecision.DAY, text=f"{date:%d %B %Y}".lstrip("0"))
    return dataclasses.replace(parsed, **changes) if changes else parsed


def _original(originals: list, item: dict):
    src = item.get("src")
    return originals[src] if isinstance(src, int) and 0 <= src < len(originals) else None


def _occurrence(item: dict, originals: list, position: int) -> RecommendationOccurrence:
    values = {
        "number": int(item["number"]),
        "text": item["text"],
        "addressees": list(item.get("addressees") or []),
        "deadline": _deadline_of(item, "deadline"),
    }
    original = _original(originals, item)
    if original is None:  # typed by the editor: one line of the typed list each
        return RecommendationOccurrence(chapter="", line=position + 1, section=TYPED_SECTION, **values)
    return dataclasses.replace(original, **values)


def _reply(item: dict, originals: list, position: int):
    commitments = [
        ParsedCommitment(text=c["text"], owner=c.get("owner") or "", due=_deadline_of(c, "due"))
        for c in item.get("commitments") or []
    ]
    values = {"number": int(item["number"]), "recommendation_text": item.get("restated") or "", "text": item["text"], "commitments": commitments}
    original = _original(originals, item)
    if original is None:
        raise ReviewInvalid(f"Reply {item['number']} is not one the letter has.")
    return dataclasses.replace(original, **values)


def _unique_lines(occurrences: list[RecommendationOccurrence]) -> list[RecommendationOccurrence]:
    """Each copy of a document is saved once per (section, line): a split item's second part takes
    the next free line after its first part's."""
    used: set[tuple[str, int]] = set()
    unique = []
    for occurrence in occurrences:
        line = occurrence.line
        while (occurrence.section, line) in used:
            line += 1
        used.add((occurrence.section, line))
        unique.append(occurrence if line == occurrence.line else dataclasses.replace(occurrence, line=line))
    return unique


def reply_key(position: int, number: int | None = None) -> str:
    """How a review names a letter's reply: "@3" for the fourth reply of the letter as reviewed. A
    reply to every recommendation at once, made one reply per recommendation, is "@3.7" for its
    answer to recommendation 7."""
    return f"@{position}" if number is None else f"@{position}.{number}"


def reply_target(matches: dict, key: str, number: int):
    """The correction ``matches`` holds for the reply ``key`` (numbered ``number``): by its key, else
    by its number (a review kept before keys were positions: it applies, as it did, to the replies
    of that number); ``number`` itself when there is none."""
    if key in matches:
        return matches[key]
    return matches.get(number, number)


def review_matches(review: dict | None) -> dict[int | str, int | None]:
    """A letter's corrected matches (reply key, or the number of a review kept before keys ->
    recommendation number, None: left out)."""
    matches = (review or {}).get("matches") or {}
    return {(key if str(key).startswith("@") else int(key)): (None if target is None else int(target)) for key, target in matches.items()}


def moved_keys(corrections: dict, before: list[dict], edited: list[dict], *, split: int | None = None, merge: int | None = None) -> dict:
    """``corrections`` (by reply key) still naming the same replies after the editor changed the
    items: ``edited`` is ``before`` with its fields corrected, then item ``split`` was split in two and
    item ``merge`` joined with the next. A renumbered reply loses its correction (it is matched again
    by its new number), so does a reply merged into the one before; later replies keep theirs."""
    kept = {}
    for key, value in corrections.items():
        position, dot, rest = str(key).lstrip("@").partition(".")
        if not str(key).startswith("@") or not position.isdigit():
            continue
        at = int(position)
        if at >= len(before) or at >= len(edited) or before[at].get("number") != edited[at].get("number"):
            continue
        if split is not None and at > split:
            at += 1
        if merge is not None and at == merge + 1:
            continue
        if merge is not None and at > merge + 1:
            at -= 1
        kept[reply_key(at) + (dot + rest if dot else "")] = value
    return kept


def review_revision(review: dict | None, report_slug: str) -> str:
    """A short fingerprint of the review as a page showed it: a post from an older page is refused."""
    kept = {key: value for key, value in (review or {}).items() if value not in ({}, [], None, "", False)}
    body = json.dumps([report_slug, kept], sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


# --- changing an item's boundaries -----------------------------------------------------------------

_SENTENCE_START = re.compile(r"(?<=[.!?:;])[\"”’')]?\s+(?=[A-Z0-9£“\"‘'(•\-])|\n\s*\n\s*")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence (or paragraph) of ``text`` after the first begins."""
    return [match.end() for match in _SENTENCE_START.finditer(text) if match.end() < len(text.rstrip())]


def split_choices(text: str, words: int = 8) -> list[tuple[int, str]]:
    """(sentence index, its opening words) for each place an item can be split."""
    choices = []
    for index, start in enumerate(sentence_starts(text), start=1):
        opening = text[start:].split()
        choices.append((index, " ".join(opening[:words]) + (" …" if len(opening) > words else "")))
    return choices


def split_item(items: list[dict], index: int, at: int) -> list[dict]:
    """``items`` with item ``index`` split in two before its sentence ``at`` (1: the second)."""
    if not 0 <= index < len(items):
        raise ReviewInvalid("There is no such item to split.")
    item = items[index]
    starts = sentence_starts(item["text"])
    if not 1 <= at <= len(starts):
        raise ReviewInvalid(f"Item {index + 1} cannot be split there: choose a sentence it has after its first.")
    first, second = item["text"][: starts[at - 1]].rstrip(), item["text"][starts[at - 1]:].strip()
    head, tail = {**item, "text": first}, {**item, "text": second}
    if "commitments" in item:  # a letter's reply: each promise goes with the part that makes it
        head["commitments"] = [c for c in item["commitments"] if c["text"] not in second]
        tail["commitments"] = [c for c in item["commitments"] if c["text"] in second]
        tail["restated"] = ""
    else:
        head.update(addressees=addressees_of(first) or item.get("addressees", []))
        tail.update(addressees=addressees_of(second) or item.get("addressees", []), **_deadline_item(find_deadline(second), "deadline"))
    return items[:index] + [head, tail] + items[index + 1:]


def merge_items(items: list[dict], index: int) -> list[dict]:
    """``items`` with item ``index`` and the one after it joined into one (the first's number)."""
    if not 0 <= index < len(items) - 1:
        raise ReviewInvalid("There is no next item to merge with.")
    first, second = items[index], items[index + 1]
    merged = {**first, "text": f"{first['text']}\n\n{second['text']}" if "commitments" in first else f"{first['text']} {second['text']}"}
    if "commitments" in first:
        merged["commitments"] = first["commitments"] + second["commitments"]
        merged["restated"] = first.get("restated") or second.get("restated", "")
    else:
        merged["addressees"] = list(dict.fromkeys(first.get("addressees", []) + second.get("addressees", [])))
        if not first.get("deadline"):
            merged.update({key: second.get(key) for key in ("deadline", "deadline_text", "deadline_precision")})
    return items[:index] + [merged] + items[index + 2:]


# --- recommendations typed or pasted by the editor ---------------------------------------------------

_NUMBERED = re.compile(r"^\s*(?:recommendation\s+)?(\d{1,4})\s*[.):\-–]?\s+(?=\S)", re.I | re.M)


def typed_items(text: str, *, after: int = 0) -> list[dict]:
    """Recommendations typed or pasted: numbered paragraphs ("1. ...", "Recommendation 2: ...")
    keep their numbers; otherwise each non-empty line is one, numbered on from ``after``."""
    marks = list(_NUMBERED.finditer(text))
    if marks:
        pieces = [(int(mark.group(1)), text[mark.end(): nxt.start() if nxt else len(text)]) for mark, nxt in zip(marks, marks[1:] + [None], strict=True)]
    else:
        lines = [line for line in text.splitlines() if line.strip()]
        pieces = list(enumerate(lines, start=after + 1))
    items = []
    for number, body in pieces:
        body = " ".join(body.split())
        if body:
            items.append({"src": None, "number": number, "text": body, "addressees": addressees_of(body), **_deadline_item(find_deadline(body), "deadline")})
    return items


# --- which recommendation a reply answers ------------------------------------------------------------


def suggestions(restated: str, recommendations: dict[int, str]) -> list[tuple[int, float]]:
    """The report's recommendations, closest to a reply's restatement first (word overlap)."""
    if not restated:
        return [(number, 0.0) for number in sorted(recommendations)]
    scored = [(number, restated_matches(restated, wording)) for number, wording in recommendations.items()]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0]))


@dataclass(frozen=True)
class Flag:
    """A reply whose restatement agrees better with another recommendation than with its match."""

    reply_number: int
    matched: int | None  # the recommendation it is matched to now
    matched_score: float
    better: int  # the recommendation its restatement agrees with best
    better_score: float

    def __str__(self) -> str:
        return (
            f"Check reply {self.reply_number}: the letter heads it as answering recommendation {self.matched}, "
            f"but its restated text matches recommendation {self.better} better "
            f"({self.better_score:.0%} of the words agree, against {self.matched_score:.0%}). "
            "Choose which recommendation it answers before you confirm."
        )


def reply_flag(reply_number: int, restated: str, matched: int | None, recommendations: dict[int, str]) -> Flag | None:
    """A ``Flag`` when the restatement matches another recommendation clearly better, else None."""
    if not restated or matched is None or not recommendations:
        return None
    ranked = suggestions(restated, recommendations)
    best, best_score = ranked[0]
    own = restated_matches(restated, recommendations[matched]) if matched in recommendations else 0.0
    if best != matched and best_score >= FLAG_FLOOR and best_score >= own + FLAG_MARGIN:
        return Flag(reply_number, matched, own, best, best_score)
    return None


def future_date(parsed, today: datetime.date) -> datetime.date | None:
    """The document's date when it is after ``today`` (a typing or reading mistake, usually)."""
    date = getattr(getattr(parsed, "date", None), "date", None)
    return date if date is not None and date > today else None


def typed_text(parsed) -> str:
    """A document's text when it has none (a report entered by hand): its recommendations, one a line."""
    return "\n".join(f"{item.number}. {item.text}" for item in getattr(parsed, OCCURRENCES, None) or [])
