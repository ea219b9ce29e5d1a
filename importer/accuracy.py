"""How well the importer reads a folder of documents, against hand labels (``import_accuracy``).

Pure apart from reading the files: each document is read and parsed as an import would (nothing
is written), then compared with its labels in the development corpus's schema (``labels.json``:
per document ``kind``, ``recommendations`` with ``number``/``numbered_in_text``/``first_words``/
``addressees``/``deadline_text``/``deadline_date``, ``replies`` with ``answers``/``status``/
``commitments``). Recommendations are matched by number when the label says they are numbered,
else by their first words; a parsed item matched to no label is spurious.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .parsing import families
from .parsing.addressees import restated_addressees
from .parsing.extract import extract_text
from .parsing.items import item_deadline
from .parsing.types import ParseContext, ParsedConsultation, ParsedLetter, ParsedReport

READABLE = (".txt", ".pdf", ".html", ".htm", ".md")
_HEADER = re.compile(r"^(?:SOURCE|FRAGMENT):")
FIRST_WORDS_MATCH = 0.6  # share of a label's first words an item must start with to be that item
COUNTS = (
    "documents", "kind_right", "recommendations", "found", "missed", "spurious", "addressees_right",
    "deadline_texts", "deadline_texts_right", "deadline_dates", "deadline_dates_right",
    "replies", "replies_matched", "positions", "positions_right", "commitments", "commitments_found",
)


@dataclass
class Item:
    """One thing a parse found, reduced to what the labels describe."""

    number: int | None
    text: str
    addressees: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline_date: str | None = None


@dataclass
class DocumentScore:
    name: str
    kind_label: str
    kind_found: str  # a label kind, or "refused"/"crashed"
    problem: str = ""  # why it was refused, or the exception
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    notes: list[str] = field(default_factory=list)  # what was missed or spurious, briefly


def strip_corpus_header(text: str) -> str:
    """Drop the corpus's own header lines (``SOURCE:``/``FRAGMENT:``) from the top of a document."""
    lines = text.split("\n")
    while lines and _HEADER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


def labels_path(folder: Path, labels: Path | None = None) -> Path:
    if labels:
        return labels
    for candidate in (folder / "labels.json", folder.parent / "labels.json"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"No labels file: looked for {folder / 'labels.json'} and {folder.parent / 'labels.json'} (give --labels).")


def _plain(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.findall(r"[a-z0-9£']+", text.casefold()))


def _name(text: str, aliases: dict[str, str]) -> str:
    """A body's name for comparing: through the aliases, without "the", case or punctuation."""
    plain = _plain(text)
    plain = _plain(aliases.get(plain, aliases.get(re.sub(r"^the ", "", plain), text)))
    return re.sub(r"^the ", "", plain)


def read_text(path: Path) -> str:
    return strip_corpus_header(extract_text(path.read_bytes(), name=path.name))


# --- what a parse found ------------------------------------------------------------------------


def _deadline_of(occurrence) -> tuple[str, str | None]:
    deadline = occurrence.deadline
    words = getattr(occurrence, "deadline_words", "") or (deadline.text if deadline else "")
    return words, (deadline.date.isoformat() if deadline else None)


def items_of(parsed, aliases: dict[str, str] | None = None) -> list[Item]:
    """The recommendations (or asks, or restated recommendations) a parse found, one per number."""
    if isinstance(parsed, ParsedReport):
        seen: dict[int, Item] = {}
        for occurrence in parsed.occurrences:
            if occurrence.number not in seen:
                words, date = _deadline_of(occurrence)
                seen[occurrence.number] = Item(occurrence.number, occurrence.text, list(occurrence.addressees), words, date)
        return list(seen.values())
    if isinstance(parsed, ParsedLetter):  # restatements, as the saver records them (services.document_import)
        items = []
        for reply in parsed.replies:
            if reply.recommendation_text:
                deadline, words, _ = item_deadline(reply.recommendation_text)
                date = deadline.date.isoformat() if deadline else None
                who = restated_addressees(reply.recommendation_text, aliases=aliases)
                items.append(Item(reply.number, reply.recommendation_text, who, words, date))
        return items
    if isinstance(parsed, ParsedConsultation):
        asks = [ask for submission in parsed.submissions for ask in submission.asks]
        return [Item(ask.number or position, ask.text) for position, ask in enumerate(asks, 1)]
    return []


