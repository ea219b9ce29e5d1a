"""Subscribing on the preferences page, and the one-click unsubscribe link."""

import pytest
from django.core import signing
from django.urls import reverse

from responses.models import DigestSubscription
from responses.services import UNSUBSCRIBE_SALT, unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", email="officer@example.org", password="x" * 16)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("digest-preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_officer_subscribes_to_some_bodies_then_unsubscribes(client, officer, actors):
    client.force_login(officer)
    page = client.get(reverse("digest-preferences")).content.decode()
    assert "You are not subscribed." in page and "govuk-checkboxes" in page and "govuk-button" in page

    response = client.post(reverse("digest-preferences"), {"subscribed": "on", "organisations": [actors["Met"].pk]}, follow=True)
    assert "You will get the weekly digest at officer@example.org." in response.content.decode()
    subscription = DigestSubscription.objects.get(user=officer)
    assert subscription.subscribed and list(subscription.organisations.all()) == [actors["Met"]]

    client.post(reverse("digest-preferences"), {})
    subscription.refresh_from_db()
    assert not subscription.subscribed and subscription.unsubscribed_at is not None


def test_an_account_without_an_email_address_cannot_subscribe(client, django_user_model):
    user = django_user_model.objects.create_user(username="noaddress", password="x" * 16)
    client.force_login(user)
    response = client.post(reverse("digest-preferences"), {"subscribed": "on"})
    assert response.status_code == 200
    assert "has no email address" in response.content.decode()
    assert not DigestSubscription.objects.filter(user=user, subscribed=True).exists()


def test_opening_the_unsubscribe_link_asks_first_and_the_button_unsubscribes(client, officer, subscriber):
    ann = subscriber("ann@example.org")
    url = reverse("digest-unsubscribe", args=[unsubscribe_token(ann)])

    # Link scanners open every link in an email: opening it must not unsubscribe anyone.
    assert "Unsubscribe from the weekly digest?" in client.get(url).content.decode()
    assert DigestSubscription.objects.get(user=ann).subscribed

    response = client.post(url)  # no sign-in and no CSRF token: the signed token is enough
    assert "You have unsubscribed" in response.content.decode()
    assert not DigestSubscription.objects.get(user=ann).subscribed


def test_a_tampered_unsubscribe_link_changes_nothing(client, subscriber):
    ann = subscriber("ann@example.org")
    bob = subscriber("bob@example.org")
    damaged = unsubscribe_token(ann)[:-3]
    # Someone who puts Bob's id into Ann's token, or signs it with another key, cannot unsubscribe Bob.
    _ann_payload, timestamp, signature = unsubscribe_token(ann).split(":")
    bobs_payload = signing.dumps({"user": bob.pk}, salt=UNSUBSCRIBE_SALT).split(":")[0]
    swapped = ":".join([bobs_payload, timestamp, signature])
    other_key = signing.dumps({"user": bob.pk}, salt=UNSUBSCRIBE_SALT, key="not-the-sites-secret-key")

    for token in (damaged, swapped, other_key, "nonsense"):
        response = client.post(reverse("digest-unsubscribe", args=[token]))
        assert response.status_code == 400
    assert DigestSubscription.objects.filter(subscribed=True).count() == 2
