"""Replies that restate recommendations in the respondent's own summary, and replies to a group of
recommendations at once ("accepts all three recommendations"), read and saved; the page names
whoever replied. Every document here is written for these tests in the layouts real replies use
(a news page with topic subheadings, a short covering letter); none is copied from a real one."""

import datetime

import pytest

from importer.parsing import families
from importer.parsing.replies import describes_recommendation, expand_group_replies, extract_replies
from importer.services import document_import
from recommendations.models import Recommendation, Report
from responses.models import Commitment, Response

# A news page: a blanket acceptance, then topic subheadings that summarise what was recommended
# before answering it. No numbers anywhere.
NEWS_PAGE = (
    "Published 2 May 2025\n\n"
    "Riverside Ambulance Trust has accepted all the recommendations directed to the Trust and ambulance services and supports "
    "the other four recommendations in the 'Riverside Ambulance Trust' chapter of the review, setting out its response to each in detail.\n\n"
    "Handover delays\n"
    "The review's two recommendations on handovers ask the Trust to agree a maximum handover time with every hospital. "
    "The Trust fully accepts these recommendations. The Trust will publish handover times monthly from April 2025.\n\n"
    "Call handling\n"
    "Three recommendations are addressed to the regulator and suggest that call handling should be inspected again within a year. "
    "The Trust welcomes any further inspection and was last inspected in May 2024.\n"
)

REPORT = """Waiting for Help: ambulance response times
Health Committee
Published 3 February 2025
The Committee makes three recommendations.
- Recommendation 1: The Trust should agree a maximum handover time with every hospital by 30 June 2025.
- Recommendation 2: The Trust should publish its response times for each borough every month.
- Recommendation 3: The regulator should inspect call handling again within a year.
"""

EVERY_ONE = """Response to Waiting for Help: ambulance response times
Published 1 May 2025
The Trust accepts all three recommendations of the Committee's report and will report on progress every quarter.
"""

SOME_OF_THEM = """Response to Waiting for Help: ambulance response times
Published 1 May 2025
The Trust accepts all the recommendations addressed to the Trust. The Trust will write to every hospital by the end of June 2025.
"""


def test_a_summary_of_the_recommendation_is_told_apart_from_the_reply_under_a_topic_subheading():
    result = extract_replies(NEWS_PAGE)
    topics = {reply.topic: reply for reply in result.replies if reply.topic}
    handover, calls = topics["Handover delays"], topics["Call handling"]
    assert handover.recommendation_text.startswith("The review's two recommendations on handovers ask the Trust")
    assert handover.text.startswith("The Trust fully accepts these recommendations.")
    assert handover.stated_position == "accepted"
    assert handover.commitments[0].text.startswith("The Trust will publish handover times monthly")
    assert calls.recommendation_text.startswith("Three recommendations are addressed to the regulator")
    assert calls.text.startswith("The Trust welcomes any further inspection")


def test_a_sentence_answering_or_promising_is_never_taken_for_a_restatement():
    assert describes_recommendation("The inquiry recommended that every crew carries a second defibrillator.")
    assert not describes_recommendation("We accept this recommendation.")
    assert not describes_recommendation("These recommendations will be delivered by the end of the year.")
    assert not describes_recommendation("We recommend that the panel meets again.")


def test_a_blanket_acceptance_and_a_blanket_support_are_replies_to_groups_with_their_own_positions():
    result = extract_replies(NEWS_PAGE)
    groups = [(reply.number, reply.covers, reply.stated_position) for reply in result.replies if reply.covers]
    assert groups == [
        (0, "all the recommendations directed to the Trust and ambulance services", "accepted"),
        (0, "the other four recommendations in the 'Riverside Ambulance Trust' chapter of the review", "supported"),
    ]
    assert any("reply to a group" in warning for warning in result.warnings)


