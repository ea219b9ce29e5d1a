"""Tests for parse_report_page: the VAWG report's web page seed, and a page with another layout."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from importer.parsing.report_page import parse_report_page
from importer.parsing.text import normalise_for_comparison
from importer.parsing.types import DatePrecision, ParseError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "fixtures" / "sources"
TRUTH = json.loads((ROOT / "tests" / "truth_seeds.json").read_text(encoding="utf-8"))
VAWG = TRUTH["reports"]["vawg"]


@pytest.fixture(scope="module")
def page_text() -> str:
    return (SOURCES / "002_7c65ebac806b2e61.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(page_text):
    return parse_report_page(page_text)


def test_seed_page_details(page):
    assert page.kind == "report_page"
    assert page.title == VAWG["title"]  # not "Skip to main content", "Home" or the sidebar link
    assert page.committee == VAWG["committee"]
    assert page.date.date is None and page.date.precision == DatePrecision.UNKNOWN  # "Publication date:" is empty
    assert page.stated_count == 14
    assert page.warnings == []


def test_seed_page_recommendations(page):
    assert [o.number for o in page.occurrences] == list(range(1, 15))
    for occurrence in page.occurrences:
        truth = VAWG["recommendations"][str(occurrence.number)]
        assert occurrence.section == "page"
        assert occurrence.chapter == ""
        assert normalise_for_comparison(occurrence.text).startswith(normalise_for_comparison(truth["starts"])), occurrence.number
        assert occurrence.addressees == truth["to"], occurrence.number
        if truth["deadline"] is None:
            assert occurrence.deadline is None, occurrence.number
        else:
            assert occurrence.deadline.date == datetime.date.fromisoformat(truth["deadline"])
            assert occurrence.deadline.text == truth["deadline_text"]


def test_seed_page_texts_are_whole_paragraphs_without_navigation(page, page_text):
    lines = page_text.splitlines()
    for occurrence in page.occurrences:
        assert lines[occurrence.line - 1].strip() == f"Recommendation {occurrence.number}"
        assert occurrence.text.endswith(".")
        for navigation in ("Back to table of contents", "Related documents", "Read the Mayor", "Recommendation "):
            assert navigation not in occurrence.text
    assert page.occurrences[3].text.endswith("particularly Black and minority ethnic women and organisations.")
    assert page.occurrences[-1].text.endswith("including early intervention.")
    assert "\u2018by and for\u2019" in page.occurrences[9].text  # curly quotes kept


OTHER_PAGE = """Skip to main content
Menu
Home
London Assembly
Publications

Fire Safety in Tower Blocks

Assembly to vote on budget

Key information

Publication type: Report
Publication date: 12 March 2021

The Planning Committee looked at fire safety in tower blocks across London and what the Mayor can do about it.

The report makes the following three recommendations:

Recommendation 1

The Mayor should publish a list of all tower blocks with unsafe cladding by June 2021.

Recommendation 2

MOPAC must work with the London Fire Brigade to inspect every tower block annually.

Recommendation 3: The Mayor must lobby the Government for a fund to remove unsafe cladding.

Back to top

Related documents

Fire Safety in Tower Blocks Report

Recommendation 9

Not part of this page's content.
"""


def test_other_page_layout():
    page = parse_report_page(OTHER_PAGE)
    assert page.title == "Fire Safety in Tower Blocks"
    assert page.committee == "Planning Committee"
    assert page.date.date == datetime.date(2021, 3, 12) and page.date.precision == DatePrecision.DAY
    assert page.stated_count == 3
    assert [o.number for o in page.occurrences] == [1, 2, 3]  # nothing after "Back to top"
    first, second, third = page.occurrences
    assert first.deadline.date == datetime.date(2021, 6, 30) and first.deadline.text == "by June 2021"
    assert second.addressees == ["MOPAC"]
    assert third.text == "The Mayor must lobby the Government for a fund to remove unsafe cladding."
    assert OTHER_PAGE.splitlines()[third.line - 1].startswith("Recommendation 3: The Mayor must lobby")
    assert page.warnings == []


def test_publication_date_on_the_next_line():
    page = parse_report_page(
        "Home\n\nKnife Crime\n\nPublication date:\n\n5 May 2022\n\nRecommendation 1\n\nThe Mayor should act.\n"
    )
    assert page.title == "Knife Crime"
    assert page.date.date == datetime.date(2022, 5, 5)


def test_stated_count_mismatch_and_gap_are_warned():
    page = parse_report_page(
        "Knife Crime\n\nThe report makes the following 3 recommendations:\n\n"
        "Recommendation 1\n\nThe Mayor should act.\n\nRecommendation 3\n\nMOPAC should act.\n"
    )
    assert page.stated_count == 3
    assert any("2" in warning and "gap" in warning.lower() for warning in page.warnings)
    assert any("3 recommendations" in warning for warning in page.warnings)


@pytest.mark.parametrize("text", ["", " \n "])
def test_empty_page_raises(text):
    with pytest.raises(ParseError, match="empty"):
        parse_report_page(text)


def test_page_without_recommendations_raises():
    with pytest.raises(ParseError, match="No recommendations"):
        parse_report_page("Skip to main content\nHome\n\nBudget 2023\n\nThe Assembly approved the budget.\n")