def _starts_like(text: str, first_words: str) -> float:
    label, found = _plain(first_words).split(), _plain(text).split()
    if not label:
        return 0.0
    window = set(found[: len(label) + 4])
    return sum(word in window for word in label) / len(label)


def _number(value) -> int | None:
    return int(value) if str(value).strip().isdigit() else None


def match_items(labelled: list[dict], found: list[Item]) -> list[tuple[dict, Item | None]]:
    """Each labelled recommendation with the parsed item it is (None: missed)."""
    unused = list(found)
    pairs = []
    for label in labelled:
        item = None
        number = _number(label.get("number")) if label.get("numbered_in_text") else None
        if number is not None:
            item = next((candidate for candidate in unused if candidate.number == number), None)
        if item is None:
            best = max(unused, key=lambda candidate: _starts_like(candidate.text, label.get("first_words", "")), default=None)
            if best is not None and _starts_like(best.text, label.get("first_words", "")) >= FIRST_WORDS_MATCH:
                item = best
        if item is not None:
            unused.remove(item)
        pairs.append((label, item))
    return pairs


# --- scoring one document -----------------------------------------------------------------------


def _same_words(left: str, right: str) -> bool:
    left, right = _plain(left), _plain(right)
    return left == right or bool(left and right and (left in right or right in left))


def _score_items(score: DocumentScore, label: dict, parsed, aliases: dict[str, str]) -> None:
    labelled = label.get("recommendations") or []
    found = items_of(parsed, aliases) if parsed is not None else []
    pairs = match_items(labelled, found)
    counts = score.counts
    counts["recommendations"] += len(labelled)
    matched_ids = {id(item) for _, item in pairs if item is not None}
    counts["spurious"] += sum(id(item) not in matched_ids for item in found)
    for entry, item in pairs:
        if item is None:
            counts["missed"] += 1
            score.notes.append(f"missed {entry.get('number')}: {entry.get('first_words', '')[:50]}")
            continue
        counts["found"] += 1
        wanted = sorted({_name(name, aliases) for name in entry.get("addressees") or []})
        got = sorted({_name(name, aliases) for name in item.addressees})
        if wanted == got:
            counts["addressees_right"] += 1
        elif isinstance(parsed, ParsedReport):
            score.notes.append(f"addressees of {entry.get('number')}: wanted {wanted}, found {got}")
        if entry.get("deadline_text"):
            counts["deadline_texts"] += 1
            counts["deadline_texts_right"] += _same_words(entry["deadline_text"], item.deadline_text)
        if entry.get("deadline_date"):
            counts["deadline_dates"] += 1
            counts["deadline_dates_right"] += entry["deadline_date"] == item.deadline_date
    for item in found:
        if id(item) not in matched_ids:
            score.notes.append(f"spurious {item.number}: {item.text[:50]}")


_POSITION_WORDS = {
    "accepted in principle": "accepted_in_principle",
    "partially": "partially_accepted",
    "rejected": "not_accepted",
    "not accepted": "not_accepted",
    "supported": "supported",
    "endorsed": "supported",
    "accepted": "accepted",
}


def position_key(words: str) -> str:
    """A stated position in words ("accepted in principle", "does not accept") as one key."""
    plain = _plain(words or "").replace("_", " ")
    for phrase in ("not accept", "reject", "in principle", "partial", "support", "endors", "welcome", "accept", "noted", "consider"):
        if phrase in plain:
            return {
                "not accept": "not_accepted", "reject": "not_accepted", "in principle": "accepted_in_principle",
                "partial": "partially_accepted", "support": "supported", "endors": "supported", "welcome": "supported",
                "accept": "accepted", "noted": "noted", "consider": "under_consideration",
            }[phrase]
    return ""


def _reply_matches(answer, reply) -> bool:
    """A labelled reply's ``answers`` (a number, "Recommendation 4 (costed growth strategy)", or a
    topic in words, notes in brackets) against a parsed reply: its number, else its topic's and
    opening words."""
    answer = re.sub(r"\([^()]*\)", " ", str(answer))  # the label's notes in brackets
    named = re.match(r"^\s*recommendation\s+(\d{1,3})\b", answer, re.I)
    number = _number(named.group(1) if named else answer)
    if number is not None:
        return reply.number == number or getattr(reply, "suggested_number", None) == number
    words = set(_plain(answer).replace("'", " ").split()) - {"the", "and", "of", "to", "a", "in", "on", "recommendations", "recommendation"}
    heading = set(_plain(f"{getattr(reply, 'topic', '')} {reply.recommendation_text} {reply.text[:200]}").replace("'", " ").split())
    return bool(words) and len(words & heading) / len(words) >= 0.5


