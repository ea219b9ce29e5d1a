"""A subscriber who chose reports gets "N more" and "overdue for longer" links that list those
reports' items only, not everything the body has (the list filters one report at a time, so a
subscriber who chose several gets a line and a link for each)."""

from __future__ import annotations

import datetime
import html as html_lib
import re
import zoneinfo

import pytest
from django.core.management import call_command

from recommendations.dates import DatePrecision
from responses import digest
from responses.services import digest_subscription_update
from tests.factories import RecommendationFactory, ReportFactory

D = datetime.date
MONDAY = D(2026, 11, 23)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(actors, monkeypatch, time_machine):
    """Three MOPAC reports, each with two or three items due in the next fortnight and one overdue
    since 2020; the digest lists one item per section (SECTION_LIMIT 1, so a few items stand for many)."""
    monkeypatch.setattr(digest, "SECTION_LIMIT", 1)
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False)  # the list pages' today
    made = {}
    day = 2
    for title, due_soon in (("Alpha", 3), ("Beta", 2), ("Gamma", 2)):
        report = made[title] = ReportFactory(published=D(2026, 11, 2), title=title, slug=title.lower())  # its reply not yet due
        for number in range(1, due_soon + 2):
            deadline = MONDAY + datetime.timedelta(days=day) if number <= due_soon else D(2020, 5, 31)
            day += number <= due_soon
            rec = RecommendationFactory(
                report=report,
                number=number,
                text=f"Recommendation {number} of {title} should be done.",
                deadline=deadline,
                deadline_text="",
                deadline_precision=DatePrecision.DAY,
            )
            rec.addressees.set([actors["MOPAC"]])
    return made


def _choose(subscriber, address, *reports):
    user = subscriber(address)
    digest_subscription_update(user=user, subscribed=True, reports=list(reports))
    return user


def _text(smtp, address):
    [message] = smtp.to(address)
    return message.get_body(("plain",)).get_content(), html_lib.unescape(message.get_body(("html",)).get_content())


def _listed(client, url, site_url) -> set[str]:
    """Which reports' recommendations the linked list page shows."""
    page = client.get(url.removeprefix(site_url))
    assert page.status_code == 200, url
    return set(re.findall(r"Recommendation \d of (\w+) should be done", page.content.decode()))


def test_one_report_chosen_links_to_that_reports_items(smtp, reports, subscriber, client, site_url):
    _choose(subscriber, "ann@example.org", reports["Alpha"])

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    text, html = _text(smtp, "ann@example.org")
    more = re.search(r"\.\.\. and (\d+) more due in the next 14 days: (\S+)", text)
    assert more and more.group(1) == "2"
    assert more.group(2) == f"{site_url}/recommendations/?due_within=14&sort=deadline&addressee=mopac&report=alpha"
    assert _listed(client, more.group(2), site_url) == {"Alpha"}
    longer = re.search(r"Overdue for longer: 1 item \(not listed again\): (\S+)", text)
    assert longer and longer.group(1).endswith("&addressee=mopac&report=alpha")
    assert _listed(client, longer.group(1), site_url) == {"Alpha"}
    assert f'href="{more.group(2)}"' in html.replace("&amp;", "&")


def test_several_reports_chosen_get_a_line_and_link_each(smtp, reports, subscriber, client, site_url):
    _choose(subscriber, "bob@example.org", reports["Alpha"], reports["Beta"])

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    text, _html = _text(smtp, "bob@example.org")
    more = dict((title, (int(count), url)) for count, title, url in re.findall(r"\.\.\. and (\d+) more due in the next 14 days in ‘(\w+)’: (\S+)", text))
    # Alpha's first item is listed (the earliest due); the other two of Alpha's and both of Beta's are not.
    assert {title: count for title, (count, _url) in more.items()} == {"Alpha": 2, "Beta": 2}
    for title, (_count, url) in more.items():
        assert _listed(client, url, site_url) == {title}
    longer = dict(re.findall(r"Overdue for longer in ‘(\w+)’: 1 item \(not listed again\): (\S+)", text))
    assert sorted(longer) == ["Alpha", "Beta"]
    for title, url in longer.items():
        assert _listed(client, url, site_url) == {title}
    assert "Gamma" not in text


def test_without_a_choice_of_reports_the_links_cover_every_report(smtp, reports, subscriber, client, site_url):
    subscriber("cat@example.org")

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    text, _html = _text(smtp, "cat@example.org")
    more = re.search(r"\.\.\. and (\d+) more due in the next 14 days: (\S+)", text)
    assert more and more.group(1) == "6" and "report=" not in more.group(2)
    assert _listed(client, more.group(2), site_url) == {"Alpha", "Beta", "Gamma"}
    assert "Overdue for longer: 3 items (not listed again)" in text
