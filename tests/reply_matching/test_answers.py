"""An answer to a question ("Answered by:" then the answer): who answered and what was asked, as an
editor sees them on the preview. Pinned where mutation testing (bench/MUTATION.md) found them
untested; the questions and answers are written for these tests."""

from importer.parsing.replies import extract_replies

ANSWER = "We will open two more warm spaces in the borough's libraries before the first cold snap this winter."


def test_the_name_on_the_line_under_answered_by_is_who_replied():
    text = "Questions to the Leader\n\nWarm spaces\nWhat will the council do about warm spaces?\n\nAnswered by:\nThe Leader of the Council\n\n" + ANSWER + "\n"
    result = extract_replies(text)

    assert result.respondent == "The Leader of the Council"
    assert [(reply.topic, reply.text) for reply in result.replies] == [("What will the council do about warm spaces?", ANSWER)]


def test_an_answer_with_no_question_before_it_is_an_answer_to_the_question_asked():
    result = extract_replies("Answered by: The Leader of the Council\n\n" + ANSWER + "\n")

    assert result.respondent == "The Leader of the Council"
    assert [reply.topic for reply in result.replies] == ["the question asked"]


def test_answered_by_with_nobody_named_after_it_names_no_respondent():
    result = extract_replies("Warm spaces\n\nAnswered by:\n")

    assert result.respondent == ""
