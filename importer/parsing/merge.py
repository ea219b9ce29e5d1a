"""Merge the copies of each numbered recommendation into one recommendation.

A recommendation is stated several times: the report's summary list, its chapter, the report's
web page (a short form) and the response letter that restates it. ``merge_occurrences`` groups
the copies by number and keeps everything a reader needs to check them against each other: the
fullest wording, the shortest wording when it differs, every addressee named in any copy, and
every deadline. When copies give different deadline dates none is silently chosen: the earliest
is used as *the* deadline (the strictest reading) and every distinct date is listed in
``deadline_conflicts`` with the copy it came from.

Pure: occurrences in, dataclasses out. The caller decides which occurrences belong to the same
report (numbers are only unique within one report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import normalise_for_comparison
from .types import Deadline, RecommendationOccurrence

__all__ = ["MergedRecommendation", "merge_occurrences"]


@dataclass
class MergedRecommendation:
    """One numbered recommendation, merged from all the places it is stated."""

    number: int
    text: str  # the fullest wording among the copies
    short_text: str  # the shortest wording, if it differs from ``text``; else ""
    addressees: list[str]  # union of the copies' addressees, in the order first named
    chapter: str  # first non-empty chapter, preferring copies from the chapters
    deadline: Deadline | None  # the earliest deadline among the copies
    # one (Deadline, section, line) per distinct deadline date, when copies disagree; else empty
    deadline_conflicts: list[tuple[Deadline, str, int]] = field(default_factory=list)
    occurrences: list[RecommendationOccurrence] = field(default_factory=list)


def _length(occurrence: RecommendationOccurrence) -> int:
    return len(normalise_for_comparison(occurrence.text))


# On equal length, the committee's own wording beats a restatement, so the choice never depends on
# the order documents were imported in (re-importing must change nothing).
_SECTION_RANK = {"chapter": 3, "summary": 2, "page": 1, "letter": 0}


def _preference(occurrence: RecommendationOccurrence) -> tuple:
    return (_SECTION_RANK.get(occurrence.section, -1), occurrence.text)


def merge_occurrences(occurrences: list[RecommendationOccurrence]) -> list[MergedRecommendation]:
    """Group ``occurrences`` by number and merge each group, ordered by number.

    - ``text``: the longest wording (on a tie, the first given);
    - ``short_text``: the shortest wording when it reads differently from ``text`` (quotes,
      dashes and spacing are ignored when comparing), else "";
    - ``addressees``: every addressee of every copy, in the order first met;
    - ``chapter``: the first non-empty chapter of a "chapter" copy, else of any copy;
    - ``deadline``: the earliest deadline date among copies (None when no copy has one);
    - ``deadline_conflicts``: when copies give different dates, one entry per distinct date
      (the first copy giving it), earliest first. A copy that states no deadline does not
      disagree: short forms often leave the date out.
    """
    groups: dict[int, list[RecommendationOccurrence]] = {}
    for occurrence in occurrences:
        groups.setdefault(occurrence.number, []).append(occurrence)

    merged: list[MergedRecommendation] = []
    for number in sorted(groups):
        copies = groups[number]
        fullest = max(copies, key=lambda copy: (_length(copy), _preference(copy)))
        shortest = min(copies, key=lambda copy: (_length(copy), -_SECTION_RANK.get(copy.section, -1), copy.text))
        short_text = ""
        if normalise_for_comparison(shortest.text) != normalise_for_comparison(fullest.text):
            short_text = shortest.text

        addressees: list[str] = []
        for copy in copies:
            for key in copy.addressees:
                if key not in addressees:
                    addressees.append(key)

        chapter = next((copy.chapter for copy in copies if copy.section == "chapter" and copy.chapter), "")
        chapter = chapter or next((copy.chapter for copy in copies if copy.chapter), "")

        dated = [copy for copy in copies if copy.deadline is not None]
        first_by_date: dict = {}
        for copy in dated:
            first_by_date.setdefault(copy.deadline.date, copy)
        deadline = min((copy.deadline for copy in dated), key=lambda d: d.date) if dated else None
        conflicts: list[tuple[Deadline, str, int]] = []
        if len(first_by_date) > 1:
            conflicts = [
                (copy.deadline, copy.section, copy.line)
                for _, copy in sorted(first_by_date.items(), key=lambda item: item[0])
            ]
        if deadline is not None and first_by_date:
            deadline = first_by_date[deadline.date].deadline  # the first copy's words for that date

        merged.append(
            MergedRecommendation(
                number=number,
                text=fullest.text,
                short_text=short_text,
                addressees=addressees,
                chapter=chapter,
                deadline=deadline,
                deadline_conflicts=conflicts,
                occurrences=list(copies),
            )
        )
    return merged
