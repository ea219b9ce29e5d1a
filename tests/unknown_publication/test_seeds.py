"""On the seed data, as of 2 December 2026: both reports' publication dates are not known, yet the
domestic abuse report (deadlines "by May 2020", no reply) has had its reply overdue since August 2020."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import Recommendation, Report
from responses.digest import digest_content

from .conftest import page_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)
LATEST_DUE = datetime.date(2020, 7, 31)  # two calendar months after 31 May 2020
DAYS_OVERDUE = (TODAY - LATEST_DUE).days
OVERDUE_WORDS = "6 years 4 months"  # 31 July 2020 to 2 December 2026, as pages say it


@pytest.fixture
def seeds(on_day):
    call_command("load_seed_data", verbosity=0)
    assert not Report.objects.filter(published__isnull=False).exists(), "the seeds give no publication date"
    with on_day(TODAY):
        yield


def test_dashboard_counts_the_domestic_abuse_reply_overdue(client, seeds):
    html = client.get(reverse("dashboard")).content.decode()
    text = page_text(html)
    assert "1 of 2 reports with the Mayor's reply overdue" in text
    assert "0 awaiting a reply with its due date unknown" in text
    # Both reports are drawn, marked uncertain ("at least", hatched), none left undrawn.
    assert html.count('class="tracker-chart__uncertain"') == 2
    assert "Not drawn, because" not in text
    assert f"Domestic abuse: Awaiting a reply, at least {OVERDUE_WORDS} overdue." in text
    assert "at least 6 years 6 months" in text  # the chart: from 31 May 2020, the latest it can have been published


def test_report_page_shows_the_reasoning(client, seeds):
    text = page_text(client.get(reverse("report-detail", args=["domestic-abuse"])).content.decode())
    assert (
        "Publication date not known. It was published before 31 May 2020 (the earliest deadline it sets), "
        "so the Mayor's reply was due by 31 July 2020 at the latest." in text
    )
    assert "Published Not known (before 31 May 2020)" in text
    assert "Reply due By 31 July 2020 at the latest." in text
    assert f"Awaiting a reply, at least {OVERDUE_WORDS} overdue." in text


def test_a_reply_bounds_the_publication_date_too(client, seeds):
    # VAWG's first reply (18 August 2022) came before its earliest deadline (30 September 2022).
    text = page_text(client.get(reverse("report-detail", args=["violence-against-women-and-girls"])).content.decode())
    assert "It was published before 18 August 2022 (the date of the first reply to it)" in text
    assert "due by 18 October 2022 at the latest" in text
    assert (
        "Reply received on 18 August 2022 (publication date not known); it was due by 18 October 2022 at the latest,"
        " so whether it was on time is not known."
    ) in text


def test_report_list_and_recommendation_page(client, seeds):
    text = page_text(client.get(reverse("report-list")).content.decode())
    assert "Not known (before 31 May 2020)" in text and "Not known (before 18 August 2022)" in text
    assert f"Awaiting a reply, at least {OVERDUE_WORDS} overdue." in text
    rec = Recommendation.objects.get(report__slug="domestic-abuse", number=4)
    text = page_text(client.get(rec.get_absolute_url()).content.decode())
    assert "Due by 31 July 2020 at the latest." in text
    assert "Mayor's reply to the report due at the latest" in text


def test_year_filter_offers_the_bound_and_filters_on_it(client, seeds):
    html = client.get(reverse("recommendation-list")).content.decode()
    assert "2020 or earlier (publication date not known)" in html
    assert "2022 or earlier (publication date not known)" in html
    page = client.get(reverse("recommendation-list") + "?year=by-2020")
    assert page.status_code == 200
    reports = {rec.report.slug for rec in page.context["object_list"]}
    assert reports == {"domestic-abuse"}
    assert client.get(reverse("recommendation-list") + "?year=by-1999").status_code == 400  # not a choice


def test_calendar_and_digest_carry_the_latest_possible_due_date(seeds):
    from django.test import Client

    body = b"".join(Client().get("/reports/domestic-abuse/calendar.ics?from=2020-01-01").streaming_content).decode()
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Reply due from the Mayor at the latest: Domestic abuse" in unfolded
    assert "DTSTART;VALUE=DATE:20200731" in unfolded
    digest = digest_content(today=TODAY)
    reply_items = [
        (section.title, item)
        for group in digest.groups
        for section in group.reports
        for item in section.still_overdue
        if item.label == "The Mayor's reply to this report"
    ]
    assert [(title, item.due_date, item.days) for title, item in reply_items] == [("Domestic abuse", LATEST_DUE, DAYS_OVERDUE)]
    assert "at the latest" in reply_items[0][1].text
