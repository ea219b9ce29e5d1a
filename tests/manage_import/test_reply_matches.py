"""``document_import(reply_matches=...)``: an editor's corrections to which recommendation each
reply of a letter answers, and the per-reply details an import preview shows."""

import datetime

import pytest

from importer.services import ImportProblem, ReplyMatch, document_import
from recommendations.models import Recommendation, Report
from responses.models import Commitment, Response

from .conftest import VAWG_LETTER, database_counts
from .documents import ANSWERS_ETHNICITY, ANSWERS_MONITORING, LETTER, REPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    document_import(data=REPORT.encode(), source_name="report.txt", commit=True)
    return Report.objects.get()


def _import_letter(**kwargs):
    return document_import(data=LETTER.encode(), source_name="letter.txt", **kwargs)


def _reply_text(report, number):
    return Response.objects.get(recommendation__report=report, recommendation__number=number).text


def test_without_corrections_the_letter_numbers_decide_and_the_preview_says_which_look_wrong(report):
    result = _import_letter()
    assert [(r.reply_number, r.recommendation_number, r.how) for r in result.replies] == [
        (1, 1, ReplyMatch.How.MATCHED),
        (2, 2, ReplyMatch.How.MATCHED),
        (3, 3, ReplyMatch.How.MATCHED),
        (4, 4, ReplyMatch.How.NEW),  # not in the report: would be created from the letter's restatement
    ]
    one, two, three, four = result.replies
    assert one.score == pytest.approx(1.0) and not one.poor_match
    assert two.poor_match and three.poor_match  # each restates the other's recommendation
    assert two.recommendation_text.startswith("The Met must record the ethnicity")
    assert two.restated_text.startswith("The Mayor should fund")
    assert four.recommendation_text == "" and four.score is None
    assert [c.due.date for c in one.commitments] == [datetime.date(2024, 9, 30)]
    assert any("Reply 2" in warning and "poorly" in warning for warning in result.warnings)
    assert result.report_slug == report.slug and not result.report_created
    assert sorted(result.report_recommendations) == [1, 2, 3]
    assert result.document_pk is None  # a preview keeps nothing


def test_swapped_replies_are_saved_against_the_recommendations_they_answer(report):
    result = _import_letter(reply_matches={2: 3, 3: 2, 4: None}, commit=True)

    assert [(r.reply_number, r.recommendation_number, r.how) for r in result.replies] == [
        (1, 1, ReplyMatch.How.MATCHED),
        (2, 3, ReplyMatch.How.CORRECTED),
        (3, 2, ReplyMatch.How.CORRECTED),
        (4, None, ReplyMatch.How.SKIPPED),
    ]
    assert not any(reply.poor_match for reply in result.replies)  # scored against the right wording
    assert ANSWERS_ETHNICITY in _reply_text(report, 2)
    assert ANSWERS_MONITORING in _reply_text(report, 3)
    assert sorted(report.recommendations.values_list("number", flat=True)) == [1, 2, 3]  # no recommendation 4
    assert Response.objects.count() == 3
    # the commitments follow their reply; the skipped reply's commitment is not saved
    monitoring = Commitment.objects.get(due_date=datetime.date(2025, 3, 31))
    assert monitoring.response.recommendation.number == 3
    assert not Commitment.objects.filter(text__contains="handcuffing").exists()
    # the letter's restatement is kept as a copy of the recommendation it really restates
    rec3 = Recommendation.objects.get(report=report, number=3)
    assert rec3.appearances.get(section="letter").text.startswith("The Mayor should fund")
    assert result.matched == 3 and result.missed == 0 and result.found == 4
    assert result.actions["skipped"] == 1


def test_a_skipped_reply_leaves_its_recommendation_unanswered(report):
    result = _import_letter(reply_matches={3: None, 4: None}, commit=True)
    assert sorted(Response.objects.values_list("recommendation__number", flat=True)) == [1, 2]
    assert result.missed == 1
    assert any("have no reply in this letter: 3" in warning for warning in result.warnings)


def test_a_preview_with_corrections_writes_nothing(report):
    before = database_counts()
    result = _import_letter(reply_matches={2: 3, 3: 2, 4: None})
    assert not result.committed
    assert database_counts() == before


@pytest.mark.parametrize(
    "matches, message",
    [
        ({2: 3}, "Replies 2 and 3 would both answer recommendation 3"),
        ({9: 1}, "The letter has no reply numbered 9"),
        ({2: 7}, "Reply 2 cannot answer recommendation 7: 'Stop and search in London' has no recommendation 7"),
    ],
    ids=["two-replies-one-recommendation", "no-such-reply", "no-such-recommendation"],
)
def test_impossible_corrections_are_refused_and_write_nothing(report, matches, message):
    before = database_counts()
    with pytest.raises(ImportProblem, match=message):
        _import_letter(reply_matches=matches, commit=True)
    assert database_counts() == before


def test_corrections_are_only_for_letters(report):
    with pytest.raises(ImportProblem, match="Only a response letter"):
        document_import(data=REPORT.encode(), source_name="again.txt", reply_matches={1: None}, commit=True)


def test_the_seed_letter_previews_every_reply_beside_its_recommendation(vawg_report):
    result = document_import(data=VAWG_LETTER.read_bytes(), source_name=VAWG_LETTER.name)
    assert len(result.replies) == 14
    assert all(reply.how == ReplyMatch.How.MATCHED for reply in result.replies)
    assert [reply.recommendation_number for reply in result.replies] == list(range(1, 15))
    assert all(reply.score is not None for reply in result.replies)
    # the page's short form beside the letter's fuller restatement
    first = result.replies[0]
    assert first.restated_text.endswith("hold the Met to account on this.")
    assert first.recommendation_text.endswith("including by race and other protected characteristics.")
    later_this_year = [c for c in result.replies[1].commitments if c.due]
    assert [(c.due.date, c.due.text) for c in later_this_year] == [(datetime.date(2022, 12, 31), "later this year")]
    assert result.report_title == "Violence Against Women and Girls" and not result.report_created


def test_a_letter_for_a_report_not_in_the_tracker_says_it_will_be_created(db):
    result = _import_letter()
    assert result.report_created and result.report_title == "Stop and search in London"
    assert Report.objects.count() == 0
    assert {reply.how for reply in result.replies} == {ReplyMatch.How.NEW}
