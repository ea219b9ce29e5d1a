"""Replies in the layouts forces and inspectorates publish them: numbered recommendations each
answered under a "Force response:" / "MPS response:" / "Response:" label; a learning-recommendation
page where a lone status line ("Accepted:", "Partially accepted:") answers the recommendation above
it; progress reports with status tables. Every document in ``a2_layouts/`` is written for these tests
in those layouts; none is copied from a real one."""

import datetime
from pathlib import Path

import pytest

from importer.accuracy import items_of
from importer.parsing import families
from importer.parsing.addressees import actors_of, addressees_of
from importer.parsing.replies import extract_replies
from importer.services import document_import
from recommendations.models import Recommendation, Report
from responses.models import Response

LAYOUTS = Path(__file__).parent / "a2_layouts"


def _read(name: str) -> str:
    return (LAYOUTS / name).read_text(encoding="utf-8")


def _replies(name: str):
    return extract_replies(_read(name)).replies


# --- numbered recommendations answered under a response label ------------------------------------


def test_each_numbered_recommendation_is_restated_and_the_labelled_paragraph_is_its_reply():
    replies = _replies("force_responses.txt")
    assert [reply.number for reply in replies] == [2, 4, 5]  # not consecutive: only the force's recommendations
    assert replies[0].recommendation_text.startswith("By 30 September 2024, the force should review")
    assert replies[0].text.startswith("A new custody record template went live") and "Force response" not in replies[0].text
    assert replies[1].stated_position == "accepted"
    assert "appropriate adult is available at all hours" in replies[1].text


def test_a_numbered_list_inside_a_reply_stays_part_of_it_and_a_heading_after_it_does_not():
    replies = _replies("force_responses.txt")
    assert [reply.number for reply in replies] == [2, 4, 5]  # the reply's own "1." and "2." start no reply
    assert "Figures by age will follow." in replies[2].text
    assert "Further points" not in replies[1].text
    assert any(commitment.text.startswith("we will audit") or "audit a sample" in commitment.text for commitment in replies[0].commitments)


def test_a_document_of_labelled_replies_is_read_as_a_reply():
    family, parsed = families.read(_read("force_responses.txt"))
    assert family.name == "reply_document" and len(parsed.replies) == 3


# --- a lone status line answers the recommendation above it --------------------------------------


def test_a_lone_status_line_answers_the_single_recommendation_above_it():
    result = extract_replies(_read("learning_recommendation.txt"))
    (reply,) = result.replies
    assert reply.number == 1 and reply.stated_position == "partially_accepted"
    assert reply.recommendation_text.startswith("The inspectorate recommends that Eastvale Fire and Rescue Service")
    assert "This recommendation follows" not in reply.recommendation_text  # the explanation is neither
    assert "A prompt will be added" in reply.text
    assert result.respondent == "Eastvale Fire and Rescue Service"
    (promise,) = reply.commitments
    assert promise.due.date == datetime.date(2024, 12, 31)


def test_each_status_line_answers_its_own_numbered_recommendation():
    first, second = _replies("two_learning_recommendations.txt")
    assert (first.number, first.stated_position) == (1, "accepted")
    assert (second.number, second.stated_position) == (2, "not_accepted")
    assert "call handlers" not in first.text and "risk assessment tool" in second.text
    assert second.recommendation_text.startswith("Harbour City Police should give call handlers")
    assert families.read(_read("two_learning_recommendations.txt"))[0].name == "reply_document"


# --- status tables ---------------------------------------------------------------------------


def test_every_row_of_a_status_table_is_a_reply_with_its_update_even_with_no_stated_position():
    replies = _replies("status_table.txt")
    assert [(reply.number, reply.stated_position) for reply in replies] == [(1, "accepted"), (2, ""), (3, "not_accepted")]
    assert replies[0].text == "The new training package for control staff was launched in February 2024."
    (promise,) = replies[1].commitments
    assert promise.due.date == datetime.date(2024, 6, 30)


def test_a_status_table_that_restates_each_recommendation_keeps_it_apart_from_the_update():
    first, second = _replies("status_table_restated.txt")
    assert first.recommendation_text == "The force should train every call handler in the new risk assessment by 31 July 2024."
    assert first.stated_position == "accepted" and first.text.startswith("Nine in ten call handlers")
    assert second.stated_position == "" and second.text == "The first figures will appear on the force website in the autumn."


# --- numbers that are not recommendations ------------------------------------------------------


def test_a_papers_paragraph_number_is_not_a_recommendation_number():
    text = "2. Recommendation\n2.1 That the Committee notes the completed and outstanding actions.\nRecommendation 2.1 is for noting only."
    assert [reply.number for reply in extract_replies(text).replies] == []


# --- addressees of restatements ------------------------------------------------------------------


def test_a_recommendation_said_to_be_for_or_directed_at_a_body_names_it_as_the_addressee():
    assert actors_of("Recommendation for LFB: review the training of control room staff by March 2024.") == ["London Fire Brigade"]
    assert actors_of("This recommendation is directed at HMICFRS: inspect call handling again.") == ["HMICFRS"]
    assert addressees_of("Recommendation for the Metropolitan Police: review stop and search forms.") == ["Met"]
    assert addressees_of("The Met should work with TfL to review its forms.") == ["Met"]  # a partner named later is not one


def test_the_accuracy_measure_gives_restatements_the_addressees_and_deadlines_the_saver_records():
    parsed = families.read(_read("met_answers.txt"))[1]
    first, second = items_of(parsed)
    assert (first.number, first.addressees, first.deadline_date) == (1, ["Met"], "2024-09-30")
    assert second.addressees == ["Met"] and second.deadline_date is None


@pytest.mark.django_db
def test_labelled_replies_are_saved_to_the_recommendations_they_answer_with_the_stated_position():
    document_import(data=_read("report_for_met.txt").encode(), source_name="custody.txt", commit=True)
    report = Report.objects.get()
    result = document_import(data=_read("met_answers.txt").encode(), source_name="answers.txt", report_slug=report.slug, commit=True)
    assert result.matched == 2
    saved = dict(Response.objects.values_list("recommendation__number", "stated_position"))
    assert saved == {1: "", 2: "accepted"}
    assert Response.objects.get(recommendation__number=1).text.startswith("A new custody record template went live in March.")
    assert not Recommendation.objects.filter(number=0).exists()
