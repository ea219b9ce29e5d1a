"""Layouts the importer reads (documents written for these tests, after real layouts).

Committee conclusions whose asks name their body by a pronoun ("we recommend that in future it
should"), by "both", by a possessive ("the Department's replies will") or as a noun's modifier
("Department replies to"); an ask after an earlier clause's "will"; a committee paper's numbered
section names ("2. Recommendations") and decimal paragraphs ("2.1 That the Committee notes");
minutes whose bullets mix the panel's findings with its asks; a resolution ("RESOLVED – That
Members agree:") with roman-numbered parts; and a Government response's long title.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from importer.parsing import families
from importer.parsing.addressees import actors_of
from importer.parsing.items import asks, extract_items
from importer.parsing.types import ParseError

DOCS = Path(__file__).parent / "b2_layouts"


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _by_number(name: str) -> dict:
    return {occurrence.number: occurrence for occurrence in extract_items(_text(name)).occurrences}


def test_conclusions_keep_the_asks_and_drop_the_findings():
    assert sorted(_by_number("conclusions_pronouns.txt")) == [2, 3, 4, 5, 6]


def test_it_after_we_recommend_that_is_the_body_named_before():
    assert _by_number("conclusions_pronouns.txt")[2].addressees == ["Board of Trade"]


def test_both_are_the_two_bodies_named_before():
    assert _by_number("conclusions_pronouns.txt")[3].addressees == ["Harbour Authority", "Port Users Forum"]


def test_a_possessive_or_a_modifier_names_the_body_asked():
    found = _by_number("conclusions_pronouns.txt")
    assert found[4].addressees == ["Department"]  # "the Department's replies will answer"
    assert found[5].addressees == ["Department"]  # "we would like Department replies to set out"


def test_a_will_in_an_earlier_clause_leaves_the_ask_standing():
    found = _by_number("conclusions_pronouns.txt")
    assert found[6].addressees == ["Harbour Authority"]
    assert asks("We do not know when the review will end, and we recommend that the Board publishes a timetable.")
    # the writer's own promise is still no ask
    assert not asks("The Committee will write to the Board asking it to publish a timetable.")


def test_a_report_mentioning_government_responses_is_not_a_reply():
    family, parsed = families.read(_text("conclusions_pronouns.txt"))
    assert family.kind_of(parsed) == "committee_report"


def test_committee_paper_resolutions_under_a_numbered_heading():
    found = extract_items(_text("committee_paper_resolutions.txt")).occurrences
    assert [occurrence.label for occurrence in found] == ["2.1", "2.2", "2.3"]
    assert found[0].text.startswith("That the Committee notes the summary")
    assert all(occurrence.addressees == ["Committee"] for occurrence in found)
    # 3.1 says "should" under "3. Background": background, not a recommendation


def test_committee_paper_is_read_as_a_paper_not_a_consultation():
    family, parsed = families.read(_text("committee_paper_resolutions.txt"))
    assert family.name == "recommendations_document"
    # "in consultation with the Deputy Chair" is how a decision is taken, not a consultation
    assert family.kind_of(parsed) == "other"


def test_minutes_bullets_keep_only_the_panels_asks():
    found = extract_items(_text("minutes_panel_comments.txt")).occurrences
    assert [occurrence.text[:30] for occurrence in found] == ["wished the Director to publish", "suggested that the plan should"]
    assert found[0].addressees == ["Director"]


def test_resolution_parts_with_roman_numbers_and_a_date():
    found = extract_items(_text("minutes_resolution.txt")).occurrences
    assert [occurrence.text[:24] for occurrence in found] == ["To endorse the Draft Com", "That the plan is to be p"]
    assert found[0].addressees == ["Members"]
    assert found[1].deadline is not None and found[1].deadline.date == date(2024, 6, 30)
    # the member's request in the minute is not one of the resolution's parts
    assert not any("charts" in occurrence.text for occurrence in found)


def test_long_response_title_is_recognised_and_refused_for_want_of_replies():
    text = _text("long_response_title.txt")
    assert families.detect(text).name == "reply_document"
    with pytest.raises(ParseError, match="No replies to recommendations were found"):
        families.read(text)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Committee wished the Commissioner to publish the figures.", ["Commissioner"]),
        ("We recommend that in future it should report quarterly.", []),  # nobody named before: no guess
        ("The Board said the plan was ready, and we recommend that it is improved.", []),  # a state, not an actor
    ],
)
def test_addressee_sentences(sentence, expected):
    assert actors_of(sentence) == expected


def test_immediate_steps_are_kept_as_words_with_no_date():
    found = extract_items("Recommendations\n1. The Board should take immediate steps to check every gangway.\n").occurrences
    assert found[0].deadline_words == "immediate steps" and found[0].deadline is None
