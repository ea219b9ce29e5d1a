"""Tests for parse_committee_report: the domestic abuse report seed, and small reports in other layouts."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from importer.parsing.committee_report import find_committee, find_stated_count, parse_committee_report
from importer.parsing.text import normalise_for_comparison
from importer.parsing.types import DatePrecision, ParseError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "fixtures" / "sources"
TRUTH = json.loads((ROOT / "tests" / "truth_seeds.json").read_text(encoding="utf-8"))
DOMESTIC_ABUSE = TRUTH["reports"]["domestic_abuse"]

# Footnote numbers glued to a word or sentence end, or page furniture, must not survive.
GLUED_NUMBER = re.compile(r"[a-z\u2019\u201d\"')][.,;:]?\d{1,3}\b")
FURNITURE = re.compile(r"London Assembly\s+[I|]\s+Police", re.I)


@pytest.fixture(scope="module")
def report_text() -> str:
    return (SOURCES / "003_7e0a022b52963b59.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(report_text):
    return parse_committee_report(report_text)


def _copies(report, number):
    return {occurrence.section: occurrence for occurrence in report.occurrences if occurrence.number == number}


def same(a: str, b: str) -> bool:
    return normalise_for_comparison(a) == normalise_for_comparison(b)


# --- the domestic abuse report (seed) ----------------------------------------------------------


def test_seed_report_details(report):
    assert report.kind == "committee_report"
    assert report.committee == DOMESTIC_ABUSE["committee"]
    assert report.chair == "Unmesh Desai AM"
    assert report.title == "Domestic abuse"
    assert DOMESTIC_ABUSE["title"].startswith(report.title)
    assert report.date.precision == DatePrecision.UNKNOWN  # the text gives no publication date
    assert report.warnings == []


def test_seed_has_sixteen_recommendations_each_in_summary_and_chapter(report):
    expected = sorted(int(number) for number in DOMESTIC_ABUSE["recommendations"])
    assert expected == list(range(1, 17))
    assert len(report.occurrences) == 32
    for number in expected:
        copies = [occurrence for occurrence in report.occurrences if occurrence.number == number]
        assert sorted(copy.section for copy in copies) == ["chapter", "summary"], number


def test_seed_summary_copies_come_before_chapter_copies(report):
    summary_lines = [o.line for o in report.occurrences if o.section == "summary"]
    chapter_lines = [o.line for o in report.occurrences if o.section == "chapter"]
    assert max(summary_lines) < min(chapter_lines)
    assert summary_lines == sorted(summary_lines) and chapter_lines == sorted(chapter_lines)


@pytest.mark.parametrize("number", range(1, 17))
def test_seed_addressees_and_chapters(report, number):
    truth = DOMESTIC_ABUSE["recommendations"][str(number)]
    for section, occurrence in _copies(report, number).items():
        assert occurrence.addressees == truth["to"], (number, section)
        assert same(occurrence.chapter, truth["chapter"]), (number, section, occurrence.chapter)


@pytest.mark.parametrize("number", range(1, 16))
def test_seed_deadlines(report, number):
    truth = DOMESTIC_ABUSE["recommendations"][str(number)]
    for section, occurrence in _copies(report, number).items():
        if truth["deadline"] is None:
            assert occurrence.deadline is None, (number, section, occurrence.deadline)
        else:
            assert occurrence.deadline is not None, (number, section)
            assert occurrence.deadline.date == datetime.date.fromisoformat(truth["deadline"])
            assert occurrence.deadline.text == truth["deadline_text"]
            assert occurrence.deadline.precision == DatePrecision.MONTH


def test_seed_recommendation_16_keeps_each_copys_own_deadline(report):
    truth = DOMESTIC_ABUSE["recommendations"]["16"]
    copies = _copies(report, 16)
    assert copies["summary"].deadline.date == datetime.date.fromisoformat(truth["deadline_conflict"][0])
    assert copies["summary"].deadline.text == "by May 2020"
    assert copies["chapter"].deadline.date == datetime.date.fromisoformat(truth["deadline_conflict"][1])
    assert copies["chapter"].deadline.text == "by July 2020"
    assert same(copies["chapter"].chapter, "Prevention")


def test_seed_texts_are_clean_and_complete(report):
    for occurrence in report.occurrences:
        text = occurrence.text
        assert not GLUED_NUMBER.search(text), (occurrence.number, occurrence.section, text)
        assert not FURNITURE.search(text), (occurrence.number, text)
        assert "\n" not in text and "  " not in text
        assert not text.startswith(("\u2022", "-", "Recommendation")), text
        assert re.match(r"^\d+\.", text) is None, text  # the list number is not part of the text
        assert text.endswith("."), (occurrence.number, occurrence.section, text)
        # no neighbouring headings or other items swallowed
        for intruder in ("Key findings", "Our approach", "Prevention Recommendation", "Recommendation "):
            assert intruder not in text, (occurrence.number, text)


def test_seed_text_across_a_page_break_and_without_a_footnote_marker(report):
    copies = _copies(report, 7)
    expected = (
        "The Committee calls on the Mayor and MOPAC to continue to support the Assembly\u2019s work in lobbying "
        "for the introduction of a Domestic Abusers Register and consider options for piloting a register in London."
    )
    assert copies["summary"].text == expected
    assert copies["chapter"].text == expected
    # rec 13's chapter copy runs over a page footer ("London Assembly I Police and Crime Committee 35")
    assert _copies(report, 13)["chapter"].text == (
        "The Mayor should set out how he intends to meet his equalities obligations and support all victims of "
        "domestic abuse, including refuge provision for male victims and those in same-sex relationships."
    )
    # rec 3's summary bullet is split by blank lines inside the item
    assert _copies(report, 3)["summary"].text.endswith("falling number of referrals from the Met to the Crown Prosecution Service.")


def test_seed_keeps_curly_quotes_in_stored_text(report):
    assert "\u2018task and finish\u2019" in _copies(report, 3)["summary"].text


def test_seed_lines_point_at_each_copy(report, report_text):
    lines = report_text.splitlines()
    for occurrence in report.occurrences:
        start = lines[occurrence.line - 1]
        if occurrence.section == "summary":
            assert re.match(rf"\s*Recommendation {occurrence.number}\s*$", start), (occurrence.number, start)
        else:
            assert start.strip().startswith(f"{occurrence.number}. "), (occurrence.number, start)
            assert normalise_for_comparison(occurrence.text).startswith(normalise_for_comparison(start.strip()[len(f"{occurrence.number}. "):]))


def test_seed_other_numbered_lists_are_not_recommendations(report):
    # the numbered chapter headings ("2. The Met's response") and paragraph numbers ("1.1 ...") are not items
    for occurrence in report.occurrences:
        assert occurrence.addressees, occurrence
        assert len(occurrence.text.split()) > 8


# --- other layouts -----------------------------------------------------------------------------

HEADINGS_REPORT = """Tackling Knife Crime
Police and Crime Committee
March 2023

