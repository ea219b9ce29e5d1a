"""Recommendation items, addressees and deadlines in more layouts (round 2; our own short documents)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from importer.parsing.addressees import actors_of
from importer.parsing.deadlines import find_vague_deadline
from importer.parsing.families import recommendations_document
from importer.parsing.items import asks, extract_items


def _items(text):
    return [(item.number, item.text) for item in extract_items(text).occurrences]


# --- a numbered item ending in a colon is not a lead-in for the next number ----------------------

def test_a_numbered_item_ending_in_a_colon_does_not_swallow_the_next_item():
    text = (
        "Recommendations\n\n"
        "1. The Agency should publish its audit each year.\n"
        "2. The Agency should set out a plan with the following parts:\n"
        "3. The Council must fund two more inspectors.\n"
    )
    items = extract_items(text).occurrences
    assert [item.number for item in items] == [1, 2, 3]
    assert items[2].text == "The Council must fund two more inspectors."
    assert items[2].addressees == ["Council"]


def test_lettered_parts_join_their_numbered_item_and_the_next_number_is_its_own():
    text = (
        "Recommendations\n\n"
        "1. The Agency should publish its audit each year.\n"
        "2. By 30 June 2024, the Agency should develop a plan to:\n"
        "   (a) train every warden;\n"
        "   (b) record every visit.\n"
        "3. The Council must fund two more inspectors.\n"
    )
    items = extract_items(text).occurrences
    assert [item.number for item in items] == [1, 2, 3]
    assert "train every warden" in items[1].text and "record every visit" in items[1].text
    assert "Council" not in items[1].text
    assert items[1].deadline is not None and items[1].deadline.date.isoformat() == "2024-06-30"
    assert items[2].deadline is None


def test_parts_numbered_afresh_belong_to_their_item_until_the_next_number():
    text = (
        "Recommendations\n\n"
        "4. The Agency should review its charging policy to:\n"
        "1) cap fees for small firms;\n"
        "2) publish the fees it charges.\n"
        "5. The Council should appoint a scrutiny lead.\n"
    )
    items = extract_items(text).occurrences
    assert [item.number for item in items] == [4, 5]
    assert "cap fees" in items[0].text and "publish the fees" in items[0].text


def test_a_flattened_bullet_lead_in_keeps_its_fragments_but_not_the_next_recommendation():
    text = (
        "Recommendations\n\n"
        "- The Agency should do the following:\n"
        "- train every warden;\n"
        "- record every visit.\n"
        "- The Council must fund two more inspectors.\n"
    )
    items = _items(text)
    assert len(items) == 2
    assert "record every visit" in items[0][1]
    assert items[1][1] == "The Council must fund two more inspectors."


def test_an_introduction_keeps_every_bullet_at_its_own_level():
    text = (
        "Written evidence submitted by a charity\n\n"
        "- Our key recommendations to the inquiry are:\n"
        "- Councils have a duty to publish waiting times.\n"
        "- Housing providers introducing a named contact for every tenant.\n"
        "- Landlords register every property within a year.\n"
    )
    assert len(_items(text)) == 3


# --- committee papers: resolutions, supporting information -------------------------------------

PAPER = (
    "Agency response to the Inspection\n\n"
    "Report: 7\nDate: 3 May 2024\n\n"
    "A. Recommendations\n\n"
    "1. That the Board relays to the Minister its view of the progress made.\n"
    "2. That the Board considers whether its endorsement should be qualified.\n\n"
    "B. Supporting information\n\n"
    "Background\n\n"
    "1. The inspection was presented to the Board in April. The Board must now consider the response.\n"
    "3. Whilst the Board endorses the response, it should be noted that the target reflects a three year plan.\n"
)


def test_a_committee_papers_resolutions_are_the_items_and_the_board_is_their_addressee():
    items = extract_items(PAPER).occurrences
    assert [item.number for item in items] == [1, 2]
    assert all(item.addressees == ["Board"] for item in items)


def test_numbered_supporting_paragraphs_are_not_recommendations():
    assert not any("Whilst" in text or "presented" in text for _, text in _items(PAPER))


def test_a_resolution_paragraph_under_a_recommendation_heading_is_an_item():
    text = (
        "Progress report\nA. Recommendation\nThe Members note the report.\n"
        "B. Supporting information\n1. In May the panel found that action should be taken.\n"
    )
    [item] = extract_items(text).occurrences
    assert item.text == "The Members note the report." and item.addressees == ["Members"]


def test_it_should_be_noted_is_an_aside_not_an_ask():
    assert not asks("It should be noted that the target reflects a three year plan.")
    assert asks("The Board should note the target.")


# --- addressees ----------------------------------------------------------------------------------

def test_the_one_whose_view_is_sought_is_the_addressee():
    assert actors_of("The Committee would also like to understand if the Mayor thinks the targets can be met.") == ["Mayor"]
    assert actors_of("We want to know whether the Port Authority will reopen the quay.") == ["Port Authority"]


def test_a_body_named_by_what_it_is_responsible_for_keeps_its_description():
    text = "To be open, the Panel requests that the agency responsible for each recommendation publishes its plan."
    assert actors_of(text) == ["agency responsible for each recommendation"]


def test_a_letters_participle_ask_starts_the_item_and_the_letters_recipient_is_its_addressee():
    text = (
        "Letter to the Chief Constable\n\nPublication type: General\n\n"
        "The Assembly Transport Committee has written to the Chief Constable about the new road plan, "
        "calling for the plan to include the collision data of every quarter.\n"
    )
    [item] = extract_items(text).occurrences
    assert item.text.startswith("Calling for the plan to include")
    assert item.addressees == ["Chief Constable"]


# --- deadlines -------------------------------------------------------------------------------------

def test_priority_phrases_are_kept_as_vague_deadline_words():
    assert find_vague_deadline("The Agency should, as a matter of priority, fix the roof.") == "as a matter of priority"
    text = "It is vital that the Board ensures that answering the audit is one of its first priorities."
    [item] = extract_items(text).occurrences
    assert item.deadline_words == "one of its first priorities" and item.deadline is None


# --- recognising a document that makes recommendations -----------------------------------------

def test_marked_items_are_stronger_evidence_than_should_sentences_in_prose():
    asks_ = ["The Agency should act.", "The Council must fund wardens.", "The Board should publish.", "The Trust must review."]
    numbered = "Recommendations\n\n" + "\n".join(f"{n}. {ask}" for n, ask in enumerate(asks_, 1))
    prose = "Our answer\n\n" + " ".join(asks_)
    assert recommendations_document.detect(numbered) > recommendations_document.detect(prose) >= 3


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([
    "A. Recommendations", "B. Supporting information", "1. That the Board notes:", "2. The Agency should:", "3.",
    "(a) train", "1) cap", "- The Council must:", "- record", "it should be noted", ", urging the force to",
    "one of their first priorities", "responsible for each", "would like to understand if the", "\n", " ", ":",
]), max_size=30).map("".join))
def test_items_never_raise(text):
    result = extract_items(text)
    assert all(item.number >= 1 for item in result.occurrences)


# --- a coroner's report to prevent future deaths ------------------------------------------------

PFD = (
    "REGULATION 28 REPORT TO PREVENT FUTURE DEATHS\n\n"
    "THIS REPORT IS BEING SENT TO:\n1. Chief Executive, Northfield Care Trust\n\n"
    "4 CIRCUMSTANCES OF THE DEATH\nA resident left the home unseen at night.\n\n"
    "5 CORONER'S CONCERNS\nIn my opinion there is a risk that future deaths will occur unless action is taken.\n"
    "The MATTERS OF CONCERN are as follows:\n"
    "1. Door alarms were switched off at night.\n"
    "2. Night staff had no list of residents at risk of leaving.\n\n"
    "7 YOUR RESPONSE\nYou are under a duty to respond to this report within 56 days of the date of this report.\n"
)


def test_matters_of_concern_introduced_in_a_sentence_are_the_items_for_the_reports_recipient():
    items = extract_items(PFD).occurrences
    assert [item.text for item in items] == [
        "Door alarms were switched off at night.", "Night staff had no list of residents at risk of leaving.",
    ]
    assert all(item.addressees == ["Chief Executive, Northfield Care Trust"] for item in items)


def test_the_duty_to_respond_within_56_days_is_each_concerns_deadline():
    for item in extract_items(PFD).occurrences:
        assert item.relative_deadline is not None and item.relative_deadline.days == 56
        assert item.deadline is None
