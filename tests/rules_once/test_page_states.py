"""The recommendation page, the list's rows and the report page work out where a recommendation
stands in Python, from the replies they have in hand (``deadline_rules.recommendation_state``,
``progress.recommendation_progress``), rather than with the lists' annotated query. Both are the same rules: over the boundary days (a deadline
on the day, the day before, the due-soon bound either side, a reply arriving on the day, a report
whose reply date passes, one whose publication date is not known) the page says what the
annotations say, and an officer reads the same status on the list and on the page."""

import datetime

import pytest
import time_machine

from pages.selectors import recommendation_detail, recommendation_rows, report_detail
from recommendations import deadline_rules
from recommendations.models import Recommendation
from responses.progress import with_progress
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
pytestmark = pytest.mark.django_db
SOON_DAYS = 30


@pytest.fixture(autouse=True)
def _due_soon_days(settings):
    settings.DUE_SOON_DAYS = SOON_DAYS
    settings.RESPONSE_DUE_MONTHS = 2


@pytest.fixture
def recommendations():
    known = ReportFactory(published=D(2020, 3, 31))  # reply due 31 May 2020
    unknown = ReportFactory(published=None)  # published before 30 June 2020, its earliest deadline
    overridden = ReportFactory(published=D(2020, 1, 15), response_due_override=D(2020, 6, 1), response_due_override_reason="Agreed with the clerk.")
    made = [
        RecommendationFactory(report=known, deadline=None),
        RecommendationFactory(report=known, deadline=D(2020, 5, 30)),
        RecommendationFactory(report=known, deadline=D(2020, 5, 31)),
        RecommendationFactory(report=known, deadline=D(2020, 6, 30)),
        RecommendationFactory(report=known, deadline=D(2020, 7, 1)),
        RecommendationFactory(report=unknown, deadline=D(2020, 6, 30)),
        RecommendationFactory(report=unknown, deadline=None),
        RecommendationFactory(report=overridden, deadline=None),
    ]
    # Replies: one on the deadline, one the day after it, two on one recommendation (the latest speaks).
    ResponseFactory(recommendation=made[1], date_received=D(2020, 5, 30), assessment="accepted")
    ResponseFactory(recommendation=made[2], date_received=D(2020, 6, 1), stated_position="not_accepted", assessment="not_assessed")
    ResponseFactory(recommendation=made[3], date_received=D(2020, 5, 29), stated_position="", assessment="not_assessed")
    ResponseFactory(recommendation=made[3], date_received=D(2020, 6, 2), implementation_status="in_progress")
    return made


BOUNDARY_DAYS = (
    [D(2020, 5, 28) + datetime.timedelta(days=n) for n in range(8)]
    + [D(2020, 5, 31) + datetime.timedelta(days=n) for n in (29, 30, 31, 32)]
    + [D(2020, 8, 31), D(2020, 9, 1), D(2020, 10, 31), D(2020, 11, 1)]
)


@pytest.mark.parametrize("today", BOUNDARY_DAYS, ids=str)
def test_the_pages_and_the_annotations_say_the_same_on_every_boundary_day(recommendations, today):
    annotated = {
        rec.pk: (rec.deadline_status, rec.progress, rec.first_reply_date)
        for rec in with_progress(Recommendation.objects.with_deadline_status(today=today), today=today)
    }
    for rec in recommendations:
        page = recommendation_detail(pk=rec.pk, today=today)
        assert (page.deadline_status, page.progress, page.first_reply_date) == annotated[rec.pk], (rec.deadline, today)
    # The list's rows and the report pages' tables, worked out the same way.
    for row in recommendation_rows([rec.pk for rec in recommendations], today=today):
        assert (row.deadline_status, row.progress, row.first_reply_date) == annotated[row.pk], (row.deadline, today)
    for slug in {rec.report.slug for rec in recommendations}:
        for row in report_detail(slug=slug, today=today)[2]:
            assert (row.deadline_status, row.progress, row.first_reply_date) == annotated[row.pk], (row.deadline, today)


def test_the_python_rule_reads_as_an_officer_would():
    window = deadline_rules.Window.on(D(2020, 5, 31), SOON_DAYS)
    state = deadline_rules.recommendation_state
    assert state(window, deadline=None, first_reply=D(2020, 5, 1)) == "no_deadline"
    assert state(window, deadline=D(2020, 5, 31), first_reply=D(2020, 5, 31)) == "met"  # a reply on the day is in time
    assert state(window, deadline=D(2020, 5, 30), first_reply=D(2020, 5, 31)) == "missed"
    assert state(window, deadline=D(2020, 5, 30), first_reply=None) == "overdue"
    assert state(window, deadline=D(2020, 5, 31), first_reply=None) == "due_soon"  # not overdue on its last day
    assert state(window, deadline=D(2020, 6, 30), first_reply=None) == "due_soon"
    assert state(window, deadline=D(2020, 7, 1), first_reply=None) == "upcoming"


def test_an_officer_reads_the_same_status_on_the_list_and_on_the_page(client, recommendations):
    rec = recommendations[2]  # deadline 31 May 2020; the reply came on 1 June and declines
    with time_machine.travel(datetime.datetime(2020, 6, 2, 12, tzinfo=datetime.UTC), tick=False):
        page = client.get(f"/recommendations/{rec.pk}/").content.decode()
        listed = client.get(f"/recommendations/?report={rec.report.slug}").content.decode()
    for html in (page, listed):
        assert "Missed" in html and "Not accepted" in html
