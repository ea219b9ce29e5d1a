"""Replies read from response documents in every common layout (importer.parsing.replies).

Every document below is written for these tests in the layout real responses use; none is copied
from a real document. Each test checks what an editor would see in the import preview: which
recommendation a reply answers, the respondent's own stated position, and what was restated.
"""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from importer.parsing.replies import extract_replies, match_replies, similarity, stated_position
from importer.parsing.types import ParsedReply

STORED = [
    (1, "The Council should publish a yearly audit of street lighting in every ward."),
    (2, "The Council must train all park wardens in first aid by March 2026."),
    (3, "The Council should open a public register of empty shops and report on it twice a year."),
]


def _by_number(result):
    return {reply.number: reply for reply in result.replies}


def test_letter_with_salutation_and_recommendation_headings():
    text = """Dear Councillor Reed,

Thank you for your report 'Brighter Streets'.

Recommendation 1
The Council should publish a yearly audit of street lighting in every ward.
We accept this recommendation. The first audit will be published by June 2026.

Recommendation 2
The Council must train all park wardens in first aid by March 2026.
We do not accept this recommendation: wardens already hold equivalent training.

Yours sincerely,

Alex Moore
Leader of the Council
"""
    result = extract_replies(text)
    replies = _by_number(result)
    assert sorted(replies) == [1, 2]
    assert replies[1].stated_position == "accepted"
    assert replies[1].recommendation_text.startswith("The Council should publish")
    assert replies[1].text.startswith("We accept this recommendation")
    assert replies[1].commitments and replies[1].commitments[0].due.date == datetime.date(2026, 6, 30)
    assert replies[2].stated_position == "not_accepted"
    assert result.respondent == "Leader of the Council"
    assert result.report_title == "Brighter Streets"


def test_letter_without_salutation_and_status_on_the_heading():
    text = """Response of the Parks Service

Recommendation 1 – Accepted in principle
A lighting audit needs funding first; we will bid for it in the next budget round.

Recommendation 3 – Partially accepted
A register will be kept but reported on once a year.
"""
    replies = _by_number(extract_replies(text))
    assert replies[1].stated_position == "accepted_in_principle"
    assert replies[3].stated_position == "partially_accepted"
    assert replies[1].recommendation_text == ""


def test_paragraph_numbered_government_response_layout():
    text = """Introduction

1. The Government thanks the Committee for its report.

Town centres

2. Recommendation 1: “The Council should publish a yearly audit of street lighting in every ward.” (Paragraph 14)

3. Government response: The Government agrees with this recommendation in principle and will ask councils to report.

4. Recommendation 2: “The Council must train all park wardens in first aid by March 2026.” (Paragraphs 20 and 21)

5. Government response: We reject this recommendation.
"""
    result = extract_replies(text)
    replies = _by_number(result)
    assert sorted(replies) == [1, 2]  # paragraph numbers 2-5 are not recommendation numbers
    assert replies[1].recommendation_text == "The Council should publish a yearly audit of street lighting in every ward."
    assert replies[1].text.startswith("The Government agrees")
    assert replies[1].stated_position == "accepted_in_principle"
    assert replies[2].stated_position == "not_accepted"
    assert result.respondent == "Government"


def test_force_response_label_names_the_respondent():
    text = """Recommendation 4
Officers should record every stop on body-worn video.

MPS response: Supported. Every officer will have a camera by the end of 2025.
"""
    result = extract_replies(text)
    (reply,) = result.replies
    assert reply.number == 4
    assert reply.stated_position == "supported"
    assert reply.recommendation_text == "Officers should record every stop on body-worn video."
    assert result.respondent == "MPS"


def test_status_table_rows_and_restated_items_join_per_number():
    text = """Progress report: libraries

Published 2 April 2025

Recommendation no. | Status | Accepted
7 | In progress | Yes, accepted
8 | Not started | Not accepted

Recommendations

7: That the library service extend opening hours on Sundays.

8: That every branch hosts a homework club.

What we committed to doing

7: We will open eight branches on Sundays from September.
"""
    result = extract_replies(text)
    replies = _by_number(result)
    assert replies[7].stated_position == "accepted"
    assert replies[7].recommendation_text.startswith("That the library service")
    assert replies[7].text.startswith("We will open eight branches")
    assert replies[8].stated_position == "not_accepted"
    assert replies[8].text == ""
    assert result.date.date == datetime.date(2025, 4, 2)