def _score_replies(score: DocumentScore, label: dict, parsed) -> None:
    replies = list(parsed.replies) if isinstance(parsed, ParsedLetter) else []
    counts = score.counts
    unused = list(replies)
    for entry in label.get("replies") or []:
        counts["replies"] += 1
        reply = next((candidate for candidate in unused if _reply_matches(entry.get("answers"), candidate)), None)
        if reply is None:
            score.notes.append(f"reply to {entry.get('answers')} not matched")
            continue
        unused.remove(reply)
        counts["replies_matched"] += 1
        if entry.get("status"):
            counts["positions"] += 1
            counts["positions_right"] += position_key(entry["status"]) == position_key(getattr(reply, "stated_position", "") or "")
    # commitments are counted over the whole document, whether or not their reply was matched
    labelled = [c for entry in label.get("replies") or [] for c in entry.get("commitments") or []] + (label.get("commitments") or [])
    counts["commitments"] += len(labelled)
    loose = list(getattr(parsed, "commitments", None) or []) if isinstance(parsed, ParsedLetter) else []
    counts["commitments_found"] += _commitments_found(labelled, [c for reply in replies for c in reply.commitments] + loose)


def _commitments_found(labelled: list[dict], found: list) -> int:
    texts = [commitment.text for commitment in found]
    return sum(any(_starts_like(text, entry["text"][:80]) >= FIRST_WORDS_MATCH for text in texts) for entry in labelled)


def score_document(
    name: str, text: str, label: dict, *, aliases: dict[str, str], context: ParseContext | None = None
) -> tuple[DocumentScore, object]:
    """Parse ``text`` as an import would and compare it with its ``label``."""
    score = DocumentScore(name=name, kind_label=label.get("kind", ""), kind_found="")
    score.counts["documents"] = 1
    parsed = None
    try:
        family, parsed = families.read(text, context=context or ParseContext(aliases=aliases))
        score.kind_found = family.kind_of(parsed)
    except ValueError as error:  # ParseError: refused with a message
        score.kind_found, score.problem = "refused", str(error)
    except Exception as error:  # noqa: BLE001 - measured, not hidden: the report shows it
        score.kind_found, score.problem = "crashed", f"{type(error).__name__}: {error}"
    score.counts["kind_right"] = int(score.kind_found == score.kind_label)
    _score_items(score, label, parsed, aliases)
    _score_replies(score, label, parsed)
    return score, parsed


def _known_recommendations(parsed) -> list[tuple[int, str]] | None:
    if isinstance(parsed, ParsedReport):
        return [(item.number, item.text) for item in items_of(parsed)]
    return None


def measure(folder: Path, labels: dict, *, aliases: dict[str, str]) -> list[DocumentScore]:
    """Every labelled document in ``folder``, read, parsed and scored (reports before the replies
    that answer them, so a reply is matched against the report's own recommendations)."""
    documents = labels.get("documents", {})
    names = sorted(name for name in documents if (folder / name).exists())
    answers = {name: documents[name].get("answers_report_file") for name in names}
    order = sorted(names, key=lambda name: bool(answers[name]))
    parsed_by_name: dict[str, object] = {}
    scores = {}
    for name in order:
        context = ParseContext(aliases=aliases, recommendations=_known_recommendations(parsed_by_name.get(answers[name] or "")))
        try:
            text = read_text(folder / name)
        except ValueError as error:
            scores[name] = DocumentScore(name=name, kind_label=documents[name].get("kind", ""), kind_found="unreadable", problem=str(error))
            continue
        scores[name], parsed_by_name[name] = score_document(name, text, documents[name], aliases=aliases, context=context)
    return [scores[name] for name in names]


def totals(scores: list[DocumentScore]) -> dict[str, int]:
    total = dict.fromkeys(COUNTS, 0)
    for score in scores:
        for key, value in score.counts.items():
            total[key] += value
    return total


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def load_labels(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def as_json(scores: list[DocumentScore]) -> list[dict]:
    return [dataclasses.asdict(score) for score in scores]
