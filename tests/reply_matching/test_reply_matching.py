"""Matching replies to the recommendations they answer, pinned where mutation testing (`make
mutation`, bench/MUTATION.md) found the matching untested: a reply under a topic subheading that
names no number and does not restate its recommendation, a reply to a number the report does not
have, and replies whose number simply agrees. Every letter here is written for these tests."""

from importer.parsing.replies import extract_replies, match_replies
from importer.parsing.types import ParsedReply

RECOMMENDATIONS = [
    (1, "The council should publish the grit bin locations on its website before each winter."),
    (2, "The council should inspect every playground for broken swings twice a year."),
    (3, "The council should answer noise complaints about late-night deliveries within five working days."),
]


def _letter(*sections: str) -> str:
    return "Dear Chair,\n\nScrutiny review of neighbourhood services\n\n" + "\n\n".join(sections) + "\n\nYours sincerely,\nA. Officer\n"


GRIT = "Grit bins\n\nWe will publish a map of every grit bin location on the website each October, ahead of winter."
PLAYGROUNDS = "Playgrounds\n\nWe accept this. Inspectors will check all swings in each playground twice a year and repair broken ones."


def _topics(result):
    return [(reply.topic, reply.number) for reply in result.replies]


def test_a_topic_reply_that_names_no_number_takes_the_recommendation_its_words_match():
    result = extract_replies(_letter(GRIT, PLAYGROUNDS), recommendations=RECOMMENDATIONS)

    assert _topics(result) == [("Grit bins", 1), ("Playgrounds", 2)]
    assert [reply.suggested_number for reply in result.replies] == [1, 2]
    assert result.warnings == [
        "reply under 'Grit bins' (line 5): matched by its words to recommendation 1 (79%)",
        "reply under 'Playgrounds' (line 9): matched by its words to recommendation 2 (66%)",
    ]


def test_two_topics_about_one_recommendation_do_not_both_take_its_number():
    twice = "Winter gritting\n\nWe will publish the grit bin map on the website before winter, with every grit bin location."
    result = extract_replies(_letter(GRIT, twice), recommendations=RECOMMENDATIONS)

    assert _topics(result) == [("Grit bins", 1), ("Winter gritting", 0)]
    assert result.warnings[1] == "reply under 'Winter gritting' (line 9): names no number and its words match no one recommendation"


def test_a_topic_whose_words_match_no_recommendation_keeps_number_0_and_says_so():
    libraries = "Libraries\n\nWe will keep every branch library open on Saturday mornings throughout the year."
    result = extract_replies(_letter(libraries), recommendations=RECOMMENDATIONS)

    assert _topics(result) == [("Libraries", 0)]
    assert result.replies[0].suggested_number is None
    assert result.warnings == ["reply under 'Libraries' (line 5): names no number and its words match no one recommendation"]


def test_a_topic_that_touches_a_recommendation_only_slightly_is_not_matched_to_it():
    # shares "website" with recommendation 1 and nothing else: too little likeness to call it that reply
    website = "Our website\n\nWe will redesign the website so residents can report problems from a phone."
    result = extract_replies(_letter(website), recommendations=RECOMMENDATIONS)

    assert _topics(result) == [("Our website", 0)]


def test_a_topic_that_matches_two_recommendations_equally_is_matched_to_neither():
    recommendations = [
        (1, "The council should repair potholes on residential streets."),
        (2, "The council should repair potholes on cycle lanes."),
        (3, "The council should plant street trees."),
    ]
    both = "Roads\n\nWe will repair potholes faster, whether on residential streets or cycle lanes."
    result = extract_replies(_letter(both), recommendations=recommendations)

    assert _topics(result) == [("Roads", 0)]


def _reply(number: int, text: str) -> ParsedReply:
    return ParsedReply(number=number, recommendation_text="", text=text, commitments=[], line=1)


def test_a_numbered_reply_that_agrees_with_its_number_needs_no_note_and_no_suggestion():
    letter = (
        "Recommendation 1\n\nWe accept this recommendation and will publish the map each October.\n\n"
        "Recommendation 2\n\nWe accept this recommendation; inspections begin in April.\n"
    )
    result = extract_replies(letter, recommendations=RECOMMENDATIONS)

    assert [(reply.number, reply.suggested_number) for reply in result.replies] == [(1, None), (2, None)]
    assert result.warnings == []
    assert [(p.number, p.score, p.note) for p in match_replies(result.replies, RECOMMENDATIONS)] == [(1, None, ""), (2, None, "")]


def test_a_reply_to_a_number_the_report_does_not_have_is_matched_by_its_words_or_flagged():
    by_words = _reply(9, "We will check all the swings in every playground twice a year.")
    unknown = _reply(8, "We will keep every branch library open on Saturday mornings.")

    matched, unmatched = match_replies([by_words, unknown], RECOMMENDATIONS)

    assert matched.reply is by_words
    assert (matched.number, round(matched.score, 2)) == (2, 0.83)
    assert matched.note == "no number; its words resemble recommendation 2 (83%)"
    assert (unmatched.reply, unmatched.number, unmatched.score) == (unknown, None, None)
    assert unmatched.note == "no recommendation 8 to answer"


def test_a_reply_to_an_unknown_number_is_reported_to_the_editor():
    letter = "Recommendation 9\n\nWe will keep every branch library open on Saturday mornings throughout the year.\n"
    result = extract_replies(letter, recommendations=RECOMMENDATIONS)

    assert [reply.number for reply in result.replies] == [9]
    assert "reply 9 (line 1): no recommendation 9 to answer" in result.warnings


def test_a_reply_to_a_group_does_not_stop_the_replies_after_it_being_matched():
    letter = (
        "Response to the scrutiny review of neighbourhood services\nPublished 1 May 2025\n"
        "The council accepts all the recommendations addressed to the parks service.\n\n" + GRIT + "\n"
    )
    result = extract_replies(letter, recommendations=RECOMMENDATIONS)

    assert [(reply.covers, reply.number) for reply in result.replies] == [("all the recommendations addressed to the parks service", 0), ("", 1)]
    assert result.warnings[1:] == [  # the group is told once, never matched to one recommendation by its words
        "reply to a group (line 3): 'all the recommendations addressed to the parks service' are answered at once (accepted); "
        "match it to each recommendation it covers",
        "reply under 'Grit bins' (line 5): matched by its words to recommendation 1 (79%)",
    ]
