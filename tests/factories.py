"""factory_boy factories for behaviour tests: the one factories module (tests in every folder import
from here). Seed data comes from the importer, never from here."""

import datetime
import hashlib

import factory
from factory.django import DjangoModelFactory

from recommendations.dates import DatePrecision
from recommendations.models import Document, Organisation, Recommendation, RecommendationAppearance, Report
from responses.models import Ask, Commitment, Consultation, Response, Submission


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.OTHER


class CommitteeFactory(OrganisationFactory):
    name = "London Assembly Police and Crime Committee"
    short_name = "Committee"
    slug = "police-and-crime-committee"
    kind = Organisation.Kind.COMMITTEE


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    kind = Document.Kind.RESPONSE_LETTER
    title = factory.Sequence(lambda n: f"Letter {n}")
    source_file = factory.Sequence(lambda n: f"letter-{n}.txt")
    text = factory.Sequence(lambda n: f"Dear Chair,\nReply number {n}.\n")
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())
    date = datetime.date(2022, 8, 18)
    date_precision = DatePrecision.DAY


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report

    slug = factory.Sequence(lambda n: f"report-{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    committee = factory.SubFactory(CommitteeFactory)
    published = datetime.date(2022, 3, 22)
    published_precision = DatePrecision.DAY


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"MOPAC should do thing {n}.")
    deadline = None
    deadline_text = ""
    deadline_precision = ""


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    recommendation = factory.SubFactory(RecommendationFactory)
    letter = factory.SubFactory(DocumentFactory)
    text = "MOPAC is doing this."
    date_received = datetime.date(2022, 8, 18)


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    response = factory.SubFactory(ResponseFactory)
    document = factory.LazyAttribute(lambda o: o.response.letter)
    position = factory.Sequence(lambda n: n)
    text = "The review will be published later this year."
    due_date = datetime.date(2022, 12, 31)
    due_text = "later this year"
    due_precision = DatePrecision.YEAR


# --- Copies of recommendations; consultations, submissions and their asks ---------------------------


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