def test_all_the_recommendations_of_a_known_report_become_one_reply_each_and_a_narrowed_group_does_not():
    recommendations = [(number, text) for number, text in [(1, "Agree a handover time."), (2, "Publish response times."), (3, "Inspect call handling.")]]
    every = extract_replies(EVERY_ONE, recommendations=recommendations)
    assert [(r.number, r.stated_position) for r in every.replies] == [(1, "accepted"), (2, "accepted"), (3, "accepted")]
    assert all(reply.commitments == [] for reply in every.replies)  # the promise is made once, by the document
    assert [c.text for c in every.commitments] == [
        "The Trust accepts all three recommendations of the Committee's report and will report on progress every quarter."
    ]
    some = extract_replies(SOME_OF_THEM, recommendations=recommendations)
    assert [(r.number, r.covers) for r in some.replies] == [(0, "all the recommendations addressed to the Trust")]
    # a count that is not the report's is not every recommendation; a reply of its own is kept
    (one, *rest) = extract_replies(EVERY_ONE.replace("three", "five"), recommendations=recommendations).replies
    assert (one.number, rest) == (0, [])
    numbered = extract_replies(EVERY_ONE, recommendations=recommendations).replies
    assert expand_group_replies(numbered, recommendations) == numbered  # already one each: nothing more


def test_the_news_page_is_read_as_a_reply_document():
    family, parsed = families.read(NEWS_PAGE)
    assert family.name == "reply_document" and parsed.respondent == "Riverside Ambulance Trust"


@pytest.mark.django_db
def test_a_blanket_acceptance_is_saved_as_a_reply_to_each_recommendation_with_its_position(client):
    document_import(data=REPORT.encode(), source_name="waiting.txt", commit=True)
    report = Report.objects.get()
    result = document_import(data=EVERY_ONE.encode(), source_name="every.txt", kind="reply_document", report_slug=report.slug, commit=True)
    assert result.matched == 3
    assert sorted(Response.objects.values_list("recommendation__number", "stated_position")) == [(1, "accepted"), (2, "accepted"), (3, "accepted")]
    (promise,) = Commitment.objects.all()
    assert promise.response is None and promise.text.endswith("every quarter.")
    page = client.get(Recommendation.objects.get(number=2).get_absolute_url()).content.decode()
    assert "The Trust replied" in page and "The Mayor replied" not in page


@pytest.mark.django_db
def test_a_reply_to_some_recommendations_is_not_saved_to_a_guess_and_its_promise_is_kept():
    document_import(data=REPORT.encode(), source_name="waiting.txt", commit=True)
    report = Report.objects.get()
    result = document_import(data=SOME_OF_THEM.encode(), source_name="some.txt", kind="reply_document", report_slug=report.slug, commit=True)
    assert Response.objects.count() == 0 and not Recommendation.objects.filter(number=0).exists()
    assert any("The reply to 'all the recommendations addressed to the Trust'" in warning for warning in result.warnings)
    (promise,) = Commitment.objects.all()
    assert promise.response is None and promise.due_date == datetime.date(2025, 6, 30)


@pytest.mark.django_db
def test_a_topic_reply_that_restates_never_makes_a_recommendation_numbered_0():
    document_import(data=REPORT.encode(), source_name="waiting.txt", commit=True)
    report = Report.objects.get()
    page = NEWS_PAGE.replace("Published 2 May 2025", "Response to Waiting for Help\n\nPublished 2 May 2025")
    document_import(data=page.encode(), source_name="news.txt", kind="reply_document", report_slug=report.slug, commit=True)
    assert sorted(Recommendation.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert Commitment.objects.filter(text__startswith="The Trust will publish handover times monthly").exists()


# A select committee's follow-up answered by letter: each numbered conclusion restated with its
# paragraph reference, the reply after it in plain prose (the bold that marked it is lost).
CONCLUSIONS_ANSWERED = """Appendix: Government response

Letter from the Minister for Libraries, 4 March 2025

Thank you for the Committee's report on library opening hours and for its recommendations.

1. We are concerned that opening hours have fallen in most towns. The Department should publish
the hours of every library each year. (Paragraph 12)

The Department agrees with this recommendation and will publish the first list by the end of 2025.

2. The Department must not close a library without consulting its users. (Paragraphs 18 and 19)

The Department does not accept this recommendation. Closures are for councils to decide.
"""


def test_numbered_conclusions_with_paragraph_references_are_restatements_and_the_prose_after_them_replies():
    result = extract_replies(CONCLUSIONS_ANSWERED)
    first, second = result.replies
    assert (first.number, second.number) == (1, 2)
    assert first.recommendation_text.startswith("We are concerned that opening hours") and first.recommendation_text.endswith("each year.")
    assert first.text.startswith("The Department agrees") and first.stated_position == "accepted"
    assert first.commitments[0].due.date == datetime.date(2025, 12, 31)
    assert second.stated_position == "not_accepted"
    assert result.respondent == "Minister for Libraries"  # not the letter's date
