"""The weekly digest as a subscriber receives it from a real SMTP server, exactly once a week."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations.dates import DatePrecision
from responses import tasks
from responses.models import DigestDelivery, DigestSubscription
from responses.services import digest_send
from tests.factories import RecommendationFactory, ReportFactory, ResponseFactory

D = datetime.date
MONDAY = D(2026, 11, 23)

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(actors):
    """One recommendation per body, each overdue since the end of May 2020, in one report."""
    report = ReportFactory(published=None, title="Domestic abuse")
    recs = {}
    for number, name in enumerate(["Mayor", "MOPAC", "Met"], start=1):
        rec = RecommendationFactory(
            report=report, number=number, text=f"{name} should report back by May 2020.",
            deadline=D(2020, 5, 31), deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH,
        )
        rec.addressees.set([actors[name]])
        recs[name] = rec
    return recs


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_digest_arrives_with_text_and_html_parts_unsubscribe_headers_and_working_links(
    smtp, overdue, subscriber, client, site_url
):
    ann = subscriber("ann@example.org")

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())

    [message] = smtp.to("ann@example.org")
    # Three recommendations and the Mayor's reply to the report (due by 31 July 2020 at the latest).
    assert "2 newly overdue" not in message["Subject"] and "4 still overdue" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.index("MAYOR OF LONDON") < text.index("MAYOR'S OFFICE FOR POLICING AND CRIME") < text.index("METROPOLITAN POLICE")
    assert html.index("Mayor of London") < html.index("Office for Policing and Crime") < html.index("Metropolitan Police")
    # Years-old overdue items are summarised in one line per body with a link, not relisted weekly.
    for part in (text, html):
        assert "2367 days overdue" not in part  # 31 May 2020 to 23 November 2026
    assert "MOPAC should report back by May 2020." not in text
    assert "Overdue for longer: 1 item (not listed again): " + site_url + "/recommendations/?status=overdue&sort=deadline&addressee=" in text

    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe.startswith(site_url + "/preferences/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html

    links = _links(html)
    assert any("status=overdue" in link and "addressee=" in link for link in links)
    for link in links:
        assert link.startswith(site_url + "/"), link
        if "/unsubscribe/" not in link and "/preferences/" not in link:
            assert client.get(link.removeprefix(site_url)).status_code == 200, link

    # A mail client's one-click unsubscribe is a POST to the header's address.
    response = client.post(unsubscribe.removeprefix(site_url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not DigestSubscription.objects.get(user=ann).subscribed


def test_a_subscriber_who_chose_the_met_hears_only_about_the_met(smtp, overdue, subscriber, actors):
    subscriber("met.watcher@example.org", organisations=[actors["Met"]])

    digest_send(today=MONDAY)

    [message] = smtp.to("met.watcher@example.org")
    text = message.get_body(("plain",)).get_content()
    assert "METROPOLITAN POLICE" in text and "Overdue for longer: 1 item" in text
    assert "MAYOR'S OFFICE" not in text and "MAYOR OF LONDON" not in text


def test_no_email_when_there_is_nothing_to_say_unless_the_setting_asks_for_one(smtp, subscriber, settings):
    subscriber("ann@example.org")

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())
    assert smtp.received == []
    assert DigestDelivery.objects.get().status == DigestDelivery.Status.SKIPPED

    settings.DIGEST_SEND_WHEN_EMPTY = True
    call_command("send_digest", "--commit", "--today", (MONDAY + datetime.timedelta(days=7)).isoformat())
    [message] = smtp.to("ann@example.org")
    assert "Nothing changed, nothing is overdue or coming due" in message.get_body(("plain",)).get_content()


def test_a_second_run_in_the_same_week_sends_nothing(smtp, overdue, subscriber, capsys):
    subscriber("ann@example.org")
    subscriber("bob@example.org")

    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())
    call_command("send_digest", "--commit", "--today", (MONDAY + datetime.timedelta(days=2)).isoformat())  # Wednesday, same ISO week
    tasks.send_weekly_digest.delay(MONDAY.isoformat())

    assert len(smtp.to("ann@example.org")) == len(smtp.to("bob@example.org")) == 1
    assert "ann@example.org: already sent this week" in capsys.readouterr().out

    call_command("send_digest", "--commit", "--today", (MONDAY + datetime.timedelta(days=7)).isoformat())  # next week
    assert len(smtp.to("ann@example.org")) == 2


def test_a_run_cut_short_by_the_smtp_server_sends_only_the_rest_when_run_again(smtp, overdue, subscriber, caplog):
    addresses = [f"officer{n}@example.org" for n in range(5)]
    for address in addresses:
        subscriber(address)
    smtp.accept = 2  # the server goes away after two messages

    with caplog.at_level(logging.WARNING, logger="responses.services"), pytest.raises(CommandError, match="3 digest"):
        call_command("send_digest", "--commit", "--today", MONDAY.isoformat())
    assert len(smtp.received) == 2
    failed = DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED)
    assert failed.count() == 3 and all("451" in d.last_error for d in failed)
    assert sum("failed on attempt 1" in r.getMessage() for r in caplog.records) == 3

    smtp.accept = None  # the server is back
    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())
    assert sorted(rcpt for rcpts, _ in smtp.received for rcpt in rcpts) == sorted(addresses)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {DigestDelivery.Status.SENT}


def test_a_worker_that_died_mid_send_is_finished_by_the_restart_and_a_live_claim_is_left_alone(
    smtp, overdue, subscriber, settings
):
    from django.utils import timezone

    from responses.services import digest_deliveries_prepare

    settings.DIGEST_CLAIM_TIMEOUT_SECONDS = 900
    subscriber("dead@example.org")
    subscriber("live@example.org")
    digest_deliveries_prepare(today=MONDAY)
    # One worker died after claiming its delivery an hour ago; another claimed its own just now.
    DigestDelivery.objects.filter(user__email="dead@example.org").update(
        status=DigestDelivery.Status.SENDING, claimed_at=timezone.now() - datetime.timedelta(hours=1), attempts=1
    )
    DigestDelivery.objects.filter(user__email="live@example.org").update(
        status=DigestDelivery.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )

    digest_send(today=MONDAY)

    assert len(smtp.to("dead@example.org")) == 1
    assert smtp.to("live@example.org") == []  # its own worker is still sending it
    assert DigestDelivery.objects.get(user__email="dead@example.org").attempts == 2


def test_an_smtp_failure_in_the_task_is_logged_and_retried_until_it_is_sent(smtp, overdue, subscriber, caplog, monkeypatch):
    from tracker.celery import app

    # Eager tasks normally raise at once; let Celery run the retry (eagerly: no countdown waits).
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    subscriber("ann@example.org")
    smtp.refuse_next = 1

    with caplog.at_level(logging.WARNING, logger="responses.services"):
        assert tasks.send_weekly_digest.delay(MONDAY.isoformat()).get() == 1

    assert len(smtp.to("ann@example.org")) == 1 and smtp.refused == 1
    delivery = DigestDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DigestDelivery.Status.SENT, 2)
    assert any("failed on attempt 1" in r.getMessage() and "451" in r.getMessage() for r in caplog.records)


def test_a_delivery_that_keeps_failing_stays_recorded_as_failed_with_its_error(smtp, overdue, subscriber, monkeypatch):
    from tracker.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    monkeypatch.setattr(tasks.deliver_digest, "max_retries", 2)
    subscriber("ann@example.org")
    smtp.accept = 0

    tasks.send_weekly_digest.delay(MONDAY.isoformat())

    delivery = DigestDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DigestDelivery.Status.FAILED, 3)
    assert "451" in delivery.last_error
    smtp.accept = None
    call_command("send_digest", "--commit", "--today", MONDAY.isoformat())  # what an officer runs after the alert
    assert len(smtp.to("ann@example.org")) == 1


def test_without_commit_it_says_who_would_get_what_and_sends_nothing(smtp, overdue, subscriber, actors, capsys):
    subscriber("ann@example.org")
    subscriber("met.watcher@example.org", organisations=[actors["Met"]])
    ResponseFactory(recommendation=overdue["Met"], date_received=MONDAY)

    call_command("send_digest", "--today", MONDAY.isoformat())

    out = capsys.readouterr().out
    assert "ann@example.org: would get 3 items (0 newly overdue, 2 still overdue, 0 due soon, 1 replies received)" in out
    assert "met.watcher@example.org: would get 1 items (0 newly overdue, 0 still overdue, 0 due soon, 1 replies received)" in out
    assert smtp.received == [] and mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_unsubscribed_people_and_people_without_an_address_get_nothing(smtp, overdue, subscriber, django_user_model):
    subscriber("gone@example.org", subscribed=False)
    no_address = subscriber("x@example.org")
    django_user_model.objects.filter(pk=no_address.pk).update(email="")

    digest_send(today=MONDAY)

    assert smtp.received == []
