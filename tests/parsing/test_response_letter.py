"""Response letters: the Mayor's reply to a committee report, one reply per recommendation.

The seed letter (fixtures/sources/001_...) is checked item by item against tests/truth_seeds.json;
letters written inline below check that nothing depends on the seed's markdown layout.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from importer.parsing.response_letter import (
    commitments_in,
    parse_response_letter,
    restated_matches,
)
from importer.parsing.types import DatePrecision, ParseError

ROOT = Path(__file__).resolve().parents[2]
SEED_NAME = "001_79a9159c5d07971e.txt"
TRUTH = json.loads((ROOT / "tests" / "truth_seeds.json").read_text(encoding="utf-8"))
DOC_TRUTH = TRUTH["documents"][SEED_NAME]
REPORT_TRUTH = TRUTH["reports"][DOC_TRUTH["responds_to"]]
MUST_COMMIT = TRUTH["commitments_in_response_letter_must_include"]


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).lower()


@pytest.fixture(scope="module")
def seed_text() -> str:
    return (ROOT / "fixtures" / "sources" / SEED_NAME).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse_response_letter(seed_text)


# ------------------------------------------------------------------------------------------
# The seed letter, item by item
# ------------------------------------------------------------------------------------------


def test_seed_is_a_response_letter_with_its_date_and_reference(seed):
    assert seed.kind == DOC_TRUTH["kind"] == "response_letter"
    assert seed.date.date == datetime.date.fromisoformat(DOC_TRUTH["date"])
    assert seed.date.precision == DatePrecision.DAY
    assert seed.reference == DOC_TRUTH["reference"]


def test_seed_author_from_signature_not_image_description(seed):
    name, role = (part.strip() for part in DOC_TRUTH["from"].split(",", 1))
    assert seed.author_name == name
    assert seed.author_role == role
    assert "signature" not in seed.author_name.lower()


def test_seed_recipient_without_care_of_line_or_email(seed):
    name, role = (part.strip() for part in DOC_TRUTH["to"].split(",", 1))
    assert seed.recipient_name == name
    assert seed.recipient_role == role
    assert "@" not in seed.recipient_role and "C/o" not in seed.recipient_role


def test_seed_names_the_report_it_answers_without_acronym(seed):
    assert seed.report_title == REPORT_TRUTH["title"]


def test_seed_apologises_for_delay(seed):
    assert seed.apologises_for_delay is DOC_TRUTH["apologises_for_delay"]


def test_seed_has_one_reply_per_recommendation_in_order(seed):
    assert [reply.number for reply in seed.replies] == list(range(1, DOC_TRUTH["responses"] + 1))
    assert seed.warnings == []


def test_seed_restatements_start_with_the_recommendation(seed):
    for reply in seed.replies:
        starts = REPORT_TRUTH["recommendations"][str(reply.number)]["starts"]
        assert _norm(reply.recommendation_text).startswith(_norm(starts)), reply.number


def test_seed_restatement_is_not_repeated_in_reply_text(seed):
    for reply in seed.replies:
        assert reply.recommendation_text[:60] not in reply.text


def test_seed_reply_lines_point_at_the_headings(seed, seed_text):
    source_lines = seed_text.splitlines()
    for reply in seed.replies:
        assert re.search(rf"Recommendation {reply.number}\b", source_lines[reply.line - 1])


def test_seed_reply_texts_are_clean(seed):
    for reply in seed.replies:
        assert reply.text, reply.number
        assert "**" not in reply.text and "#" not in reply.text
        assert "MAYOR OF LONDON" not in reply.text
        assert "](" not in reply.text and "mailto" not in reply.text
        assert "\n\n\n" not in reply.text


def test_seed_reply_keeps_paragraphs_and_joins_sentence_split_by_page_header(seed):
    reply = seed.replies[2]  # rec 3 runs over a page break mid-sentence
    assert "thematic report from Her Majesty's Inspectorate of Constabulary" in reply.text
    assert reply.text.count("\n\n") == 5  # six paragraphs
    assert reply.text.startswith("MOPAC works extensively")
    assert reply.text.endswith("is due to be carried out later this year.")


def test_seed_bullets_are_plain_text(seed):
    reply = seed.replies[13]
    assert "\n• The inclusive schools programme" in reply.text
    assert "- The inclusive" not in reply.text


@pytest.mark.parametrize("expected", MUST_COMMIT, ids=lambda c: f"rec{c['recommendation']}")
def test_seed_dated_commitments(seed, expected):
    reply = next(r for r in seed.replies if r.number == expected["recommendation"])
    words = [part.strip() for part in expected["says"].split("...")]
    matches = [c for c in reply.commitments if all(_norm(w) in _norm(c.text) for w in words)]
    assert matches, [c.text for c in reply.commitments]
    due = matches[0].due
    assert due is not None
    assert due.date == datetime.date.fromisoformat(expected["due"])
    assert due.precision == expected["precision"]


def test_seed_commitment_owners(seed):
    by_number = {reply.number: reply for reply in seed.replies}
    deep_dive = next(c for c in by_number[2].commitments if "deep dive" in c.text)
    assert deep_dive.owner == "MOPAC"
    funding = next(c for c in by_number[13].commitments if c.due)
    assert funding.owner == "Mayor"  # "we will continue" in the Mayor's letter
    outcomes = next(c for c in by_number[3].commitments if "Outcomes 15 and 16" in c.text)
    assert outcomes.owner == ""  # the MPS is named inside the subject, it is not the promiser
    explore = next(c for c in by_number[1].commitments if "will also explore" in c.text)
    assert explore.owner == "MOPAC" and explore.due is None


def test_seed_no_commitment_is_due_before_the_letter(seed):
    for reply in seed.replies:
        for commitment in reply.commitments:
            if commitment.due is not None:
                assert commitment.due.date >= seed.date.date, commitment.text


def test_seed_past_events_are_not_commitments(seed):
    texts = [c.text for reply in seed.replies for c in reply.commitments]
    assert not any("between October and December 2021" in t for t in texts)
    assert not any("several meetings during 2021" in t for t in texts)
    # "from this financial year" is a starting point, not a deadline
    mo_j = [c for r in seed.replies for c in r.commitments if "Ministry of Justice" in c.text]
    assert all(c.due is None for c in mo_j)
    # a prediction without an owner is not a promise
    assert not any("epidemic of VAWG will continue" in t for t in texts)


def test_seed_dated_commitments_are_exactly_the_truth(seed):
    dated = [(r.number, c.due.date.isoformat()) for r in seed.replies for c in r.commitments if c.due]
    assert dated == [(c["recommendation"], c["due"]) for c in MUST_COMMIT]


def test_seed_restatement_matches_own_recommendation_best(seed):
    starts = {int(n): rec["starts"] for n, rec in REPORT_TRUTH["recommendations"].items()}
    for reply in seed.replies:
        scores = {n: restated_matches(reply.recommendation_text, text) for n, text in starts.items()}
        best = max(scores.values())
        assert scores[reply.number] == best, (reply.number, scores)
        assert [n for n, s in scores.items() if s == best] == [reply.number], (reply.number, scores)


def test_seed_annex_alone_still_parses(seed_text):
    annex = seed_text[seed_text.index("Annex"):]
    letter = parse_response_letter(annex)
    assert [r.number for r in letter.replies] == list(range(1, 15))
    assert letter.report_title == "Violence Against Women And Girls"  # from the annex heading
    assert letter.date.date is None
    assert any("date" in w for w in letter.warnings)


# ------------------------------------------------------------------------------------------
# Other layouts of the same family
# ------------------------------------------------------------------------------------------

PLAIN_LETTER = """MAYOR OF LONDON

