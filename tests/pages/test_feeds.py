"""iCalendar feeds an officer subscribes to in Outlook: every recommendation deadline, reply due
date and commitment, as all-day events with stable UIDs, for everything, per report and per
addressee."""

import datetime

import pytest
from icalendar import Calendar

from tests.factories import CommitmentFactory, OrganisationFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def data(today):
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    met = OrganisationFactory(name="Metropolitan Police Service", short_name="Met", slug="met")
    abuse = ReportFactory(slug="domestic-abuse", title="Domestic abuse", published=D(2020, 2, 12))
    vawg = ReportFactory(slug="vawg", title="VAWG", published=D(2022, 3, 22))
    to_mopac = RecommendationFactory(report=abuse, number=4, deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision="month")
    to_mopac.addressees.add(mopac)
    to_met = RecommendationFactory(report=vawg, number=2, deadline=D(2022, 9, 30), deadline_text="by September 2022", deadline_precision="month")
    to_met.addressees.add(met)
    RecommendationFactory(report=vawg, number=3)  # no deadline: no event
    CommitmentFactory(response__recommendation__report=vawg, owner=mopac, due_date=D(2022, 12, 31), due_text="later this year")
    return {"mopac": mopac}


def _body(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return b"".join(response.streaming_content)  # written as it is read


def _events(client, url):
    calendar = Calendar.from_ical(_body(client, url))
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_everything(client, data):
    events = _events(client, "/calendar.ics?from=2020-01-01")
    assert set(events) == {
        "Due from MOPAC: Domestic abuse, recommendation 4",
        "Due from Met: VAWG, recommendation 2",
        "Reply due from the Mayor: Domestic abuse",
        "Reply due from the Mayor: VAWG",
        "Due from MOPAC: The review will be published later this year.",
    }
    deadline = events["Due from MOPAC: Domestic abuse, recommendation 4"]
    assert deadline.decoded("dtstart") == D(2020, 5, 31) and deadline.decoded("dtend") == D(2020, 6, 1)
    assert str(deadline["uid"]) == "recommendation-domestic-abuse-4-deadline@recommendation-tracker"
    assert "http://testserver/recommendations/" in str(deadline["url"])
    assert events["Reply due from the Mayor: Domestic abuse"].decoded("dtstart") == D(2020, 4, 12)
    assert "2 calendar months after publication" in str(events["Reply due from the Mayor: Domestic abuse"]["description"])


def test_per_report(client, data):
    assert set(_events(client, "/reports/vawg/calendar.ics?from=2020-01-01")) == {
        "Due from Met: VAWG, recommendation 2",
        "Reply due from the Mayor: VAWG",
        "Due from MOPAC: The review will be published later this year.",
    }


def test_per_addressee(client, data):
    assert set(_events(client, "/addressees/mopac/calendar.ics?from=2020-01-01")) == {
        "Due from MOPAC: Domestic abuse, recommendation 4",
        "Reply due from the Mayor: Domestic abuse",
        "Due from MOPAC: The review will be published later this year.",
    }


def test_uids_are_stable_between_refreshes(client, data):
    first = _body(client, "/calendar.ics")
    assert _body(client, "/calendar.ics") == first


def test_unknown_report_or_addressee_is_404(client, data):
    assert client.get("/reports/nothing/calendar.ics").status_code == 404
    assert client.get("/addressees/nobody/calendar.ics").status_code == 404


# --- The window: from 12 months before today (1 September 2022 in these tests) onwards -------------


@pytest.fixture
def window(today):
    """Closed events either side of 1 September 2021, twelve calendar months before ``today``: the
    reports are answered, the earlier deadline delivered, the earlier commitment done."""
    report = ReportFactory(slug="window", title="Window", published=D(2021, 6, 30))  # reply due 30 August 2021
    late = ReportFactory(slug="window-late", title="Window late", published=D(2021, 7, 1))  # reply due 1 September 2021
    before = RecommendationFactory(report=report, number=1, deadline=D(2021, 8, 31), deadline_text="by August 2021")
    on = RecommendationFactory(report=report, number=2, deadline=D(2021, 9, 1), deadline_text="by 1 September 2021")
    # Closed before the window: answered and delivered (open items stay whatever their age: tests/calendar).
    delivered = ResponseFactory(recommendation=before, date_received=D(2021, 8, 1), assessment="accepted",
                                implementation_status="implemented", implementation_evidence="Done.")
    accepted = ResponseFactory(recommendation=on, date_received=D(2021, 8, 1), assessment="accepted")
    CommitmentFactory(response=delivered, owner=None, text="Due by the end of August.", due_date=D(2021, 8, 31),
                      due_text="by the end of August", status="done")
    CommitmentFactory(response=accepted, owner=None, text="Due from September.", due_date=D(2021, 9, 1), due_text="from September")
    return {"report": report, "late": late}


def test_feed_starts_twelve_months_before_today(client, window):
    assert set(_events(client, "/calendar.ics")) == {
        "Due: Window, recommendation 2 (no addressee named)",
        "Reply due from the Mayor: Window late",
        "Promised: Due from September.",
    }


def test_from_widens_the_window(client, window):
    events = set(_events(client, "/calendar.ics?from=2021-08-30"))
    assert {
        "Due: Window, recommendation 1 (no addressee named)",
        "Reply due from the Mayor: Window",
        "Promised: Due by the end of August.",
    } <= events
    assert "Reply due from the Mayor: Window" not in _events(client, "/calendar.ics?from=2021-08-31")


def test_per_report_feed_keeps_the_window(client, window):
    assert set(_events(client, "/reports/window/calendar.ics")) == {
        "Due: Window, recommendation 2 (no addressee named)",
        "Promised: Due from September.",
    }


def test_unreadable_from_is_a_clear_400(client, window):
    response = client.get("/calendar.ics?from=last-year")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_a_missing_reply_is_in_its_reports_feed(client, data):
    from recommendations.models import Recommendation

    rec = Recommendation.objects.get(report__slug="vawg", number=3)
    mayor = OrganisationFactory(name="Mayor of London", short_name="Mayor", slug="mayor-of-london")
    CommitmentFactory(
        response=None, recommendation=rec, document=rec.report.documents.first() or CommitmentFactory().document,
        owner=mayor, text="A reply to recommendation 3, promised.", due_date=D(2022, 10, 31), due_text="October 2022",
    )
    assert "Due from Mayor: A reply to recommendation 3, promised." in set(_events(client, "/reports/vawg/calendar.ics?from=2020-01-01"))
    assert "Due from Mayor: A reply to recommendation 3, promised." not in set(_events(client, "/reports/domestic-abuse/calendar.ics?from=2020-01-01"))
