"""General replies: commitments, replies under topic subheadings, answers to questions, and how
a response is recognised. Test documents are written here, in each layout, in our own words."""

import datetime

from importer.parsing import families
from importer.parsing.commitments import extract_commitments
from importer.parsing.replies import extract_replies

PROGRESS_UPDATE = """Progress update

Published 3 March 2024

The council accepted all of the review's findings and will act on all 20 recommendations.

We will publish an update every six months until the work is finished.

Some recommendations will be done within weeks, such as the new complaints form (4), which needs no money, and the Housing Ombudsman liaison (7 and 8), which were already under way.
"""

TOPIC_REPLY = """Dear Chair,

Thank you for your committee's report. I set out below how the service answers it.

Learning from incidents

The review's one recommendation on learning asks for a system to share lessons. The Service fully accepts this recommendation. The Service will also review its debriefing process by the end of June 2024.

Staff wellbeing

Two recommendations concern support for staff after traumatic calls. We intend to appoint a wellbeing lead within three months.

Yours sincerely,
Jo Bloggs
Chief Fire Officer
"""

QUESTION_TIME = """Question time on 2023-02-02
Question By:
A Member
Asked Of:
The Mayor

Many tenants wait months for repairs. What will you do about the committee's report on repairs?

Answered By:
The Mayor

The Mayor: Thank you for the committee's report on repairs, which I read closely. I will write to every landlord this spring asking them to publish repair times.
"""

RECOMMENDATIONS = [
    (1, "The Service should build a system to share lessons learned from incidents and debriefs."),
    (2, "The Service should provide support to staff after traumatic calls, with a named wellbeing lead."),
]


def test_commitments_are_the_writers_future_actions_with_due_words_and_dates():
    found = extract_commitments(
        "We will publish a plan within three months. I know you will be keen to see it. "
        "The Board intends to report by March 2025. Staff were trained last year. We are committed to reviewing the policy quarterly.",
        reference_date=datetime.date(2024, 1, 10),
    )
    texts = [c.text for c in found]
    assert texts == [
        "We will publish a plan within three months.",
        "The Board intends to report by March 2025.",
        "We are committed to reviewing the policy quarterly.",
    ]
    assert found[0].due.date == datetime.date(2024, 4, 10)  # counted from the reply's date
    assert found[1].due.date == datetime.date(2025, 3, 31)
    assert found[2].due is None and found[2].due_words == "quarterly"


def test_a_progress_update_keeps_document_promises_and_splits_a_sentence_answering_several_groups():
    result = extract_replies(PROGRESS_UPDATE)
    assert [c.text for c in result.commitments][:2] == [
        "The council accepted all of the review's findings and will act on all 20 recommendations.",
        "We will publish an update every six months until the work is finished.",
    ]
    by_number = {reply.number: reply for reply in result.replies}
    assert set(by_number) == {0, 4, 7, 8}
    # the blanket acceptance is a reply to a group, its promise left to the document
    assert (by_number[0].covers, by_number[0].stated_position, by_number[0].commitments) == ("all 20 recommendations", "accepted", [])
    assert by_number[4].commitments[0].text.startswith("Some recommendations will be done within weeks")
    assert by_number[7].commitments[0].text.startswith("the Housing Ombudsman liaison (7 and 8)")


def test_replies_under_topic_subheadings_are_read_and_matched_by_their_words():
    alone = extract_replies(TOPIC_REPLY)
    assert [(r.number, r.topic) for r in alone.replies] == [(0, "Learning from incidents"), (0, "Staff wellbeing")]
    assert alone.replies[0].stated_position == "accepted"
    assert alone.replies[0].commitments[0].due.date == datetime.date(2024, 6, 30)
    matched = extract_replies(TOPIC_REPLY, recommendations=RECOMMENDATIONS)
    assert [(r.number, r.topic) for r in matched.replies] == [(1, "Learning from incidents"), (2, "Staff wellbeing")]
    assert any("matched by its words to recommendation 2" in warning for warning in matched.warnings)


def test_an_answer_to_a_question_is_one_reply_under_the_question_and_the_page_is_a_response():
    result = extract_replies(QUESTION_TIME)
    (reply,) = result.replies
    assert reply.topic == "What will you do about the committee's report on repairs?"
    assert reply.text.startswith("The Mayor: Thank you")
    assert reply.commitments[0].text.startswith("I will write to every landlord")
    family, parsed = families.read(QUESTION_TIME)
    assert family.name == "reply_document" and parsed.replies


def test_a_paper_titled_as_a_forces_response_is_read_as_a_reply():
    paper = (
        "Force response to the Inspection of 2021\n\nReport: 4\nDate: 5 May 2022\n\nSummary\n\n"
        "The force has considered the inspection report and drafted its response.\n\n"
        "1. Whilst the Board endorses the force response, it notes, in relation to Recommendation 3 (training plan), "
        "that the force will train all sergeants by March 2023.\n"
    )
    family, parsed = families.read(paper)
    assert family.name == "reply_document"
    (reply,) = parsed.replies
    assert reply.number == 3
    assert reply.commitments[0].due.date == datetime.date(2023, 3, 31)


def test_saving_a_topic_reply_keeps_the_documents_own_promises_with_their_timing_words(db):
    from importer.services import document_import
    from responses.models import Commitment

    text = PROGRESS_UPDATE.replace("Progress update", "Progress update: the council's response to Fixing Repairs")
    document_import(data=text.encode(), source_name="update.txt", kind="reply_document", commit=True)
    saved = {c.text: c for c in Commitment.objects.all()}
    own = saved["We will publish an update every six months until the work is finished."]
    assert own.response is None  # the document's own promise, outside any reply
    # a promise inside a reply that could not be saved (the report has no recommendation 4 yet) is
    # kept once, as the document's own, never lost and never twice
    within_weeks = [c for c in Commitment.objects.all() if c.text.startswith("Some recommendations will be done")]
    assert len(within_weeks) == 1 and within_weeks[0].response is None
    assert Commitment.objects.filter(text__startswith="the Housing Ombudsman liaison (7 and 8)").count() == 1
