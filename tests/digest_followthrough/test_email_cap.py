"""A digest email lists at most DIGEST_MAX_ITEMS items: past it, every body's sections are cut alike
and the rest are counted in "N more" lines whose links list them all. The counts at the top stay
whole. (A 650 KB digest was what a subscriber to everything got at national scale: mail clients
clip a long email, Gmail past 102 KB, hiding the rest and the unsubscribe link.)"""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.core.management import call_command

from recommendations.dates import DatePrecision
from responses.services import digest_subscription_update
from tests.factories import RecommendationFactory, ReportFactory

D = datetime.date
MONDAY = D(2026, 11, 23)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_week(actors, time_machine):
    """Five items due in the next fortnight for each of MOPAC, the Met and the Mayor."""
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False)
    report = ReportFactory(published=D(2026, 11, 2), title="Busy", slug="busy")  # its reply not yet due
    number = 0
    for body in ("MOPAC", "Met", "Mayor"):
        for day in range(1, 6):
            number += 1
            rec = RecommendationFactory(
                report=report,
                number=number,
                text=f"Recommendation {number} for the {body} should be done.",
                deadline=MONDAY + datetime.timedelta(days=day),
                deadline_text="",
                deadline_precision=DatePrecision.DAY,
            )
            rec.addressees.set([actors[body]])
    return report


def _send(smtp, subscriber, address) -> str:
    user = subscriber(address)
    digest_subscription_update(user=user, subscribed=True)
    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())
    [message] = smtp.to(address)
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _listed(text: str) -> set[int]:
    """The numbers of the recommendations the email lists one by one."""
    return {int(number) for number in re.findall(r"^  - Recommendation (\d+):", text, flags=re.MULTILINE)}


def test_a_digest_within_the_cap_lists_everything(smtp, subscriber, busy_week, settings):
    settings.DIGEST_MAX_ITEMS = 15
    text = _send(smtp, subscriber, "ann@example.org")
    assert _listed(text) == set(range(1, 16))
    assert "more due in the next 14 days" not in text


def test_past_the_cap_each_body_lists_as_many_and_counts_the_rest(smtp, subscriber, busy_week, settings, client, site_url):
    settings.DIGEST_MAX_ITEMS = 7  # three bodies: two items each fit (6), three would not (9)
    text = _send(smtp, subscriber, "ann@example.org")
    # The two due earliest of each body (MOPAC 1-5, the Met 6-10, the Mayor 11-15).
    assert _listed(text) == {1, 2, 6, 7, 11, 12}
    assert "Due in the next 14 days: 15" in text  # the count at the top is every item
    more = re.findall(r"\.\.\. and (\d+) more due in the next 14 days: (\S+)", text)
    assert [count for count, _ in more] == ["3", "3", "3"]
    # Each body's link lists all five of its items, the two shown and the three not.
    page = client.get(more[0][1].removeprefix(site_url))
    assert page.status_code == 200
    assert len(re.findall(r"Recommendation \d+ for the (\w+) should be done", page.content.decode())) == 5


def test_past_the_cap_even_one_each_lists_one_each(smtp, subscriber, busy_week, settings):
    settings.DIGEST_MAX_ITEMS = 2  # fewer than the bodies: each still shows its most pressing item
    text = _send(smtp, subscriber, "ann@example.org")
    assert _listed(text) == {1, 6, 11}
    assert len(re.findall(r"\.\.\. and 4 more due in the next 14 days", text)) == 3
