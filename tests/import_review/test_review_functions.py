"""The pure parts of the review: applying corrections to a reading, splitting and joining items,
typed recommendations, the mismatch flag, and a letter's closing courtesies."""

import datetime

from importer.parsing.response_letter import parse_response_letter, without_closing_courtesies
from importer.review import (
    merge_items,
    reply_flag,
    review_apply,
    review_items,
    split_item,
    suggestions,
    typed_items,
)

from .documents import LETTER


def test_review_apply_changes_the_reading_and_keeps_every_other_field():
    parsed = parse_response_letter(LETTER)
    items = review_items(parsed, None)
    items[1]["number"] = 2
    reviewed = review_apply(parsed, {"items": items})
    assert [reply.number for reply in reviewed.replies] == [1, 2]
    assert reviewed.replies[1].line == parsed.replies[1].line  # untouched fields pass through
    assert [reply.number for reply in parsed.replies] == [1, 3]  # the reading itself is not changed


def test_split_then_merge_gives_back_the_text_and_moves_commitments_with_their_sentence():
    items = review_items(parse_response_letter(LETTER), None)
    split = split_item(items, 0, 1)
    assert [item["text"] for item in split[:2]] == [
        "MOPAC accepts this recommendation.",
        "The plan will be published by September 2024.",
    ]
    assert split[0]["commitments"] == [] and len(split[1]["commitments"]) == 1
    assert merge_items(split, 0)[0]["commitments"] == items[0]["commitments"]


def test_typed_recommendations_keep_their_numbers_or_are_numbered_on():
    numbered = typed_items("1. MOPAC should act by June 2024.\n\nRecommendation 4: The Met must report.")
    assert [(item["number"], item["addressees"], item["deadline"]) for item in numbered] == [
        (1, ["MOPAC"], "2024-06-30"),
        (4, ["Met"], None),
    ]
    assert [item["number"] for item in typed_items("The Mayor should fund it.\nThe Met must say so.", after=3)] == [4, 5]


def test_a_restatement_of_another_recommendation_is_flagged_and_suggested_first():
    recommendations = {2: "The Met must publish ward officer vacancy rates every quarter.", 3: "The Mayor should fund youth outreach workers."}
    restated = "The Met must publish ward officer vacancy rates every quarter and explain each gap."
    assert suggestions(restated, recommendations)[0][0] == 2
    flag = reply_flag(3, restated, 3, recommendations)
    assert flag.better == 2 and "matches recommendation 2 better" in str(flag)
    assert reply_flag(3, restated, 2, recommendations) is None


def test_a_letter_closing_courtesies_are_not_part_of_its_last_reply():
    last = parse_response_letter(LETTER).replies[-1].text
    assert last.endswith("from July 2024.")
    assert without_closing_courtesies("We will act. I hope this is helpful.\n\nYours sincerely,\n\nSadiq Khan") == "We will act."
    # a courtesy inside a reply is the reply's
    kept = "The Deputy Mayor would be happy to discuss this. MOPAC will publish it."
    assert without_closing_courtesies(kept) == kept


def test_a_date_correction_replaces_the_document_date():
    reviewed = review_apply(parse_response_letter(LETTER), {"details": {"date": "2024-04-30"}})
    assert reviewed.date.date == datetime.date(2024, 4, 30)
