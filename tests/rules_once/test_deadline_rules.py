"""Each deadline rule is written once (``recommendations.deadline_rules``), and every place that
shows a deadline state agrees with it at the boundaries: the dashboard's figures and the
addressees table (raw SQL kept for speed), the list's status filter, the status shown beside each
recommendation, the commitments list, the jobs' overdue querysets and the digest's Python test.

The first tests spell out what an officer sees on one day by hand, so a change to any one copy
(``<`` for ``<=`` in the dashboard's overdue count or in the addressees table, a due-soon bound one
day short in the status filter) fails here. The sweep then pins the SQL, the ``Q`` objects and the
Python rule together over many boundary days (ends of months, a leap day, the clocks changing,
new year), with the deadline on ``today``, the day before and the due-soon bound either side.
"""

import datetime

import pytest
import time_machine

from pages.selectors import addressee_rows, dashboard_counts
from recommendations import deadline_rules
from recommendations.models import Recommendation
from recommendations.querysets import DeadlineStatus
from responses.models import Commitment
from responses.selectors import commitment_list
from tests.factories import CommitmentFactory, OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory
from tracker.clock import today as london_today

D = datetime.date
pytestmark = pytest.mark.django_db

# 31 May 2020 (the last day of a month) with "due soon" meaning within 30 days: up to 30 June.
TODAY = D(2020, 5, 31)
SOON_DAYS = 30


@pytest.fixture(autouse=True)
def _due_soon_days(settings):
    settings.DUE_SOON_DAYS = SOON_DAYS


@pytest.fixture
def one_day():
    """Seven recommendations on 31 May 2020, by name, and who they are addressed to."""
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met", slug="met")
    report = ReportFactory(published=D(2020, 1, 15))

    def rec(name, deadline, to):
        made = RecommendationFactory(report=report, deadline=deadline, text=f"Recommendation {name}.")
        made.addressees.add(to)
        return made

    recs = {
        "passed yesterday": rec("A", D(2020, 5, 30), mopac),
        "due today": rec("B", D(2020, 5, 31), mopac),
        "due on the last day of due soon": rec("C", D(2020, 6, 30), met),
        "due the day after": rec("D", D(2020, 7, 1), met),
        "no deadline": rec("E", None, met),
        "answered in time": rec("F", D(2020, 5, 30), met),
        "answer arrives tomorrow": rec("G", D(2020, 5, 31), met),
    }
    ResponseFactory(recommendation=recs["answered in time"], date_received=D(2020, 5, 30))
    ResponseFactory(recommendation=recs["answer arrives tomorrow"], date_received=D(2020, 6, 1))
    return recs


EXPECTED_STATUS = {
    "passed yesterday": DeadlineStatus.OVERDUE,
    "due today": DeadlineStatus.DUE_SOON,
    "due on the last day of due soon": DeadlineStatus.DUE_SOON,
    "due the day after": DeadlineStatus.UPCOMING,
    "no deadline": DeadlineStatus.NO_DEADLINE,
    "answered in time": DeadlineStatus.MET,
    "answer arrives tomorrow": DeadlineStatus.DUE_SOON,
}