def test_blanket_acceptance_is_a_reply_to_a_group_and_a_total_not_invented_numbered_replies():
    text = """The Trust has accepted all the recommendations of the review and supports the other three recommendations made to its partners.

The Trust will report on progress every quarter.
"""
    result = extract_replies(text)
    assert [(r.number, r.covers, r.stated_position) for r in result.replies] == [
        (0, "all the recommendations of the review", "accepted"),
        (0, "the other three recommendations made to its partners", "supported"),
    ]
    assert [c.text for c in result.commitments] == ["The Trust will report on progress every quarter."]
    assert result.summary_counts["accepted"] == "all"
    assert result.summary_counts["supported"] == 3
    assert any("totals" in warning for warning in result.warnings)
    assert result.respondent == "The Trust"


def test_totals_in_a_covering_letter():
    text = """The Department's response to the Committee's 12 recommendations is attached.
The Department has accepted five recommendations and there are four recommendations where it will do further work before deciding. There are three recommendations which the Department does not accept."""
    counts = extract_replies(text).summary_counts
    assert counts == {"total": 12, "accepted": 5, "further_work": 4, "not_accepted": 3}


def test_restatement_without_bold_told_apart_by_likeness():
    text = """Recommendation 3
The Council should open a public register of empty shops and report on it twice a year.
A register of empty shops opens next month; the Council must first consult traders on reporting.
"""
    plain = _by_number(extract_replies(text, recommendations=STORED))[3]
    assert plain.recommendation_text.startswith("The Council should open a public register")
    assert plain.text.startswith("A register of empty shops opens next month")


def test_mismatched_heading_number_is_flagged_and_the_matching_one_proposed():
    text = """Recommendation 2
The Council should publish a yearly audit of street lighting in every ward.
We accept this.
"""
    result = extract_replies(text, recommendations=STORED)
    (reply,) = result.replies
    assert reply.number == 2
    assert reply.suggested_number == 1
    assert any("headed 2" in warning and "recommendation 1" in warning for warning in result.warnings)


def test_match_replies_uses_number_and_content():
    restated = ParsedReply(3, "register of empty shops, reported twice a year", "Agreed.", [], 1)
    wrong = ParsedReply(1, "train park wardens in first aid", "Agreed.", [], 5)
    bare = ParsedReply(2, "", "Agreed.", [], 9)
    missing = ParsedReply(9, "", "Agreed.", [], 12)
    first, second, third, fourth = match_replies([restated, wrong, bare, missing], STORED)
    assert (first.number, first.note) == (3, "")
    assert second.number == 2 and "headed 1" in second.note
    assert (third.number, third.score) == (2, None)
    assert fourth.number is None


def test_similarity_and_stated_position_phrases():
    assert similarity("publish a yearly street lighting audit", STORED[0][1]) > 0.8
    assert similarity("train wardens in first aid", STORED[0][1]) < 0.2
    assert stated_position("We accept that more can be done.") == ("", "")
    assert stated_position("The Brigade fully accepts this recommendation.")[0] == "accepted"
    assert stated_position("Not accepted.")[0] == "not_accepted"


def test_prose_mention_of_a_recommendation_is_its_reply():
    text = """Report of the Clerk

The Board endorses the service's response, but notes in relation to Recommendation 6 (staffing plan) that the goal of 400 staff by March 2027 needs funding."""
    (reply,) = extract_replies(text).replies
    assert reply.number == 6


def test_text_with_no_replies_says_what_was_looked_for():
    result = extract_replies("Minutes of the meeting. Apologies were received.")
    assert result.replies == []
    assert any("looked for" in warning and "Recommendation N" in warning for warning in result.warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.tuples(st.integers(0, 200), st.text(max_size=80)), max_size=4))
def test_extract_replies_never_raises(text, recommendations):
    result = extract_replies(text, recommendations=recommendations)
    assert isinstance(result.replies, list)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "Recommendation 1", "Recommendation 2: ", "1. Recommendation 3:", "Government response:", "MPS response: ",
    "7: That", "Status | Accepted", "4 | In principle", "Yours sincerely,", "“quoted”", "", "**bold**", "accepted all 5 recommendations",
    "Dear Sir,", "(12, 13 and 14)", "We will act by May 2026.",
]), max_size=30))
def test_extract_replies_never_raises_on_layout_fragments(parts):
    extract_replies("\n".join(parts), recommendations=STORED)
