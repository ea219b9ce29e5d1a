"""Factories the page tests need beyond tests/factories.py: copies of recommendations,
consultations, submissions and their asks."""

import datetime
import hashlib

import factory
from factory.django import DjangoModelFactory

from recommendations.models import Document, Organisation, RecommendationAppearance
from responses.models import Ask, Consultation, Submission
from tests.factories import DocumentFactory, RecommendationFactory


class AppearanceFactory(DjangoModelFactory):
    class Meta:
        model = RecommendationAppearance

    recommendation = factory.SubFactory(RecommendationFactory)
    document = factory.SubFactory(DocumentFactory, kind=Document.Kind.COMMITTEE_REPORT)
    section = RecommendationAppearance.Section.SUMMARY
    line = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda o: o.recommendation.text)


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Call for views {n}")


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    consultation = factory.SubFactory(ConsultationFactory)
    document = factory.SubFactory(
        DocumentFactory,
        kind=Document.Kind.CONSULTATION_COMPILATION,
        text=factory.Sequence(lambda n: f"From: someone {n}\nPlease act.\n"),
        sha256=factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest()),
    )
    respondent = "Pat Example"
    organisation = None
    respondent_kind = Organisation.Kind.PUBLIC
    label = factory.LazyAttribute(lambda o: o.respondent)
    date = datetime.date(2013, 2, 14)
    date_precision = "day"
    text = "Please act."
    start_line = factory.Sequence(lambda n: n * 10 + 1)
    end_line = factory.LazyAttribute(lambda o: o.start_line + 5)


class AskFactory(DjangoModelFactory):
    class Meta:
        model = Ask

    submission = factory.SubFactory(SubmissionFactory)
    text = "Commit to more neighbourhood officers."
    line = factory.Sequence(lambda n: n + 2)
