"""Subscribing to the weekly digest with an email address alone, confirmed by a link (double
opt-in), through a real SMTP server."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from alerts.services import SUBSCRIBE_SALT
from responses.digest import digest_content
from responses.models import DigestSubscription
from responses.services import digest_build, preferences_url
from tests.factories import RecommendationFactory, ReportFactory

from .conftest import link_in

pytestmark = pytest.mark.django_db


def _ask(client, email, **choices):
    return client.post(reverse("subscribe"), {"email": email, **choices})


def test_the_header_and_footer_link_to_subscribing(client):
    page = client.get(reverse("dashboard")).content.decode()
    assert page.count('href="/subscribe/"') == 2


def test_subscribing_keeps_nothing_until_the_emailed_link_is_followed(client, smtp, actors):
    report = ReportFactory(title="Tackling violence against women and girls")
    answer = _ask(client, "Ann@Example.org", organisations=[actors["Met"].pk], reports=[report.pk])
    assert answer.status_code == 200 and "Check your email" in answer.content.decode()
    assert not DigestSubscription.objects.exists()
    assert not get_user_model().objects.filter(email__iexact="ann@example.org").exists()
    [message] = smtp.to("ann@example.org")
    assert "Tackling violence against women and girls" in message.get_body(preferencelist=("plain",)).get_content()

    confirm = link_in(message, "/subscribe/confirm/")
    shown = client.get(confirm).content.decode()
    assert "ann@example.org" in shown and "Metropolitan Police Service" in shown
    assert not DigestSubscription.objects.exists()  # opening the link (a mail scanner) is not confirming

    done = client.post(confirm)
    assert done.status_code == 200 and "You are subscribed" in done.content.decode()
    subscription = DigestSubscription.objects.get(user__email="ann@example.org")
    assert subscription.subscribed
    assert list(subscription.organisations.all()) == [actors["Met"]]
    assert list(subscription.reports.all()) == [report]
    assert not subscription.user.has_usable_password()


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(client, smtp):
    first = _ask(client, "bob@example.org").content
    client.post(link_in(smtp.to("bob@example.org")[0], "/subscribe/confirm/"))
    again = _ask(client, "bob@example.org").content
    assert first == again


def test_one_address_gets_at_most_three_confirmation_emails_an_hour_and_is_not_told(client, smtp, settings):
    settings.ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR = 3
    answers = [_ask(client, "cat@example.org").content for _ in range(5)]
    assert len(smtp.to("cat@example.org")) == 3
    assert len(set(answers)) == 1


def test_one_client_asking_too_often_is_refused_with_a_429(client, smtp, settings):
    settings.ALERTS_REQUESTS_PER_CLIENT_PER_HOUR = 2
    statuses = [_ask(client, f"p{n}@example.org").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert len(smtp.received) == 2


@pytest.mark.parametrize("email", ["", "not-an-address", "a@" + "b" * 300 + ".org"])
def test_a_bad_address_is_a_400_saying_what_to_do(client, smtp, email):
    answer = _ask(client, email)
    assert answer.status_code == 400 and "There is a problem" in answer.content.decode()
    assert not smtp.received


def test_a_damaged_or_expired_link_is_a_400_and_subscribes_nobody(client, monkeypatch):
    damaged = client.post(reverse("subscribe-confirm", args=["not-a-token"]))
    assert damaged.status_code == 400 and "cut short" in damaged.content.decode()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 73 * 3600)
    old = signing.dumps({"e": "dan@example.org", "o": [], "r": []}, salt=SUBSCRIBE_SALT)
    monkeypatch.setattr(time, "time", real_time)
    expired = client.post(reverse("subscribe-confirm", args=[old]))
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not DigestSubscription.objects.exists()


def test_the_digest_keeps_to_the_chosen_report_and_links_to_preferences_without_signing_in(client, smtp, actors):
    today = datetime.date(2024, 6, 10)
    wanted, other = ReportFactory(title="Wanted report"), ReportFactory(title="Other report")
    for report in (wanted, other):
        rec = RecommendationFactory(report=report, deadline=today - datetime.timedelta(days=2), deadline_text="by June 2024")
        rec.addressees.add(actors["MOPAC"])
    _ask(client, "eve@example.org", reports=[wanted.pk])
    client.post(link_in(smtp.to("eve@example.org")[0], "/subscribe/confirm/"))
    subscription = DigestSubscription.objects.get(user__email="eve@example.org")

    message = digest_build(subscription=subscription, content=digest_content(today=today))
    assert "Wanted report" in message.body and "Other report" not in message.body
    assert preferences_url(subscription.user) in message.body

    page = client.get(preferences_url(subscription.user).removeprefix("https://tracker.example.org"))
    assert page.status_code == 200 and "eve@example.org" in page.content.decode()
    client.post(page.request["PATH_INFO"], {"subscribed": "on", "reports": [wanted.pk, other.pk]})
    assert set(subscription.reports.all()) == {wanted, other}


def test_a_damaged_preferences_link_is_a_400(client):
    answer = client.get(reverse("digest-preferences-link", args=["damaged"]))
    assert answer.status_code == 400 and "preferences link does not work" in answer.content.decode()
