"""Model rules an admin or importer would run into: validation messages and conflicting deadlines."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from recommendations.models import Document, Recommendation, RecommendationAppearance
from tests.factories import (
    CommitmentFactory,
    DocumentFactory,
    RecommendationFactory,
    ReportFactory,
    ResponseFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_reply_dated_before_the_report_was_published_is_refused():
    response = ResponseFactory.build(
        recommendation=RecommendationFactory(report=ReportFactory(published=D(2022, 3, 22))),
        letter=DocumentFactory(),
        date_received=D(2022, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        response.full_clean()
    assert "before the report was published (22 March 2022)" in str(error.value)


def test_closing_an_item_needs_evidence():
    response = ResponseFactory(implementation_status="implemented", implementation_evidence="")
    with pytest.raises(ValidationError) as error:
        response.full_clean()
    assert "evidence" in str(error.value)
    response.implementation_evidence = "Published on 1 December 2022: https://example.org/review"
    response.full_clean()


def test_one_reply_per_recommendation_per_letter():
    response = ResponseFactory()
    duplicate = ResponseFactory.build(recommendation=response.recommendation, letter=response.letter)
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_overriding_the_response_due_date_needs_a_reason():
    report = ReportFactory(response_due_override=D(2022, 9, 1), response_due_override_reason="")
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "Say why" in str(error.value)


def test_a_deadline_needs_a_precision():
    rec = RecommendationFactory(deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision="")
    with pytest.raises(ValidationError):
        rec.full_clean()


def test_recommendation_numbers_are_unique_within_a_report():
    rec = RecommendationFactory(number=4)
    with pytest.raises(ValidationError):
        RecommendationFactory.build(report=rec.report, number=4, text="Another").full_clean()
    RecommendationFactory(number=4, text="Same number, another report").full_clean()


def test_document_date_and_precision_must_agree():
    document = DocumentFactory.build(date=None, date_precision="day")
    with pytest.raises(ValidationError):
        document.full_clean()


def test_a_commitment_in_a_reply_belongs_to_that_letter():
    commitment = CommitmentFactory()
    commitment.document = DocumentFactory()
    with pytest.raises(ValidationError):
        commitment.full_clean()


class TestDeadlineConflicts:
    def _appear(self, rec, document, section, line, deadline, words):
        return RecommendationAppearance.objects.create(
            recommendation=rec, document=document, section=section, line=line, text=rec.text,
            deadline=deadline, deadline_text=words, deadline_precision="month" if deadline else "",
        )

    def test_copies_that_disagree_are_all_kept(self):
        report_doc = DocumentFactory(kind=Document.Kind.COMMITTEE_REPORT)
        rec = RecommendationFactory(number=16, deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision="month")
        summary = self._appear(rec, report_doc, "summary", 223, D(2020, 5, 31), "by May 2020")
        chapter = self._appear(rec, report_doc, "chapter", 1342, D(2020, 7, 31), "by July 2020")
        conflicts = Recommendation.objects.prefetch_related("appearances").get(pk=rec.pk).deadline_conflicts()
        assert [(a.deadline, a.section) for a in conflicts] == [(summary.deadline, "summary"), (chapter.deadline, "chapter")]

    def test_copies_that_agree_are_no_conflict(self):
        report_doc = DocumentFactory(kind=Document.Kind.COMMITTEE_REPORT)
        rec = RecommendationFactory()
        self._appear(rec, report_doc, "summary", 10, D(2020, 5, 31), "by May 2020")
        self._appear(rec, report_doc, "chapter", 500, D(2020, 5, 31), "by the end of May 2020")
        self._appear(rec, report_doc, "page", 900, None, "")
        assert rec.deadline_conflicts() == []