class TestWhatAnOfficerSeesOnTheLastDayOfMay:
    def test_the_dashboard_counts_only_yesterdays_deadline_as_overdue(self, one_day):
        counts = dashboard_counts(today=TODAY, due_soon_days=SOON_DAYS)
        assert counts["overdue"] == 1  # not the two due today
        assert counts["due_soon"] == 3  # today, the 30th day, and one whose reply has not arrived yet
        assert (counts["recommendations"], counts["answered"], counts["awaiting_response"]) == (7, 1, 6)

    def test_the_addressees_table_counts_only_yesterdays_deadline_as_overdue(self, one_day):
        rows = {row.organisation.short_name: (row.recommendations, row.overdue, row.awaiting) for row in addressee_rows(today=TODAY)}
        assert rows == {"Met": (5, 0, 4), "MOPAC": (2, 1, 2)}

    def test_the_list_filter_finds_each_status(self, one_day):
        for status in DeadlineStatus:
            found = set(Recommendation.objects.deadline_status_is(status, today=TODAY))
            assert found == {rec for name, rec in one_day.items() if EXPECTED_STATUS[name] == status}, status

    def test_each_recommendation_shows_its_status(self, one_day):
        shown = dict(Recommendation.objects.with_deadline_status(today=TODAY).values_list("pk", "deadline_status"))
        assert {name: shown[rec.pk] for name, rec in one_day.items()} == EXPECTED_STATUS

    def test_the_jobs_querysets_agree(self, one_day):
        assert list(Recommendation.objects.overdue(today=TODAY)) == [one_day["passed yesterday"]]
        due = {one_day[name] for name in ("due today", "due on the last day of due soon", "answer arrives tomorrow")}
        assert set(Recommendation.objects.due_within(SOON_DAYS, today=TODAY)) == due

    def test_the_first_of_june_in_london_is_already_june_at_2330_utc(self, one_day):
        with time_machine.travel(datetime.datetime(2020, 5, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
            today = london_today()
        assert today == D(2020, 6, 1)
        # Both of 31 May's deadlines have passed; one of them was answered (late) on 1 June.
        assert dashboard_counts(today=today, due_soon_days=SOON_DAYS)["overdue"] == 2
        assert set(Recommendation.objects.overdue(today=today)) == {one_day["passed yesterday"], one_day["due today"]}


class TestCommitments:
    @pytest.fixture
    def commitments(self):
        def promise(due, status=Commitment.Status.OPEN):
            return CommitmentFactory(due_date=due, status=status)

        return {
            "overdue": promise(D(2020, 5, 30)),
            "due today": promise(D(2020, 5, 31)),
            "due on the last day of due soon": promise(D(2020, 6, 30)),
            "upcoming": promise(D(2020, 7, 1)),
            "no date": promise(None),
            "kept": promise(D(2020, 5, 1), status=Commitment.Status.DONE),
        }

    def test_the_commitments_list_shows_each_due_status(self, commitments):
        shown = dict(commitment_list(today=TODAY).values_list("pk", "due_status"))
        assert {name: shown[c.pk] for name, c in commitments.items()} == {
            "overdue": "overdue",
            "due today": "due_soon",
            "due on the last day of due soon": "due_soon",
            "upcoming": "upcoming",
            "no date": "no_date",
            "kept": "closed",
        }

    def test_the_jobs_querysets_agree(self, commitments):
        assert list(Commitment.objects.overdue(today=TODAY)) == [commitments["overdue"]]
        assert set(Commitment.objects.due_within(SOON_DAYS, today=TODAY)) == {
            commitments["due today"],
            commitments["due on the last day of due soon"],
        }


def test_the_python_rule_at_the_boundaries():
    window = deadline_rules.Window.on(TODAY, SOON_DAYS)
    assert [window.state_of(day) for day in (D(2020, 5, 30), TODAY, D(2020, 6, 30), D(2020, 7, 1), None)] == [
        "overdue",
        "due_soon",
        "due_soon",
        "upcoming",
        None,
    ]
    assert deadline_rules.is_overdue(D(2020, 5, 30), today=TODAY) and not deadline_rules.is_overdue(TODAY, today=TODAY)


# --- The sweep: every copy of the rule against the others over boundary days -------------------

BOUNDARY_DAYS = [
    D(2020, 2, 28),
    D(2020, 2, 29),  # leap day
    D(2020, 3, 1),
    D(2020, 3, 29),  # the clocks go forward in London
    D(2020, 4, 30),
    D(2020, 5, 31),
    D(2020, 6, 1),
    D(2020, 10, 25),  # the clocks go back
    D(2020, 12, 31),
    D(2021, 1, 1),
]


def _deadlines_around(days):
    offsets = (-1, 0, 1, SOON_DAYS - 1, SOON_DAYS, SOON_DAYS + 1)
    return sorted({day + datetime.timedelta(days=offset) for day in days for offset in offsets})


@pytest.fixture
def swept():
    """Recommendations with deadlines on, either side of and at the due-soon bound of every
    boundary day, some answered (on the deadline, the day after), from reports published before,
    on and after some of those days or of unknown date, split between two addressees."""
    mopac = OrganisationFactory(short_name="MOPAC", slug="mopac")
    met = OrganisationFactory(short_name="Met", slug="met")
    reports = [ReportFactory(published=published) for published in (D(2019, 1, 1), D(2020, 5, 31), D(2020, 12, 31), None)]
    for i, deadline in enumerate(_deadlines_around(BOUNDARY_DAYS) + [None]):
        rec = RecommendationFactory(report=reports[i % len(reports)], deadline=deadline)
        rec.addressees.add(mopac if i % 2 else met)
        if deadline and i % 3 == 1:
            ResponseFactory(recommendation=rec, date_received=deadline)
        elif deadline and i % 3 == 2:
            ResponseFactory(recommendation=rec, date_received=deadline + datetime.timedelta(days=1))
    for i, due in enumerate(_deadlines_around(BOUNDARY_DAYS[::3])):
        CommitmentFactory(due_date=due, status=Commitment.Status.OPEN if i % 4 else Commitment.Status.DONE)


def test_the_dashboard_sql_agrees_with_the_querysets_on_every_boundary_day(swept):
    recs = Recommendation.objects.all()
    for today in BOUNDARY_DAYS:
        counts = dashboard_counts(today=today, due_soon_days=SOON_DAYS)
        assert counts["overdue"] == recs.overdue(today=today).count(), today
        assert counts["due_soon"] == recs.due_within(SOON_DAYS, today=today).count(), today
        assert counts["awaiting_response"] == recs.awaiting_response(today=today).count(), today
        assert counts["answered"] == recs.answered(today=today).count(), today


def test_the_addressees_sql_agrees_with_the_querysets_on_every_boundary_day(swept):
    for today in BOUNDARY_DAYS:
        for row in addressee_rows(today=today):
            theirs = Recommendation.objects.filter(addressees=row.organisation)
            assert row.overdue == theirs.overdue(today=today).count(), (today, row.organisation)
            assert row.awaiting == theirs.awaiting_response(today=today).count(), (today, row.organisation)


def test_status_filter_annotation_and_python_agree_on_every_boundary_day(swept):
    for today in BOUNDARY_DAYS:
        window = deadline_rules.Window.on(today, SOON_DAYS)
        annotated = {
            pk: (status, deadline, first_reply)
            for pk, status, deadline, first_reply in Recommendation.objects.with_deadline_status(today=today).values_list(
                "pk", "deadline_status", "deadline", "first_reply_date"
            )
        }
        for status in DeadlineStatus:
            filtered = set(Recommendation.objects.deadline_status_is(status, today=today).values_list("pk", flat=True))
            assert filtered == {pk for pk, (shown, _, _) in annotated.items() if shown == status}, (today, status)
        for shown, deadline, first_reply in annotated.values():
            if first_reply is None:  # unanswered: the Python rule for one date must say the same
                assert (window.state_of(deadline) or DeadlineStatus.NO_DEADLINE) == shown, (today, deadline)


def test_commitment_list_and_querysets_agree_on_every_boundary_day(swept):
    for today in BOUNDARY_DAYS:
        shown = dict(commitment_list(today=today).values_list("pk", "due_status"))
        overdue = set(Commitment.objects.overdue(today=today).values_list("pk", flat=True))
        due_soon = set(Commitment.objects.due_within(SOON_DAYS, today=today).values_list("pk", flat=True))
        assert overdue == {pk for pk, status in shown.items() if status == "overdue"}, today
        assert due_soon == {pk for pk, status in shown.items() if status == "due_soon"}, today
