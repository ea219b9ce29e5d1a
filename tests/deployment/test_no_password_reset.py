"""No self-service password reset: admins create staff accounts, so the public reset pages (an
unthrottled form that sends email to any address) do not exist; a forgotten password is set by
an administrator. Signing in, signing out and changing your own password still work."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/set-password/", "/accounts/reset/done/"],
)
def test_the_reset_pages_are_not_found(client, url):
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "officer@example.org"}).status_code == 404
    assert not mail.outbox


@pytest.mark.parametrize("name", ["password_reset", "password_reset_done", "password_reset_complete"])
def test_no_reset_url_names_remain(name):
    with pytest.raises(NoReverseMatch):
        reverse(name)


def test_the_sign_in_pages_say_to_ask_an_administrator(client):
    for url in (reverse("login"), "/admin/login/"):
        page = client.get(url).content.decode()
        assert "password_reset" not in page and "reset" not in page.lower(), url
    assert "Ask an administrator if you have forgotten your password." in client.get(reverse("login")).content.decode()


def test_signing_in_and_changing_your_password_still_work(django_user_model):
    django_user_model.objects.create_user("officer", "officer@example.org", "copper-kettle-orchard-17")
    client = Client()
    assert client.post(reverse("login"), {"username": "officer", "password": "copper-kettle-orchard-17"}).status_code == 302
    changed = client.post(
        reverse("password_change"),
        {"old_password": "copper-kettle-orchard-17", "new_password1": "slate-river-compass-64", "new_password2": "slate-river-compass-64"},
        follow=True,
    )
    assert "Password changed" in changed.content.decode()
    assert client.post(reverse("logout")).status_code == 200
    assert Client().post(reverse("login"), {"username": "officer", "password": "slate-river-compass-64"}).status_code == 302