Foreword

Jane Smith AM
Chair of the Police and Crime Committee

Knife crime has risen in every borough.1 We heard from young people and
youth workers across London.

Recommendation 1
The Mayor should publish a knife crime strategy by the end of June 2023.

Recommendation 2
MOPAC must fund youth services in every borough. It should report on progress
to this Committee.

Recommendation 3
The Met should review its use of stop and search powers and share the results
with the Committee by December 2023.2

Our approach

1. We held two public meetings.
2. We visited three boroughs.
3. We received written evidence from 20 organisations.
4. We met officers in four boroughs.
"""


def test_headings_and_paragraphs_report():
    report = parse_committee_report(HEADINGS_REPORT)
    assert report.title == "Tackling Knife Crime"
    assert report.committee == "Police and Crime Committee"
    assert report.chair == "Jane Smith AM"
    assert report.date.date == datetime.date(2023, 3, 31) and report.date.precision == DatePrecision.MONTH
    assert [o.number for o in report.occurrences] == [1, 2, 3]  # "Our approach" list ignored
    assert {o.section for o in report.occurrences} == {"summary"}
    first, second, third = report.occurrences
    assert first.addressees == ["Mayor"] and second.addressees == ["MOPAC"] and third.addressees == ["Met"]
    assert first.deadline.date == datetime.date(2023, 6, 30) and first.deadline.text == "by the end of June 2023"
    assert second.deadline is None
    assert second.text == "MOPAC must fund youth services in every borough. It should report on progress to this Committee."
    assert third.text.endswith("with the Committee by December 2023.")  # footnote 2 removed
    assert third.deadline.date == datetime.date(2023, 12, 31)
    assert first.line == 13
    assert report.warnings == []


NUMBERED_REPORT = """Bus Safety

