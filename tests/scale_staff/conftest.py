"""The staff fixtures of the editing tests (a user per role, a small report with a reply), and many
older reports to make the lists long."""

import datetime

import pytest

from recommendations.models import Document, Recommendation, Report
from tests.editing.conftest import client_for, users, world  # noqa: F401 (fixtures)
from tests.factories import CommitteeFactory


@pytest.fixture
def many_reports(db):
    """``make(n)``: n reports published before the world's, each with two recommendations and a
    letter; report 0 is the oldest."""
    committee = CommitteeFactory()
    made = []

    def make(n: int, start: int = 0) -> list[Report]:
        reports = Report.objects.bulk_create(
            Report(slug=f"old-{i:04d}", title=f"Old report {i:04d}", committee=committee, published=datetime.date(2015, 1, 1) + datetime.timedelta(days=i))
            for i in range(start, start + n)
        )
        Recommendation.objects.bulk_create(
            Recommendation(report=report, number=number, text=f"Old recommendation {number} of {report.title}.") for report in reports for number in (1, 2)
        )
        Document.objects.bulk_create(
            Document(
                kind=Document.Kind.RESPONSE_LETTER,
                title=f"Letter on {report.title}",
                reference=f"OLD-{report.slug}",
                source_file="x.txt",
                sha256=f"{report.slug}".ljust(64, "0"),
                text="Dear Chair.",
                date=report.published + datetime.timedelta(days=60),
                date_precision="day",
                report=report,
            )
            for report in reports
        )
        made.extend(reports)
        return reports

    return make