Unmesh Desai AM
Chair of the Police and Crime Committee
City Hall
Kamal Chunchie Way
London E16 1ZE

Our ref: MGLA120123-4455
Your ref:
Date: 3 March 2023

Dear Unmesh,

Thank you for your letter enclosing the Committee's report on Policing the Night-Time Economy (NTE).

The Annex sets out my response to each recommendation.

Yours sincerely,

Sadiq Khan
Mayor of London

Page 1 of 3

Recommendation 1:
MOPAC should publish an annual assessment of
night-time violence in London.

MOPAC will publish its first annual assessment by March 2024.
This will be shared with the Committee.

Recommendation 2: The Met should review its licensing
teams by the end of 2022.

The Met reviewed its licensing teams in November 2022 and found them to be adequately resourced.

MAYOR OF LONDON

Recommendation 3
The Mayor should lobby the Government for
funding for night-time transport safety.
Mayor's response:
I will continue to lobby the Government on this. A joint bid with TfL is due to be
submitted in the 2023/24 financial year.
"""


@pytest.fixture(scope="module")
def plain():
    return parse_response_letter(PLAIN_LETTER)


def test_plain_letter_header(plain):
    assert plain.date.date == datetime.date(2023, 3, 3)
    assert plain.reference == "MGLA120123-4455"
    assert (plain.recipient_name, plain.recipient_role) == ("Unmesh Desai AM", "Chair of the Police and Crime Committee")
    assert (plain.author_name, plain.author_role) == ("Sadiq Khan", "Mayor of London")
    assert plain.report_title == "Policing the Night-Time Economy"
    assert plain.apologises_for_delay is False
    assert plain.warnings == []


def test_plain_letter_restatements_in_three_layouts(plain):
    assert [r.number for r in plain.replies] == [1, 2, 3]
    first, second, third = plain.replies
    assert first.recommendation_text == "MOPAC should publish an annual assessment of night-time violence in London."
    assert first.text == "MOPAC will publish its first annual assessment by March 2024. This will be shared with the Committee."
    # restatement on the heading line after "Recommendation 2:", wrapped onto the next line
    assert second.recommendation_text == "The Met should review its licensing teams by the end of 2022."
    assert second.text.startswith("The Met reviewed")
    assert "MAYOR OF LONDON" not in second.text
    # "Mayor's response:" label separates restatement and reply; the label is not in the reply
    assert third.recommendation_text == "The Mayor should lobby the Government for funding for night-time transport safety."
    assert third.text.startswith("I will continue to lobby")
    assert "response:" not in third.text


def test_plain_letter_commitments(plain):
    first, second, third = plain.replies
    [assessment] = first.commitments
    assert assessment.owner == "MOPAC"
    assert (assessment.due.date, assessment.due.precision) == (datetime.date(2024, 3, 31), DatePrecision.MONTH)
    assert assessment.due.text == "by March 2024"
    # past tense with a date: not a commitment
    assert second.commitments == []
    lobby, bid = third.commitments
    assert lobby.owner == "Mayor" and lobby.due is None
    assert (bid.due.date, bid.due.precision) == (datetime.date(2024, 3, 31), DatePrecision.FINANCIAL_YEAR)


def test_plain_letter_heading_lines(plain):
    lines = PLAIN_LETTER.splitlines()
    for reply in plain.replies:
        assert lines[reply.line - 1].startswith(f"Recommendation {reply.number}")


DEPUTY_MAYOR_LETTER = """Sophie Linden
Deputy Mayor for Policing and Crime

