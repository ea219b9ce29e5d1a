"""The deadlines calendar an officer subscribes to: every open item whatever its age, until it is
closed; each event says what is due and from whom and links to its page. On the seeds (years-old
reports, nothing delivered) the feed is full, not empty."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from icalendar import Calendar

from tests.factories import CommitmentFactory, OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 12, 2)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield TODAY


def _events(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {str(event["summary"]): event for event in Calendar.from_ical(b"".join(response.streaming_content)).walk("VEVENT")}


@pytest.fixture
def old(today):
    """Items due years before the feed's twelve-month window: some still open, some closed."""
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    report = ReportFactory(slug="old", title="Old report", published=D(2019, 1, 10))  # reply due 10 March 2019
    waiting = RecommendationFactory(
        report=report,
        number=1,
        text="MOPAC should publish its review.",
        short_text="Publish the review.",
        deadline=D(2019, 5, 31),
        deadline_text="by May 2019",
        deadline_precision="month",
    )
    waiting.addressees.add(mopac)
    delivered = RecommendationFactory(report=report, number=2, deadline=D(2019, 6, 30), deadline_text="by June 2019", deadline_precision="month")
    reply = ResponseFactory(
        recommendation=delivered,
        date_received=D(2019, 6, 1),
        assessment="accepted",
        implementation_status="implemented",
        implementation_evidence="Published in 2020.",
    )
    CommitmentFactory(
        response=reply,
        owner=mopac,
        text="MOPAC will fund ten more advocates.",
        due_date=D(2020, 3, 31),
        due_text="by the end of 2019-20",
        due_precision="financial_year",
        position=1,
    )
    CommitmentFactory(
        response=reply, owner=mopac, text="MOPAC will report back.", due_date=D(2019, 12, 31), due_text="later this year", status="done", position=2
    )
    answered = ReportFactory(slug="answered", title="Answered report", published=D(2019, 1, 10))
    ResponseFactory(recommendation=RecommendationFactory(report=answered, number=1), date_received=D(2019, 2, 1))
    RecommendationFactory(report=ReportFactory(slug="silent", title="Silent report", published=D(2019, 1, 10)), number=1)
    return {"waiting": waiting}


def test_open_items_stay_whatever_their_age_and_closed_ones_leave(client, old, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        events = _events(client, "/calendar.ics")
    assert set(events) == {
        "Due from MOPAC: Old report, recommendation 1",  # no reply, seven years on
        "Reply due from the Mayor: Silent report",  # no reply to any of its recommendations, due in 2019
        "Due from MOPAC: MOPAC will fund ten more advocates.",  # an open commitment
    }
    assert "Due from MOPAC: MOPAC will report back." not in events  # done
    assert not any("recommendation 2" in summary for summary in events)  # implemented
    assert "Reply due from the Mayor: Answered report" not in events  # answered


def test_each_event_says_what_is_due_from_whom_and_links_to_its_page(client, old):
    event = _events(client, "/calendar.ics")["Due from MOPAC: Old report, recommendation 1"]
    description = str(event["description"])
    assert "What is due: Publish the review." in description
    assert "From: MOPAC" in description and "Where it stands: Reply overdue" in description
    assert str(event["url"]) == f"http://testserver{old['waiting'].get_absolute_url()}"
    promise = _events(client, "/calendar.ics")["Due from MOPAC: MOPAC will fund ten more advocates."]
    assert str(promise["url"]).startswith("http://testserver/recommendations/")
    assert "Promised in:" in str(promise["description"])


def test_per_report_and_per_addressee_feeds_keep_open_items(client, old):
    assert "Due from MOPAC: Old report, recommendation 1" in _events(client, "/reports/old/calendar.ics")
    assert "Due from MOPAC: MOPAC will fund ten more advocates." in _events(client, "/addressees/mopac/calendar.ics")


def test_the_seeds_calendar_is_not_empty(client, today):
    call_command("load_seed_data", verbosity=0)
    events = _events(client, "/calendar.ics")
    assert len(events) >= 10
    assert any(summary.startswith("Reply due from the Mayor") for summary in events)
    assert any(summary.startswith("Due from ") and "recommendation" in summary for summary in events)
    assert all(str(event["url"]).startswith("http://testserver/") for event in events.values())
