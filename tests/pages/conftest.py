"""Shared fixtures for the page tests: a frozen London day, and a database of a few thousand
generated recommendations for the query-count tests."""

import datetime
import hashlib
import zoneinfo

import pytest
import time_machine

from recommendations.dates import DatePrecision
from recommendations.models import Document, Organisation, Recommendation, RecommendationAppearance, Report
from responses.models import Ask, Commitment, Consultation, Response, Submission
from tests.factories import CommitteeFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2022, 9, 1)


@pytest.fixture
def today():
    """Freeze the clock at noon in London on ``TODAY`` (the views read it once per request)."""
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=LONDON), tick=False):
        yield TODAY


def _document(n: int, kind: str, date: datetime.date) -> Document:
    text = "\n".join(f"Line {i} of document {n}." for i in range(1, 201))
    return Document(
        kind=kind,
        title=f"Generated document {n}",
        source_file=f"generated-{n}.txt",
        sha256=hashlib.sha256(f"{n}{text}".encode()).hexdigest(),
        text=text,
        date=date,
        date_precision=DatePrecision.DAY,
    )


@pytest.fixture
def many_recommendations(db):
    """40 reports of 75 recommendations (3,000), half answered, each with two copies, two
    addressees, and a commitment in every fourth reply; a consultation of 200 submissions."""
    committee = CommitteeFactory()
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Addressee {i}", short_name=f"A{i}", slug=f"addressee-{i}", kind="other") for i in range(6)]
    )
    reports = Report.objects.bulk_create(
        [
            Report(
                slug=f"generated-{r}",
                title=f"Generated report {r}",
                committee=committee,
                published=datetime.date(2019, 1, 1) + datetime.timedelta(days=30 * r),
                published_precision=DatePrecision.DAY,
            )
            for r in range(40)
        ]
    )
    documents = Document.objects.bulk_create(
        [_document(r, Document.Kind.COMMITTEE_REPORT, report.published) for r, report in enumerate(reports)]
        + [_document(100 + r, Document.Kind.RESPONSE_LETTER, report.published + datetime.timedelta(days=90)) for r, report in enumerate(reports)]
    )
    report_docs, letters = documents[:40], documents[40:]
    recs = []
    for r, report in enumerate(reports):
        for n in range(1, 76):
            deadline = TODAY + datetime.timedelta(days=(n * 7) % 400 - 200) if n % 5 else None
            recs.append(
                Recommendation(
                    report=report,
                    number=n,
                    text=f"MOPAC should carry out generated action {r}-{n} on neighbourhood policing.",
                    chapter=f"Chapter {n % 4}",
                    deadline=deadline,
                    deadline_text="by then" if deadline else "",
                    deadline_precision=DatePrecision.DAY if deadline else "",
                    made_in=report_docs[r],
                )
            )
    recs = Recommendation.objects.bulk_create(recs, batch_size=500)
    through = Recommendation.addressees.through
    through.objects.bulk_create(
        [through(recommendation=rec, organisation=orgs[i % 6]) for i, rec in enumerate(recs)]
        + [through(recommendation=rec, organisation=orgs[(i + 1) % 6]) for i, rec in enumerate(recs)],
        batch_size=1000,
    )
    appearances = []
    for i, rec in enumerate(recs):
        r = i // 75
        for section, line in (("summary", rec.number), ("chapter", 100 + rec.number)):
            appearances.append(
                RecommendationAppearance(
                    recommendation=rec, document=report_docs[r], section=section, line=line, text=rec.text,
                    deadline=rec.deadline if section == "summary" or i % 10 else (rec.deadline and rec.deadline + datetime.timedelta(days=61)),
                    deadline_text=rec.deadline_text, deadline_precision=rec.deadline_precision,
                )
            )
    RecommendationAppearance.objects.bulk_create(appearances, batch_size=1000)
    responses = Response.objects.bulk_create(
        [
            Response(
                recommendation=rec,
                letter=letters[i // 75],
                text=f"MOPAC accepts recommendation {rec.number} and is working on it.",
                date_received=rec.report.published + datetime.timedelta(days=90),
                line=rec.number,
                assessment="accepted" if i % 4 else "noted",
            )
            for i, rec in enumerate(recs)
            if i % 2 == 0
        ],
        batch_size=500,
    )
    Commitment.objects.bulk_create(
        [
            Commitment(
                response=response, document=response.letter, owner=orgs[0],
                text=f"MOPAC will publish review {i} later this year.", due_date=datetime.date(2022, 12, 31),
                due_text="later this year", due_precision=DatePrecision.YEAR, position=i,
            )
            for i, response in enumerate(responses)
            if i % 4 == 0
        ],
        batch_size=500,
    )
    consultation = Consultation.objects.create(slug="generated-consultation", title="Generated consultation")
    compilation = _document(999, Document.Kind.CONSULTATION_COMPILATION, datetime.date(2013, 2, 1))
    compilation.save()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                consultation=consultation, document=compilation, respondent=f"Person {i}", respondent_kind="public",
                label=f"Person {i}", text="Write to me at [email removed]", start_line=i * 10 + 1, end_line=i * 10 + 9,
            )
            for i in range(200)
        ]
    )
    Ask.objects.bulk_create([Ask(submission=s, text=f"Ask {i}", line=s.start_line + 1) for i, s in enumerate(submissions)])
    return {"reports": reports, "recommendations": recs, "letters": letters, "consultation": consultation}