Caroline Russell AM
Chair, Police and Crime Committee
London Assembly
City Hall
London SE1 2AA

12 January 2021

Dear Caroline,

Please accept my apologies for the late reply to the Committee's 'Knife Crime' report.

RECOMMENDATION 1
MOPAC should fund youth workers in every A&E department.
We agree. I will fund youth workers in all major trauma centres by the end of 2021.

RECOMMENDATION 2
The Met should publish stop and search data by ward.
The Met published ward-level data in 2019 and continues to do so every month.

RECOMMENDATION 4

Yours sincerely,

Sophie Linden
Deputy Mayor for Policing and Crime
"""


def test_letter_with_sender_letterhead_picks_addressee_named_in_salutation():
    letter = parse_response_letter(DEPUTY_MAYOR_LETTER)
    assert letter.recipient_name == "Caroline Russell AM"
    assert letter.recipient_role == "Chair, Police and Crime Committee"
    assert (letter.author_name, letter.author_role) == ("Sophie Linden", "Deputy Mayor for Policing and Crime")
    assert letter.date.date == datetime.date(2021, 1, 12)
    assert letter.reference == ""
    assert letter.report_title == "Knife Crime"
    assert letter.apologises_for_delay is True


def test_replies_in_the_body_stop_at_the_sign_off_and_odd_numbering_is_warned():
    letter = parse_response_letter(DEPUTY_MAYOR_LETTER)
    assert [r.number for r in letter.replies] == [1, 2, 4]
    first, second, fourth = letter.replies
    # restatement and reply with no blank line between them
    assert first.recommendation_text == "MOPAC should fund youth workers in every A&E department."
    assert first.text.startswith("We agree.")
    # "I will" in the Deputy Mayor's letter is MOPAC's promise
    [promise] = first.commitments
    assert promise.owner == "MOPAC"
    assert promise.due.date == datetime.date(2021, 12, 31)
    assert fourth.text == "" and "Sophie Linden" not in fourth.text
    assert any("Recommendation 4" in w and "no reply text" in w for w in letter.warnings)
    assert any("3" in w and "gap" in w for w in letter.warnings)


THREE_RECOMMENDATIONS_TWO_REPORTS = """MAYOR OF LONDON
Len Duvall AM
Chair of the Police and Crime Committee
Date: 1 June 2023
Dear Len,
Thank you for the Committee's reports 'Police Stations' and 'Tasers'. I apologise for the delay in responding.
Yours sincerely,
Sadiq Khan
Mayor of London
Police Stations
Recommendation 1
MOPAC should keep front counters open.
Three front counters will reopen later this year.
Recommendations 2 and 3
MOPAC should publish footfall data.
Footfall data was published in May 2023.
Tasers
Recommendation 1
The Met should report Taser use monthly.
The Met plans to publish monthly Taser data.
"""


def test_letter_answering_two_reports_and_a_combined_heading():
    letter = parse_response_letter(THREE_RECOMMENDATIONS_TWO_REPORTS)
    assert [r.number for r in letter.replies] == [1, 2, 3, 1]
    assert letter.report_title == "Police Stations"
    assert any("'Tasers'" in w for w in letter.warnings)
    assert any("answered twice" in w for w in letter.warnings)
    assert letter.apologises_for_delay is True
    # "Recommendations 2 and 3" answers both with the same reply
    assert letter.replies[1].text == letter.replies[2].text == "Footfall data was published in May 2023."
    # the next report's name is not part of the previous reply
    assert "Tasers" not in letter.replies[2].text
    counters = letter.replies[0].commitments[0]
    assert counters.due.date == datetime.date(2023, 12, 31) and counters.due.precision == DatePrecision.YEAR
    [taser] = letter.replies[3].commitments
    assert taser.owner == "Met" and taser.due is None


def test_bold_inline_heading_and_italic_restatement():
    text = (
        "Dear Susan,\n\nThank you for your 'Hate Crime' report.\n\n"
        "**Recommendation 1:** *MOPAC should publish hate crime data quarterly.*\n\n"
        "MOPAC already publishes this data on its dashboard.\n\n"
        "**Recommendation 2**\n\n*The Met should train all officers.*\n\n"
        "Training will be completed by 31 December 2023.\n\nYours sincerely,\n\nSadiq Khan\n\nMayor of London\n"
    )
    letter = parse_response_letter(text)
    first, second = letter.replies
    assert first.recommendation_text == "MOPAC should publish hate crime data quarterly."
    assert second.recommendation_text == "The Met should train all officers."
    assert second.text == "Training will be completed by 31 December 2023."
    # no letter date: the deadline is kept (absolute date + "will")
    assert second.commitments[0].due.date == datetime.date(2023, 12, 31)
    assert any("date" in w for w in letter.warnings)


def test_reply_without_restatement_gives_empty_recommendation_text():
    text = (
        "Dear Len,\n\nRecommendation 1\n\nI agree with this recommendation and MOPAC will act on it.\n\n"
        "Recommendation 2\n\nThis is already in place.\n\nYours sincerely,\nSadiq Khan\nMayor of London\n"
    )
    letter = parse_response_letter(text)
    assert [r.recommendation_text for r in letter.replies] == ["", ""]
    assert letter.replies[0].text == "I agree with this recommendation and MOPAC will act on it."


@pytest.mark.parametrize(
    "sentence",
    [
        "I am sorry for the delay in responding.",
        "Please accept my apologies for the late reply.",
        "I apologise for the delay in replying to you.",
        "I regret that this response has taken so long.",
    ],
)
def test_apology_wordings(sentence):
    text = f"Dear Susan,\n\n{sentence}\n\nRecommendation 1\n\nMOPAC agrees.\n\nYours sincerely,\nSadiq Khan\n"
    assert parse_response_letter(text).apologises_for_delay is True


def test_no_apology_when_delay_is_about_something_else():
    text = (
        "Dear Susan,\n\nThank you for your report.\n\nRecommendation 1\n\n"
        "I am sorry to say that court delays remain long.\n\nYours sincerely,\nSadiq Khan\n"
    )
    assert parse_response_letter(text).apologises_for_delay is False


# ------------------------------------------------------------------------------------------
# Commitments on their own
# ------------------------------------------------------------------------------------------


def test_commitments_in_resolves_relative_deadlines_against_letter_date():
    [commitment] = commitments_in(
        "The strategy will be refreshed later this year.", reference_date=datetime.date(2021, 5, 1)
    )
    assert commitment.due.date == datetime.date(2021, 12, 31)
    assert commitment.due.text == "later this year"


def test_commitments_in_ignores_past_and_undirected_statements():
    text = (
        "MOPAC held a summit in March 2022. The data was published during 2021. "
        "Crime will probably fall. The Met will publish its plan by June 2022."
    )
    found = commitments_in(text, reference_date=datetime.date(2022, 8, 1))
    # the June 2022 deadline had passed when the letter was written: kept as a promise, no due date
    assert [(c.owner, c.due) for c in found] == [("Met", None)]


# ------------------------------------------------------------------------------------------
# Matching restatements
# ------------------------------------------------------------------------------------------


def test_restated_matches_short_form_inside_long_restatement(seed):
    long_form = seed.replies[0].recommendation_text
    short = "MOPAC must work with the Met to prioritise action to improve the way VAWG data is gathered"
    assert restated_matches(long_form, short) == pytest.approx(1.0)
    assert restated_matches(long_form, "The Mayor must commit funding to ensure specialist support services") < 0.3
    assert restated_matches("", short) == 0.0


def test_restated_matches_ignores_case_punctuation_and_quotes():
    assert restated_matches("The Mayor’s refreshed VAWG strategy MUST include", "the mayor's refreshed vawg strategy must include") == 1.0


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_raises(text):
    with pytest.raises(ParseError, match="empty"):
        parse_response_letter(text)


def test_unrelated_text_raises_with_useful_message():
    text = "Dear Joanne,\n\nPlease find attached our consultation response on the draft plan.\n\nYours sincerely,\nA Resident\n"
    with pytest.raises(ParseError, match=r"no replies to numbered recommendations found: expected headings like 'Recommendation 1'"):
        parse_response_letter(text)


def test_committee_report_is_not_a_letter():
    text = (
        "Police and Crime Committee\n\nSummary of recommendations\n\nRecommendation 1\n\n"
        "MOPAC should publish data.\n\nRecommendation 2\n\nThe Met should train officers.\n"
    )
    with pytest.raises(ParseError, match="does not look like a response letter"):
        parse_response_letter(text)


def test_prose_mentioning_a_recommendation_is_not_a_heading():
    text = "Dear Susan,\n\nRecommendation 3 is addressed to the Met, who will reply separately.\n\nYours sincerely,\nSadiq Khan\n"
    with pytest.raises(ParseError, match="no replies"):
        parse_response_letter(text)


def test_heading_with_addressee_and_status():
    text = (
        "Dear Len,\n\nRecommendation 1 (MOPAC) – Accepted\n\n**MOPAC should publish data.**\n\n"
        "MOPAC will publish data by May 2025.\n\nRecommendation 2 (Met): The Met should train staff.\n\n"
        "Done.\n\nYours sincerely,\nSadiq Khan\n"
    )
    first, second = parse_response_letter(text).replies
    assert first.recommendation_text == "MOPAC should publish data."
    assert first.text == "Accepted\n\nMOPAC will publish data by May 2025."  # the status stays with the reply
    assert first.commitments[0].due.date == datetime.date(2025, 5, 31)
    assert second.recommendation_text == "The Met should train staff."
    assert second.text == "Done."


def test_pdf_text_with_wrapped_lines_and_page_break_mid_sentence():
    text = (
        "Dear Susan,\n\nThank you for the report, 'Rape Investigations'.\n\n"
        "Recommendation 3\n"
        "MOPAC must commission research into the barriers to\n"
        "reporting rape.\n"
        "MOPAC has commissioned the University of London to carry out this\n\n"
        "2\n\n"
        "research, which will report by June 2023.\n\n"
        "The findings will be shared with the Committee.\n\n"
        "Yours sincerely,\n\nSadiq Khan\nMayor of London\n"
    )
    letter = parse_response_letter(text)
    [reply] = letter.replies
    assert letter.report_title == "Rape Investigations"
    assert reply.recommendation_text == "MOPAC must commission research into the barriers to reporting rape."
    assert reply.text == (
        "MOPAC has commissioned the University of London to carry out this research, which will report by"
        " June 2023.\n\nThe findings will be shared with the Committee."
    )
    research = reply.commitments[0]
    assert research.owner == "MOPAC"
    assert (research.due.date, research.due.precision) == (datetime.date(2023, 6, 30), DatePrecision.MONTH)


def test_report_title_quoted_the_way_pdf_text_comes_out():
    # pypdf gives a straight opening quote as a closing curly one: ’Title’.
    letter = parse_response_letter(
        "Dear Chair,\n\nThank you for your report, ’Knife crime in London’. I attach my response.\n\n"
        "Yours sincerely,\n\nSadiq Khan\nMayor of London\n\nRecommendation 1\n\n"
        "MOPAC should publish a plan.\n\nMOPAC will publish the plan by September 2024.\n"
    )
    assert letter.report_title == "Knife crime in London"
