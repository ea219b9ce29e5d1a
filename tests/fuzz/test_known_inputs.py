"""Inputs that once made pages answer 500 (issue 11), each now a clear answer: "no such page"
(404), the page with a form error or a plain message (400), or the page itself.

These run on SQLite and on PostgreSQL (which refuses NUL characters and numbers beyond a bigint
that SQLite takes), so each input is tried on both."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from icalendar import Calendar

from recommendations.dates import add_months, earliest_start_due_on_or_after
from recommendations.models import Report
from tests.factories import CommitmentFactory, DocumentFactory, OrganisationFactory, RecommendationFactory, ReportFactory

from .conftest import fetch

pytestmark = pytest.mark.django_db
D = datetime.date
BEYOND_BIGINT = "99999999999999999999"


@pytest.fixture
def data():
    """Two reports (one from 1990), recommendations with deadlines to MOPAC, a commitment."""
    mopac = OrganisationFactory(name="Mayor's Office for Policing and Crime", short_name="MOPAC", slug="mopac")
    old = ReportFactory(slug="old-report", title="Old report", published=D(1990, 1, 10))
    new = ReportFactory(slug="new-report", title="New report", published=D(2022, 3, 22))
    for report, number, deadline in ((old, 1, D(1990, 6, 30)), (new, 1, D(2022, 9, 30)), (new, 2, D(2022, 5, 31))):
        RecommendationFactory(report=report, number=number, deadline=deadline, deadline_text="by then", deadline_precision="day").addressees.add(mopac)
    CommitmentFactory(response__recommendation__report=new, owner=mopac)
    return {"mopac": mopac, "old": old, "new": new}


# --- ?page= beyond what a database can count to -----------------------------------------------

PAGINATED = [
    *("/recommendations/", "/reports/", "/documents/", "/commitments/"),
    *("/api/recommendations/", "/api/responses/", "/api/commitments/", "/api/submissions/"),
]


@pytest.mark.parametrize("url", PAGINATED)
def test_a_page_beyond_a_bigint_is_no_such_page(anonymous, data, url):
    assert fetch(anonymous, url).status == 200
    for page in (BEYOND_BIGINT, str(2**63), str(2**63 // 50)):
        assert fetch(anonymous, f"{url}?page={page}").status == 404, page


@pytest.mark.parametrize("url", ["/consultations/", "/", "/api/"])
def test_lists_without_pages_ignore_a_huge_page_number(anonymous, data, url):
    assert fetch(anonymous, f"{url}?page={BEYOND_BIGINT}").status == 200


def test_the_api_says_which_page_does_not_exist(anonymous, data):
    answer = fetch(anonymous, f"/api/recommendations/?page={BEYOND_BIGINT}")
    assert answer.response.json() == {"errors": {"page": ["No such page."]}}


# --- ?sort= ---------------------------------------------------------------------------------

def _numbers(answer) -> list[str]:
    return re.findall(r'href="/recommendations/\d+/"[^>]*>\s*(?:Recommendation\s*)?(\d+)', answer.text) or re.findall(
        r"Recommendation (\d+)", answer.text
    )


@pytest.mark.parametrize("sort", [",", ",,", "%2C"])
def test_an_empty_sort_is_the_default_order(anonymous, data, sort):
    default = fetch(anonymous, "/recommendations/")
    answer = fetch(anonymous, f"/recommendations/?sort={sort}")
    assert answer.status == 200
    assert _numbers(answer) == _numbers(default)
    assert fetch(anonymous, f"/api/recommendations/?sort={sort}").status == 200


def test_a_sort_with_a_trailing_comma_still_sorts(anonymous, data):
    rows = list(csv.DictReader(io.StringIO(fetch(anonymous, "/recommendations/?sort=-deadline,&format=csv").text)))
    deadlines = [row["deadline"] for row in rows if row["deadline"]]
    assert deadlines == ["2022-09-30", "2022-05-31", "1990-06-30"]
    assert fetch(anonymous, "/recommendations/?sort=-deadline,").status == 200


@pytest.mark.parametrize("sort", ["nonsense", "-", ",nonsense", "deadline,nonsense", "\x00"])
def test_an_unknown_sort_is_a_form_error(anonymous, data, sort):
    answer = fetch(anonymous, "/recommendations/?" + _encode(sort=sort))
    assert answer.status == 400
    assert "There is a problem" in answer.text


def _encode(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


# --- calendar feeds' ?from= ------------------------------------------------------------------

FEEDS = ["/calendar.ics", "/reports/old-report/calendar.ics", "/addressees/mopac/calendar.ics"]


def _events(answer) -> dict:
    assert answer.status == 200, answer.text
    return {str(event["summary"]): event for event in Calendar.from_ical(answer.body).walk("VEVENT")}


@pytest.mark.parametrize("feed", FEEDS)
def test_a_feed_from_the_first_day_there_is_holds_everything(anonymous, data, feed):
    events = _events(fetch(anonymous, f"{feed}?from=0001-01-01"))
    assert "Due from MOPAC: Old report, recommendation 1" in events
    assert "Reply due from the Mayor: Old report" in events


@pytest.mark.parametrize("feed", FEEDS)
def test_a_feed_from_the_last_day_there_is_holds_only_what_is_still_open(anonymous, data, feed):
    events = _events(fetch(anonymous, f"{feed}?from=9999-12-31"))
    # Open items stay whatever their age (tests/calendar): the 1990 report is still unanswered.
    assert "Due from MOPAC: Old report, recommendation 1" in events
    data["old"].recommendations.get(number=1).responses.create(
        letter=DocumentFactory(), text="Done.", date_received=D(2000, 1, 1), assessment="accepted",
        implementation_status="implemented", implementation_evidence="Done.",
    )
    assert "Due from MOPAC: Old report, recommendation 1" not in _events(fetch(anonymous, f"{feed}?from=9999-12-31"))


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("start", ["garbage", "\x00", "0000-01-01", "10000-01-01", "2022-02-30", "-1", BEYOND_BIGINT])
def test_a_feed_from_a_date_that_cannot_be_read_says_so(anonymous, data, feed, start):
    answer = fetch(anonymous, f"{feed}?{_encode(**{'from': start})}")
    assert answer.status == 400
    assert "YYYY-MM-DD" in answer.text


def test_a_deadline_on_the_last_day_there_is_is_a_one_day_event(anonymous, data):
    RecommendationFactory(report=data["new"], number=9, deadline=D(9999, 12, 31), deadline_text="never", deadline_precision="day")
    event = _events(fetch(anonymous, "/calendar.ics"))["Due: New report, recommendation 9 (no addressee named)"]
    assert event.decoded("dtstart") == D(9999, 12, 31)
    assert "dtend" not in event


def test_the_earliest_publication_date_works_at_both_ends_of_the_calendar():
    assert earliest_start_due_on_or_after(D(1, 1, 1), 2) == D(1, 1, 1)
    assert earliest_start_due_on_or_after(D(1, 2, 15), 2) == D(1, 1, 1)
    assert earliest_start_due_on_or_after(D(1, 3, 31), 2) == D(1, 1, 31)
    start = earliest_start_due_on_or_after(D(9999, 12, 31), 2)
    assert add_months(start, 2) == D(9999, 12, 31) > add_months(start - datetime.timedelta(days=1), 2)


# --- a NUL character in any filter -------------------------------------------------------------

@pytest.fixture
def two_hundred_reports(data):
    """More reports than the report filter lists (200), so a report it does not list is looked up."""
    Report.objects.bulk_create(
        [Report(slug=f"bulk-{n}", title=f"Bulk report {n}", committee=data["old"].committee, published=D(2023, 1, 1)) for n in range(200)]
    )
    return data


@pytest.mark.parametrize("url", ["/recommendations/", "/api/recommendations/"])
@pytest.mark.parametrize("value", ["\x00", "old\x00report", "old report", "x" * 300])
def test_a_report_that_cannot_exist_is_a_form_error(anonymous, two_hundred_reports, url, value):
    answer = fetch(anonymous, f"{url}?{_encode(report=value)}")
    assert answer.status == 400
    assert "Select a valid choice" in answer.text


def test_an_older_report_beyond_the_list_still_filters(anonymous, two_hundred_reports):
    answer = fetch(anonymous, "/api/recommendations/?report=old-report")
    assert answer.status == 200
    assert [record["report"] for record in answer.response.json()["results"]] == ["old-report"]


LIST_PARAMETERS = {
    "/recommendations/": ["q", "report", "addressee", "chapter", "status", "response", "assessment", "implementation", "year", "sort", "page"],
    "/api/recommendations/": ["q", "report", "addressee", "chapter", "status", "year", "sort", "page"],
    "/commitments/": ["due", "status", "owner", "report", "page"],
    "/reports/": ["page"],
}


@pytest.mark.parametrize("url", sorted(LIST_PARAMETERS))
def test_a_nul_character_in_any_parameter_is_refused_clearly(anonymous, two_hundred_reports, url):
    for name in LIST_PARAMETERS[url]:
        for value in ("\x00", "a\x00b"):
            answer = fetch(anonymous, f"{url}?{_encode(**{name: value})}")
            # A filter refuses it (400); a page number that is not one is no such page (404).
            assert answer.status == (404 if name == "page" else 400), (name, value, answer.status)


# --- sign-in with a username longer than anyone's -----------------------------------------------

@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
@pytest.mark.parametrize("username", ["x" * 151, "x" * 256, "x" * 5000])
def test_a_username_longer_than_any_is_a_form_error(anonymous, url, username):
    answer = fetch(anonymous, url, method="post", data={"username": username, "password": "whatever"})
    assert answer.status == 200
    assert "at most 150 characters" in answer.text


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_signing_in_still_works(superuser, url):
    client = Client()
    answer = fetch(client, url, method="post", data={"username": "root", "password": "a-long-test-passphrase-41"})
    assert answer.status == 302
    assert fetch(client, "/manage/").status == 200


# --- the Back link of the reply-due page ---------------------------------------------------------

@pytest.fixture
def editor(django_user_model):
    person = django_user_model.objects.create_user(username="eddie", password="a-long-test-passphrase-41")
    person.groups.add(Group.objects.get(name="Editors"))
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


OFF_SITE = ["/\\evil.example", "//evil.example", "https://evil.example/", "http:/\\evil.example", "javascript:alert(1)", "\x00/x", " //evil.example"]


@pytest.mark.parametrize("back", OFF_SITE)
def test_the_back_link_never_leads_off_site(editor, data, back):
    answer = fetch(editor, "/manage/reports/new-report/reply-due/?" + _encode(**{"from": back}))
    assert answer.status == 200
    assert 'href="/reports/new-report/" class="govuk-back-link"' in answer.text
    assert "evil.example" not in answer.text and "javascript:" not in answer.text


@pytest.mark.parametrize("back", OFF_SITE)
def test_saving_never_redirects_off_site(editor, data, back):
    answer = fetch(
        editor,
        "/manage/reports/new-report/reply-due/?" + _encode(**{"from": back}),
        method="post",
        data={"due_date_day": "1", "due_date_month": "6", "due_date_year": "2022", "reason": "The clerk agreed a later date."},
    )
    assert answer.status == 302, answer.text
    assert answer.response["Location"] == "/reports/new-report/"


def test_the_back_link_returns_to_the_page_it_came_from(editor, data):
    rec = data["new"].recommendations.first()
    answer = fetch(editor, f"/manage/reports/new-report/reply-due/?from=/recommendations/{rec.pk}/%23status")
    assert f'href="/recommendations/{rec.pk}/#status" class="govuk-back-link"' in answer.text


# --- the Django admin: an empty ?_to_field= ------------------------------------------------------

@pytest.mark.parametrize("page", ["change", "delete"])
def test_an_empty_to_field_in_the_admin_is_ignored(staff, data, page):
    report = data["new"]
    answer = fetch(staff, f"/admin/recommendations/report/{report.pk}/{page}/?_to_field=")
    assert answer.status == 200
    assert "New report" in answer.text
    assert fetch(staff, f"/admin/recommendations/report/{report.pk}/{page}/?_to_field=nonsense").status == 400


# --- the digest preferences: organisations by id -------------------------------------------------

@pytest.mark.parametrize("value", [BEYOND_BIGINT, str(2**63), "-1", "1.5", "\x00", "x", "²"])
def test_an_organisation_id_that_cannot_exist_is_a_form_error(staff, data, value):
    answer = fetch(staff, "/preferences/", method="post", data={"subscribed": "on", "organisations": [value]})
    assert answer.status == 200
    assert "Select a valid choice" in answer.text


def test_choosing_organisations_still_works(staff, data, superuser):
    answer = fetch(staff, "/preferences/", method="post", data={"subscribed": "on", "organisations": [str(data["mopac"].pk)]})
    assert answer.status == 302
    assert list(superuser.digest_subscription.organisations.all()) == [data["mopac"]]
