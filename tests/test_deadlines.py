"""Deadline state at its boundaries: last day of a month, the London time zone, replies arriving
before and after a deadline, "later this year" commitments, and the report response due rule."""

import datetime

import pytest
import time_machine

from recommendations.dates import DatePrecision, add_months, earliest_start_due_on_or_after, response_due_for
from recommendations.models import Recommendation, Report
from recommendations.querysets import DeadlineStatus
from responses.models import Commitment
from tests.factories import CommitmentFactory, RecommendationFactory, ReportFactory, ResponseFactory
from tracker.clock import today as london_today

D = datetime.date
pytestmark = pytest.mark.django_db


def _may_deadline(**kwargs):
    return RecommendationFactory(
        deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH, **kwargs
    )


class TestRecommendationOverdue:
    def test_a_month_deadline_is_not_overdue_on_its_last_day(self):
        rec = _may_deadline()
        assert rec not in Recommendation.objects.overdue(today=D(2020, 5, 31))

    def test_a_month_deadline_is_overdue_from_the_first_of_the_next_month(self):
        rec = _may_deadline()
        assert list(Recommendation.objects.overdue(today=D(2020, 6, 1))) == [rec]

    def test_a_reply_received_by_today_stops_it_being_overdue(self):
        rec = _may_deadline()
        ResponseFactory(recommendation=rec, date_received=D(2020, 6, 10))
        assert rec in Recommendation.objects.overdue(today=D(2020, 6, 9))
        assert rec not in Recommendation.objects.overdue(today=D(2020, 6, 10))

    def test_no_deadline_is_never_overdue(self):
        RecommendationFactory(deadline=None)
        assert not Recommendation.objects.overdue(today=D(2030, 1, 1)).exists()

    def test_leap_year_february(self):
        rec = RecommendationFactory(deadline=D(2024, 2, 29), deadline_text="by February 2024", deadline_precision="month")
        assert rec not in Recommendation.objects.overdue(today=D(2024, 2, 29))
        assert rec in Recommendation.objects.overdue(today=D(2024, 3, 1))


class TestDueWithin:
    def test_window_includes_today_and_the_last_day(self):
        rec = _may_deadline()
        assert rec in Recommendation.objects.due_within(14, today=D(2020, 5, 17))
        assert rec in Recommendation.objects.due_within(0, today=D(2020, 5, 31))

    def test_window_excludes_the_day_after(self):
        rec = _may_deadline()
        assert rec not in Recommendation.objects.due_within(14, today=D(2020, 5, 16))
        assert rec not in Recommendation.objects.due_within(14, today=D(2020, 6, 1))

    def test_answered_recommendations_are_not_due(self):
        rec = _may_deadline()
        ResponseFactory(recommendation=rec, date_received=D(2020, 5, 20))
        assert rec not in Recommendation.objects.due_within(30, today=D(2020, 5, 25))


class TestAwaitingResponse:
    def test_unanswered_recommendations_of_published_reports_await_a_response(self):
        rec = RecommendationFactory(report=ReportFactory(published=D(2022, 3, 22)))
        assert rec in Recommendation.objects.awaiting_response(today=D(2022, 3, 22))
        assert rec not in Recommendation.objects.awaiting_response(today=D(2022, 3, 21))

    def test_a_reply_ends_the_wait_from_the_day_it_arrives(self):
        rec = RecommendationFactory()
        ResponseFactory(recommendation=rec, date_received=D(2022, 8, 18))
        assert rec in Recommendation.objects.awaiting_response(today=D(2022, 8, 17))
        assert rec not in Recommendation.objects.awaiting_response(today=D(2022, 8, 18))
        assert rec in Recommendation.objects.answered(today=D(2022, 8, 18))

    def test_reports_of_unknown_date_still_await_replies(self):
        rec = RecommendationFactory(report=ReportFactory(published=None, published_precision="unknown"))
        assert rec in Recommendation.objects.awaiting_response(today=D(2020, 1, 1))


class TestDeadlineStatus:
    @pytest.mark.parametrize(
        "today, reply_on, expected",
        [
            (D(2020, 6, 1), None, DeadlineStatus.OVERDUE),
            (D(2020, 5, 31), None, DeadlineStatus.DUE_SOON),
            (D(2020, 5, 1), None, DeadlineStatus.DUE_SOON),  # 30 days ahead: still "soon"
            (D(2020, 4, 30), None, DeadlineStatus.UPCOMING),  # 31 days ahead
            (D(2020, 7, 1), D(2020, 5, 31), DeadlineStatus.MET),  # reply on the last day
            (D(2020, 7, 1), D(2020, 6, 1), DeadlineStatus.MISSED),  # one day late
            (D(2020, 5, 31), D(2020, 6, 1), DeadlineStatus.DUE_SOON),  # the late reply has not arrived yet
        ],
    )
    def test_status_on_a_day(self, settings, today, reply_on, expected):
        settings.DUE_SOON_DAYS = 30
        rec = _may_deadline()
        if reply_on:
            ResponseFactory(recommendation=rec, date_received=reply_on)
        annotated = Recommendation.objects.with_deadline_status(today=today).get(pk=rec.pk)
        assert annotated.deadline_status == expected

    def test_no_deadline(self):
        rec = RecommendationFactory(deadline=None)
        assert Recommendation.objects.with_deadline_status(today=D(2020, 1, 1)).get(pk=rec.pk).deadline_status == (
            DeadlineStatus.NO_DEADLINE
        )

    def test_filtering_on_status_agrees_with_overdue(self):
        overdue = _may_deadline()
        ResponseFactory(recommendation=_may_deadline(), date_received=D(2020, 5, 1))
        RecommendationFactory(deadline=None)
        by_status = Recommendation.objects.with_deadline_status(today=D(2020, 6, 1)).filter(
            deadline_status=DeadlineStatus.OVERDUE
        )
        assert list(by_status) == list(Recommendation.objects.overdue(today=D(2020, 6, 1))) == [overdue]

    def test_first_reply_date_is_the_earliest_reply(self):
        rec = _may_deadline()
        ResponseFactory(recommendation=rec, date_received=D(2020, 7, 1))
        ResponseFactory(recommendation=rec, date_received=D(2020, 6, 2))
        annotated = Recommendation.objects.with_deadline_status(today=D(2020, 8, 1)).get(pk=rec.pk)
        assert annotated.first_reply_date == D(2020, 6, 2)
        assert annotated.deadline_status == DeadlineStatus.MISSED


