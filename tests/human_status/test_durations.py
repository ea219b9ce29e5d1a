"""Durations in words wherever a number of days was shown: calendar months (month ends, leap days)
and the pages that use them."""

import datetime

import pytest

from recommendations.dates import DatePrecision
from recommendations.durations import due_in_words, duration_in_words
from tests.factories import RecommendationFactory, ReportFactory

D = datetime.date


@pytest.mark.parametrize(
    "start, end, words",
    [
        (D(2022, 9, 1), D(2022, 9, 1), "0 days"),
        (D(2022, 9, 1), D(2022, 9, 2), "1 day"),
        (D(2022, 9, 1), D(2022, 9, 14), "13 days"),
        (D(2022, 9, 1), D(2022, 9, 15), "2 weeks"),
        (D(2022, 9, 1), D(2022, 9, 23), "3 weeks 1 day"),
        (D(2022, 9, 1), D(2022, 10, 1), "1 month"),
        (D(2022, 1, 31), D(2022, 2, 27), "3 weeks 6 days"),  # not yet a month: 31 January + 1 month is 28 February
        (D(2022, 1, 31), D(2022, 2, 28), "1 month"),  # a month from a month's last day ends on the next month's last
        (D(2024, 1, 31), D(2024, 2, 29), "1 month"),  # leap year
        (D(2024, 2, 29), D(2025, 2, 28), "1 year"),  # a year from a leap day
        (D(2024, 2, 29), D(2025, 2, 27), "11 months 4 weeks"),
        (D(2022, 3, 1), D(2022, 7, 16), "4 months 2 weeks"),
        (D(2016, 5, 31), D(2022, 12, 1), "6 years 6 months"),
        (D(2020, 5, 31), D(2022, 5, 31), "2 years"),
    ],
)
def test_a_length_of_time_reads_in_calendar_words(start, end, words):
    assert duration_in_words(start, end) == words
    assert duration_in_words(end, start) == words  # order does not matter


def test_a_due_date_against_today():
    assert due_in_words(D(2016, 5, 31), today=D(2022, 12, 1)) == "6 years 6 months overdue"
    assert due_in_words(D(2022, 9, 22), today=D(2022, 9, 1)) == "3 weeks left"
    assert due_in_words(D(2022, 9, 1), today=D(2022, 9, 1)) == "due today"
    assert due_in_words(D(2022, 8, 31), today=D(2022, 9, 1)) == "1 day overdue"


@pytest.mark.django_db
def test_pages_show_words_not_thousands_of_days(client, today):
    report = ReportFactory(slug="old", title="Old report", published=D(2016, 3, 1))
    RecommendationFactory(report=report, number=1, deadline=D(2016, 5, 31), deadline_text="by May 2016", deadline_precision=DatePrecision.MONTH)
    listing = client.get("/recommendations/").content.decode()
    assert "6 years 3 months overdue" in listing  # 31 May 2016 to 1 September 2022
    assert "days overdue" not in listing
    page = client.get("/reports/old/").content.decode()
    assert "Awaiting a reply, 6 years 4 months overdue." in page  # due 1 May 2016