Summary

Buses are the most used public transport in London.3 Injuries on buses have
fallen, but there were 5,000 injuries in 2019.4

Recommendations

1. MOPAC should publish bus crime data every quarter, broken down by
borough and by route.

2. The Mayor must set a target for reducing deaths and serious injuries on
London Assembly | Transport Committee 7

buses by March 2024.

3. The Mayor should ask the Government to fund new bus safety technology.

Our approach

1. The committee held a public meeting on 4 May 2022.
2. It received written evidence from 12 organisations.

Footnotes
1. TfL, Bus safety data, 2019.
2. Office for National Statistics.
"""


def test_plain_numbered_list_under_recommendations():
    report = parse_committee_report(NUMBERED_REPORT)
    assert report.title == "Bus Safety"
    assert [(o.number, o.section) for o in report.occurrences] == [(1, "summary"), (2, "summary"), (3, "summary")]
    assert report.occurrences[1].text == (
        "The Mayor must set a target for reducing deaths and serious injuries on buses by March 2024."
    )
    assert report.occurrences[1].deadline.date == datetime.date(2024, 3, 31)
    assert report.occurrences[2].addressees == ["Mayor"]
    assert report.occurrences[0].line == 10
    assert report.warnings == []


MARKDOWN_REPORT = """# Safer Streets for Women

## Summary

The London Assembly Health Committee investigated street safety.

## 1. Street lighting

Lighting is patchy.

### Recommendation 1

The Mayor should fund better street lighting in parks by April 2024.

### Recommendation 2

MOPAC must map poorly lit areas with the boroughs.

## 2. Transport

### Recommendation 4

The Met should increase patrols at transport hubs at night.
"""


def test_markdown_headings_report():
    report = parse_committee_report(MARKDOWN_REPORT)
    assert report.title == "Safer Streets for Women"
    assert report.committee == "Health Committee"
    assert [(o.number, o.chapter) for o in report.occurrences] == [
        (1, "Street lighting"), (2, "Street lighting"), (4, "Transport"),
    ]
    assert report.occurrences[0].deadline.date == datetime.date(2024, 4, 30)
    assert report.occurrences[2].text == "The Met should increase patrols at transport hubs at night."
    assert any("3" in warning and "gap" in warning.lower() for warning in report.warnings)


TWO_LISTS_REPORT = """Contents

Foreword 3
Recommendations 5
1. Housing the homeless 7
2. Rough sleeping 12

Recommendations

Housing the homeless

Recommendation 1: The Mayor should build 1,000 new hostel places by
2025.

Recommendation 2: MOPAC should fund outreach workers.

Rough sleeping

Recommendation 3: The Met must stop moving rough sleepers on without
offering support.

1. Housing the homeless

1.1 In 2021, 2,000 people slept rough.5 This rose to 3,000 in 2022.6

Recommendations

1. The Mayor should build 1,000 new hostel places by 2025.

2. MOPAC should fund outreach workers in all 32 boroughs by
September 2024.

2. Rough sleeping

