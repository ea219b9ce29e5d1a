"""What kind of document it is, across families.

The documents in b3_kinds/ were written for these tests after real layouts: a Government response
whose title says so after a colon ("Coastal flooding: Government Response to the Committee's
Report", "Appendix: Government Response"); a force's summary where each restated recommendation is
followed by a "Force response:" label; a learning recommendation answered under an "Accepted:" label;
minutes recording a motion moved and seconded, and a resolution adopting a draft plan (records of a
meeting's decision, kind "other", not a report page or a consultation response); and a committee
paper whose "Recommendation 2.1 That the Committee notes" and "In progress" statuses are its own
business, not a reply.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.parsing import families
from importer.parsing.families import _reply_cues, reply_document
from importer.parsing.types import ParseError

DOCS = Path(__file__).parent / "b3_kinds"


def _read(name: str):
    return families.read((DOCS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("title", "titled"),
    [
        ("Coastal flooding: Government Response to the Committee's Third Report", True),
        ("Appendix: Government Response", True),
        ("State of Flooding 2024 report: government response", True),
        ("Flood Review – Response to Recommendations", True),
        ("MPS response to HMIC Inspection", True),
        ("The response was welcomed by residents", False),
        ("We set out our response to each recommendation below.", False),  # a sentence, not a title
    ],
)
def test_a_title_calls_the_document_a_response_whatever_separates_its_parts(title, titled):
    assert _reply_cues.titled_as_response(title) is titled


def test_a_response_titled_after_a_colon_is_a_response_though_only_restatements_are_visible():
    family, parsed = _read("titled_government_response.txt")
    assert family.name == "reply_document" and family.kind_of(parsed) == "response"
    assert parsed.respondent.lower().endswith("government")


def test_numbered_asks_each_followed_by_a_force_response_label_are_a_response():
    family, parsed = _read("force_response_labels.txt")
    assert family.kind_of(parsed) == "response"
    assert reply_document.detect((DOCS / "force_response_labels.txt").read_text(encoding="utf-8")) > families.family_named("recommendations_document").detect(
        (DOCS / "force_response_labels.txt").read_text(encoding="utf-8")
    )


def test_reply_labels_are_counted_one_per_line():
    text = "1. X should act.\nForce response: done.\n2. Y should act.\nGovernment response – agreed.\nAccepted:\nNot accepted.\n"
    assert _reply_cues.labelled_replies(text) == 4
    assert _reply_cues.labelled_replies("The response was good.\nWe accepted the offer of help and the plan.\n") == 0


def test_a_recommendation_answered_under_an_accepted_label_is_a_response():
    family, parsed = _read("learning_recommendation_accepted.txt")
    assert family.kind_of(parsed) == "response"


def test_minutes_recording_a_motion_moved_and_seconded_are_a_record_not_a_report_page():
    family, parsed = _read("minutes_motion.txt")
    assert family.name == "recommendations_document" and family.kind_of(parsed) == "other"
    assert [occurrence.addressees for occurrence in parsed.occurrences] == [["Transport Board"]]


def test_a_resolution_adopting_a_draft_plan_is_a_record_not_a_consultation_response():
    family, parsed = _read("minutes_resolution_draft_plan.txt")
    assert family.kind_of(parsed) == "other"
    assert len(parsed.occurrences) == 2


def test_a_committee_papers_own_resolution_and_statuses_are_not_taken_for_a_reply():
    text = (DOCS / "committee_paper_summary_of_actions.txt").read_text(encoding="utf-8")
    assert reply_document.detect(text) == 0
    with pytest.raises(ParseError):  # refused with what was looked for, not read as a reply
        families.read(text)