class TestLondonTimeZone:
    def test_today_is_the_london_date_not_the_utc_date(self):
        # 23:30 UTC on 31 May 2020 is 00:30 BST on 1 June: a May deadline has passed in London.
        with time_machine.travel(datetime.datetime(2020, 5, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
            today = london_today()
        assert today == D(2020, 6, 1)
        rec = _may_deadline()
        assert rec in Recommendation.objects.overdue(today=today)

    def test_in_winter_london_and_utc_agree(self):
        with time_machine.travel(datetime.datetime(2020, 12, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
            assert london_today() == D(2020, 12, 31)


class TestCommitmentDeadlines:
    def test_later_this_year_is_overdue_from_new_year(self):
        commitment = CommitmentFactory(due_date=D(2022, 12, 31), due_text="later this year", due_precision="year")
        assert commitment not in Commitment.objects.overdue(today=D(2022, 12, 31))
        assert commitment in Commitment.objects.overdue(today=D(2023, 1, 1))

    def test_done_commitments_are_not_overdue(self):
        commitment = CommitmentFactory(status=Commitment.Status.DONE)
        assert commitment not in Commitment.objects.overdue(today=D(2030, 1, 1))

    def test_due_within(self):
        commitment = CommitmentFactory(due_date=D(2023, 3, 31), due_text="this financial year (2022-23)", due_precision="financial_year")
        assert commitment in Commitment.objects.due_within(14, today=D(2023, 3, 17))
        assert commitment not in Commitment.objects.due_within(14, today=D(2023, 3, 16))


class TestResponseDueRule:
    def test_add_months_clamps_to_the_end_of_shorter_months(self):
        assert add_months(D(2021, 12, 31), 2) == D(2022, 2, 28)
        assert add_months(D(2023, 12, 31), 2) == D(2024, 2, 29)
        assert add_months(D(2022, 3, 22), 2) == D(2022, 5, 22)
        assert add_months(D(2022, 11, 30), 3) == D(2023, 2, 28)

    def test_cutoff_agrees_with_add_months_for_every_day_of_four_years(self):
        start = D(2019, 1, 1)
        for offset in range(0, 4 * 366, 1):
            today = start + datetime.timedelta(days=offset)
            cutoff = earliest_start_due_on_or_after(today, 2)
            assert add_months(cutoff, 2) >= today
            assert add_months(cutoff - datetime.timedelta(days=1), 2) < today

    def test_default_rule_is_two_calendar_months_after_publication(self, settings):
        settings.RESPONSE_DUE_MONTHS = 2
        report = ReportFactory(published=D(2022, 3, 22))
        due = report.response_due
        assert due.date == D(2022, 5, 22)
        assert "2 calendar months after publication on 22 March 2022" in due.explanation

    def test_override_wins_and_says_why(self):
        report = ReportFactory(
            published=D(2022, 3, 22), response_due_override=D(2022, 9, 1), response_due_override_reason="Agreed with the Chair"
        )
        assert report.response_due.date == D(2022, 9, 1)
        assert "Agreed with the Chair" in report.response_due.explanation

    def test_unknown_publication_gives_no_due_date(self):
        due = response_due_for(published=None, published_precision="unknown", override=None, override_reason="")
        assert due.date is None and "not known" in due.explanation

    def test_report_response_overdue_boundary(self, settings):
        settings.RESPONSE_DUE_MONTHS = 2
        report = ReportFactory(published=D(2021, 12, 31))  # due 28 February 2022
        RecommendationFactory(report=report)
        assert report not in Report.objects.response_overdue(today=D(2022, 2, 28))
        assert report in Report.objects.response_overdue(today=D(2022, 3, 1))

    def test_a_reply_to_any_recommendation_ends_the_report_wait(self):
        report = ReportFactory(published=D(2022, 3, 22))
        recs = [RecommendationFactory(report=report) for _ in range(3)]
        ResponseFactory(recommendation=recs[1], date_received=D(2022, 8, 18))
        assert report in Report.objects.response_overdue(today=D(2022, 8, 17))
        assert report not in Report.objects.response_overdue(today=D(2022, 8, 18))
        assert report in Report.objects.responded(today=D(2022, 8, 18))

    def test_override_controls_overdue(self):
        report = ReportFactory(
            published=D(2022, 3, 22), response_due_override=D(2022, 9, 1), response_due_override_reason="Extension agreed"
        )
        assert report not in Report.objects.response_overdue(today=D(2022, 9, 1))
        assert report in Report.objects.response_overdue(today=D(2022, 9, 2))

    def test_unknown_publication_is_never_overdue(self):
        report = ReportFactory(published=None, published_precision="unknown")
        assert report not in Report.objects.response_overdue(today=D(2040, 1, 1))
        assert report in Report.objects.awaiting_response(today=D(2040, 1, 1))