We heard from charities.
"""


def test_summary_and_chapter_lists_with_a_table_of_contents():
    report = parse_committee_report(TWO_LISTS_REPORT)
    sections = [(o.number, o.section, o.chapter) for o in report.occurrences]
    assert sections == [
        (1, "summary", "Housing the homeless"),
        (2, "summary", "Housing the homeless"),
        (3, "summary", "Rough sleeping"),
        (1, "chapter", "Housing the homeless"),
        (2, "chapter", "Housing the homeless"),
    ]
    summary_2, chapter_2 = [o for o in report.occurrences if o.number == 2]
    assert summary_2.text == "MOPAC should fund outreach workers."
    assert chapter_2.deadline.date == datetime.date(2024, 9, 30) and summary_2.deadline is None
    assert report.occurrences[0].text == "The Mayor should build 1,000 new hostel places by 2025."
    assert report.occurrences[0].deadline.precision == DatePrecision.YEAR
    # recommendation 3 is missing from the chapters: say so
    assert any("Recommendation 3" in warning and "chapters" in warning for warning in report.warnings)


def test_numbering_gap_is_warned():
    text = "Recommendations\n\nRecommendation 1\n\nThe Mayor should act.\n\nRecommendation 3\n\nMOPAC should act.\n"
    report = parse_committee_report(text)
    assert [o.number for o in report.occurrences] == [1, 3]
    assert any("2" in warning for warning in report.warnings)


def test_numbered_items_must_run_on_from_each_other():
    text = (
        "Recommendations\n\n1. The Mayor should act now.\n\n2. MOPAC must report back.\n\n"
        "Terms of reference\n\n5. The Met will be asked to attend.\n"
    )
    report = parse_committee_report(text)
    assert [o.number for o in report.occurrences] == [1, 2]


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_raises(text):
    with pytest.raises(ParseError, match="empty"):
        parse_committee_report(text)


def test_no_recommendations_raises():
    with pytest.raises(ParseError, match="No recommendations"):
        parse_committee_report("Our approach\n\n1. We held a meeting.\n2. We visited a refuge.\n")


def test_stated_count_and_committee_helpers():
    assert find_stated_count("The report makes the following 14 recommendations:") == 14
    assert find_stated_count("This report makes seven recommendations to the Mayor.") == 7
    assert find_stated_count("We make no claims.") is None
    assert find_committee("Chairman of the London Assembly Police and\nCrime Committee") == "Police and Crime Committee"
    report = parse_committee_report(
        "Our report makes four recommendations.\n\nRecommendation 1\n\nThe Mayor should act.\n"
    )
    assert report.stated_count == 4
    assert any("4" in warning and "1" in warning for warning in report.warnings)


CHAPTER_WORD_REPORT = """Chapter 1: Policing London

Some text about policing.

Recommendations
1. The Mayor should act on crime.
2. MOPAC must report back by June 2021.
3. The Met should publish data.

Chapter 2: Victims

Recommendations

Victim care
4. The Mayor should fund
victim care services.

Appendix

1. We met victims.
"""


def test_chapter_word_headings_and_items_without_blank_lines():
    report = parse_committee_report(CHAPTER_WORD_REPORT)
    assert [(o.number, o.section, o.chapter) for o in report.occurrences] == [
        (1, "chapter", "Policing London"),
        (2, "chapter", "Policing London"),
        (3, "chapter", "Policing London"),
        (4, "chapter", "Victims"),
    ]
    assert report.occurrences[3].text == "The Mayor should fund victim care services."
    assert report.occurrences[1].deadline.date == datetime.date(2021, 6, 30)


def test_group_heading_is_not_swallowed_by_an_item_without_a_full_stop():
    text = (
        "Recommendations\n\nHousing\n\nRecommendation 1\n\n\u2022 The Mayor should build more homes\n\n"
        "Transport\n\nRecommendation 2\n\n\u2022 The Mayor should:\n\n\u2022 fund buses;\n\n\u2022 fund trams.\n\n"
        "Some later paragraph about transport.\n"
    )
    report = parse_committee_report(text)
    first, second = report.occurrences
    assert (first.text, first.chapter) == ("The Mayor should build more homes", "Housing")
    assert (second.text, second.chapter) == ("The Mayor should: fund buses; fund trams.", "Transport")


def test_seed_layout_variants_give_the_same_result(report_text, report):
    """Other page footers, Windows line endings and markdown-style labels read the same."""
    variant = report_text.replace("London Assembly I Police and Crime Committee", "London Assembly | Police and Crime Committee")
    variant = re.sub(r"(?m)^\s*Recommendation (\d+)\s*$", r"### Recommendation \1", variant)
    variant = variant.replace("\n", "\r\n")
    other = parse_committee_report(variant)
    assert [(o.number, o.section, o.text, o.chapter, o.deadline, o.addressees) for o in other.occurrences] == [
        (o.number, o.section, o.text, o.chapter, o.deadline, o.addressees) for o in report.occurrences
    ]
