"""With more reports than a page can list, the digest's report choices show the most recent ones
and those a subscriber already chose; any report can still be chosen, and the page reads the same
number of rows from the database whatever the number of reports."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responses.models import DigestSubscription
from responses.subscription_forms import REPORTS_SHOWN
from tests.factories import CommitmentFactory, OrganisationFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _reports(count: int, *, start: int = 0) -> list:
    """``count`` reports, one a day from 2020, the latest last."""
    first = datetime.date(2020, 1, 1)
    return [ReportFactory(title=f"Report {start + n:04d}", published=first + datetime.timedelta(days=start + n)) for n in range(count)]


def _listed(page: str) -> list[str]:
    """The report titles beside the reports checkboxes, in page order."""
    return re.findall(r'<label class="govuk-label govuk-checkboxes__label" for="id_reports_\d+">(.*?)</label>', page)


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_user(username="officer", email="officer@example.org", password="x" * 16)
    client.force_login(user)
    return user


def test_subscribe_lists_the_most_recent_reports_newest_first(client):
    reports = _reports(REPORTS_SHOWN + 10)

    listed = _listed(client.get(reverse("subscribe")).content.decode())

    assert listed == [report.title for report in reversed(reports[-REPORTS_SHOWN:])]
    assert "Report 0000" not in listed


def test_an_older_report_not_listed_can_still_be_chosen_and_then_shows_checked(client, officer):
    oldest, *_ = _reports(REPORTS_SHOWN + 5)

    response = client.post(reverse("digest-preferences"), {"subscribed": "on", "reports": [str(oldest.pk)]})

    assert response.status_code == 302
    assert list(DigestSubscription.objects.get(user=officer).reports.all()) == [oldest]
    page = client.get(reverse("digest-preferences")).content.decode()
    listed = _listed(page)
    assert len(listed) == REPORTS_SHOWN + 1 and listed[-1] == oldest.title  # newest first, the chosen one in its place
    assert re.search(rf'value="{oldest.pk}" checked>\s*<label[^>]*>{oldest.title}</label>', page)


def test_a_refused_form_keeps_showing_the_older_report_it_was_sent(client):
    oldest, *_ = _reports(REPORTS_SHOWN + 5)

    response = client.post(reverse("subscribe"), {"email": "not an address", "reports": [str(oldest.pk)]})

    assert response.status_code == 400
    page = response.content.decode()
    assert oldest.title in _listed(page)
    assert re.search(rf'value="{oldest.pk}" checked>', page)


def test_the_subscribe_page_reads_as_many_rows_with_three_times_the_reports(client):
    def rows_read() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("subscribe")).content.decode()
        return len(queries), len(_listed(page))

    _reports(REPORTS_SHOWN)
    fewer = rows_read()
    _reports(2 * REPORTS_SHOWN, start=REPORTS_SHOWN)

    assert rows_read() == fewer == (fewer[0], REPORTS_SHOWN)


def test_the_bodies_offered_are_the_three_actors_and_those_addressed_or_owning_a_commitment(client, actors):
    addressed = OrganisationFactory(name="Home Office", short_name="Home Office")
    owner = OrganisationFactory(name="Probation Service", short_name="Probation")
    neither = OrganisationFactory(name="Nobody", short_name="Nobody")
    RecommendationFactory().addressees.set([addressed])
    CommitmentFactory(owner=owner)

    page = client.get(reverse("subscribe")).content.decode()
    offered = re.findall(r'<label class="govuk-label govuk-checkboxes__label" for="id_organisations_\d+">(.*?)</label>', page)

    # In the order of the bodies' full names, each shown by its short name.
    expected = sorted([*actors.values(), addressed, owner], key=lambda body: body.name)
    assert offered == [body.short_name for body in expected]
    assert neither.short_name not in offered
