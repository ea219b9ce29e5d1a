"""Tests for merge_occurrences: copies of a recommendation merged within and across documents."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from importer.parsing.addressees import addressees_of
from importer.parsing.committee_report import parse_committee_report
from importer.parsing.deadlines import find_deadline
from importer.parsing.merge import MergedRecommendation, merge_occurrences
from importer.parsing.report_page import parse_report_page
from importer.parsing.text import clean_text, normalise_for_comparison
from importer.parsing.types import DatePrecision, Deadline, RecommendationOccurrence

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "fixtures" / "sources"
TRUTH = json.loads((ROOT / "tests" / "truth_seeds.json").read_text(encoding="utf-8"))


def _occurrence(number, text, *, section="summary", line=1, chapter="", deadline=None, addressees=None):
    return RecommendationOccurrence(
        number=number,
        text=text,
        addressees=addressees if addressees is not None else addressees_of(text),
        chapter=chapter,
        deadline=deadline,
        line=line,
        section=section,
    )


MAY = Deadline(date=datetime.date(2020, 5, 31), text="by May 2020", precision=DatePrecision.MONTH)
JULY = Deadline(date=datetime.date(2020, 7, 31), text="by July 2020", precision=DatePrecision.MONTH)


# --- the domestic abuse report: summary and chapter copies -------------------------------------


@pytest.fixture(scope="module")
def domestic_abuse() -> list[MergedRecommendation]:
    text = (SOURCES / "003_7e0a022b52963b59.txt").read_text(encoding="utf-8")
    return merge_occurrences(parse_committee_report(text).occurrences)


def test_seed_report_merges_to_sixteen(domestic_abuse):
    truth = TRUTH["reports"]["domestic_abuse"]["recommendations"]
    assert [merged.number for merged in domestic_abuse] == list(range(1, 17))
    for merged in domestic_abuse:
        expected = truth[str(merged.number)]
        assert len(merged.occurrences) == 2
        assert merged.addressees == expected["to"]
        assert normalise_for_comparison(merged.chapter) == expected["chapter"]
        if "deadline_conflict" in expected:
            continue
        if expected["deadline"] is None:
            assert merged.deadline is None and merged.deadline_conflicts == []
        else:
            assert merged.deadline.date == datetime.date.fromisoformat(expected["deadline"])
            assert merged.deadline.text == expected["deadline_text"]
            assert merged.deadline_conflicts == []  # both copies agree


def test_seed_recommendation_16_conflict_is_kept(domestic_abuse):
    merged = domestic_abuse[15]
    expected = [datetime.date.fromisoformat(value) for value in TRUTH["reports"]["domestic_abuse"]["recommendations"]["16"]["deadline_conflict"]]
    assert [deadline.date for deadline, _, _ in merged.deadline_conflicts] == expected
    assert [(deadline.text, section) for deadline, section, _ in merged.deadline_conflicts] == [
        ("by May 2020", "summary"),
        ("by July 2020", "chapter"),
    ]
    summary_line, chapter_line = (line for _, _, line in merged.deadline_conflicts)
    assert summary_line < chapter_line
    assert merged.deadline.date == datetime.date(2020, 5, 31)  # the earliest, never a silent pick


def test_seed_fullest_and_short_wording(domestic_abuse):
    # the summary and chapter copies read the same except rec 16 (May vs July 2020)
    differing = [merged.number for merged in domestic_abuse if merged.short_text]
    assert differing == [16]
    rec16 = domestic_abuse[15]
    assert "by July 2020" in rec16.text and "by May 2020" in rec16.short_text


# --- across documents: the VAWG web page and the Mayor's letter restating each recommendation ---


def _letter_restatements() -> list[RecommendationOccurrence]:
    """The letter's restated recommendations ("## **Recommendation N**" then a bold paragraph).

    Read here with a few lines of test scaffolding, so this test depends only on merge.
    """
    lines = (SOURCES / "001_79a9159c5d07971e.txt").read_text(encoding="utf-8").splitlines()
    found = []
    for index, line in enumerate(lines):
        match = re.match(r"^#+\s*\*\*Recommendation (\d+)\*\*\s*$", line)
        if match:
            paragraph = next(other for other in lines[index + 1 :] if other.strip())
            text = clean_text([paragraph])
            found.append(
                _occurrence(int(match.group(1)), text, section="letter", line=index + 1, deadline=find_deadline(text))
            )
    return found


@pytest.fixture(scope="module")
def vawg() -> list[MergedRecommendation]:
    page = parse_report_page((SOURCES / "002_7c65ebac806b2e61.txt").read_text(encoding="utf-8"))
    letter = _letter_restatements()
    assert len(letter) == 14
    return merge_occurrences(page.occurrences + letter)


def test_vawg_fullest_text_comes_from_the_letter(vawg):
    truth = TRUTH["reports"]["vawg"]["recommendations"]
    assert [merged.number for merged in vawg] == list(range(1, 15))
    first = vawg[0]
    assert {copy.section for copy in first.occurrences} == {"page", "letter"}
    assert first.text.endswith("MOPAC must also ensure it has robust performance-monitoring arrangements in place to hold the Met to account on this.")
    assert first.short_text.startswith("MOPAC must work with the Met") and first.short_text.endswith("protected characteristics.")
    assert first.addressees == truth["1"]["to"]
    for merged in vawg:
        assert normalise_for_comparison(merged.text).startswith(normalise_for_comparison(truth[str(merged.number)]["starts"]))


def test_vawg_deadlines_agree_across_documents(vawg):
    truth = TRUTH["reports"]["vawg"]["recommendations"]
    for merged in vawg:
        expected = truth[str(merged.number)]["deadline"]
        assert merged.deadline_conflicts == []
        assert (merged.deadline.date.isoformat() if merged.deadline else None) == expected


def test_vawg_same_wording_has_no_short_text(vawg):
    # rec 2 reads the same on the page and in the letter
    assert vawg[1].short_text == ""


# --- small cases -------------------------------------------------------------------------------


def test_empty_input():
    assert merge_occurrences([]) == []


def test_groups_by_number_in_number_order():
    merged = merge_occurrences([
        _occurrence(2, "MOPAC should act."),
        _occurrence(1, "The Mayor should act."),
        _occurrence(2, "MOPAC should act now.", section="chapter"),
    ])
    assert [(m.number, len(m.occurrences)) for m in merged] == [(1, 1), (2, 2)]
    assert merged[1].text == "MOPAC should act now."
    assert merged[1].short_text == "MOPAC should act."


def test_quote_and_space_differences_do_not_make_a_short_text():
    merged = merge_occurrences([
        _occurrence(1, "The Mayor\u2019s strategy must act."),
        _occurrence(1, "The Mayor's  strategy must act.", section="letter"),
    ])
    assert merged[0].short_text == ""
    assert merged[0].text == "The Mayor\u2019s strategy must act."  # first of equals, curly quotes kept


def test_addressees_are_the_union_in_order():
    merged = merge_occurrences([
        _occurrence(1, "x", addressees=["MOPAC"]),
        _occurrence(1, "y", addressees=["Met", "MOPAC"], section="letter"),
        _occurrence(1, "z", addressees=["Mayor"], section="chapter"),
    ])
    assert merged[0].addressees == ["MOPAC", "Met", "Mayor"]


def test_chapter_prefers_chapter_copies():
    merged = merge_occurrences([
        _occurrence(1, "a", chapter="Summary group"),
        _occurrence(1, "b", chapter="", section="chapter"),
        _occurrence(1, "c", chapter="Prevention", section="chapter"),
    ])
    assert merged[0].chapter == "Prevention"
    only_summary = merge_occurrences([_occurrence(1, "a", chapter=""), _occurrence(1, "b", chapter="Group")])
    assert only_summary[0].chapter == "Group"


def test_conflicting_deadlines_are_all_listed_and_earliest_is_used():
    merged = merge_occurrences([
        _occurrence(5, "MOPAC should report by July 2020.", section="chapter", line=900, deadline=JULY),
        _occurrence(5, "MOPAC should report by May 2020.", section="summary", line=100, deadline=MAY),
        _occurrence(5, "MOPAC should report by May 2020.", section="page", line=10, deadline=MAY),
    ])[0]
    assert merged.deadline == MAY
    assert merged.deadline_conflicts == [(MAY, "summary", 100), (JULY, "chapter", 900)]


def test_a_copy_without_a_deadline_is_not_a_conflict():
    merged = merge_occurrences([
        _occurrence(1, "MOPAC should report by May 2020.", deadline=MAY),
        _occurrence(1, "MOPAC should report.", section="page"),
    ])[0]
    assert merged.deadline == MAY
    assert merged.deadline_conflicts == []


def test_no_deadline_anywhere():
    merged = merge_occurrences([_occurrence(1, "The Mayor should act."), _occurrence(1, "The Mayor should act.", section="chapter")])[0]
    assert merged.deadline is None and merged.deadline_conflicts == []
