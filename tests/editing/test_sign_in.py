"""Signing in and out through the real pages: GOV.UK sign-in with an error summary, lockout after
``AXES_FAILURE_LIMIT`` failed attempts (django-axes), sign-out by POST, password change with the
password validators, CSRF on every form, and optional sign-in for the read pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from recommendations.models import Note

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str, next_url: str = ""):
    return client.post(reverse("login"), {"username": username, "password": password, "next": next_url})


def test_signing_in_goes_where_you_were_going_and_the_header_says_who_you_are(users, world):
    client = Client()
    target = reverse("manage-note-new", args=[world["recommendation"].pk])
    response = client.get(target)
    assert response.status_code == 302
    login_page = client.get(response["Location"]).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Sign in</h1>" in login_page and "Sign in to continue." in login_page

    response = _sign_in(client, "olive", PASSWORD, next_url=target)
    assert response.status_code == 302 and response["Location"] == target
    page = client.get(target).content.decode()
    assert "Add a note" in page
    assert "Olive</li>" in page and ">Manage</a>" in page and "Sign out</button>" in page


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_username(users):
    response = _sign_in(Client(), "olive", "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Please enter a correct username and password." in page
    assert 'value="olive"' in page
    assert "<title>Error: Sign in" in page


def test_a_user_without_a_role_signs_in_but_sees_no_manage_link(users):
    client = Client()
    _sign_in(client, "reader", PASSWORD)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Reader</li>" in page and ">Manage</a>" not in page


def test_repeated_failures_lock_signing_in_even_with_the_right_password(users):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _sign_in(client, "eddie", "wrong-password").status_code == 200
    locked = _sign_in(client, "eddie", "wrong-password")
    assert locked.status_code == 429
    assert "Signing in is locked" in locked.content.decode()
    assert f"There were {limit} failed attempts to sign in as <strong>eddie</strong>" in locked.content.decode()

    still_locked = _sign_in(client, "eddie", PASSWORD)
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    assert _sign_in(client, "olive", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count_of_failures(users):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        _sign_in(client, "eddie", "wrong-password")
    assert _sign_in(client, "eddie", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(limit - 1):
        assert _sign_in(client, "eddie", "wrong-password").status_code == 200
    assert _sign_in(client, "eddie", PASSWORD).status_code == 302


def test_signing_out_needs_a_post_and_says_you_have_signed_out(client_for):
    client = client_for("editor")
    assert client.get(reverse("logout")).status_code == 405
    page = client.post(reverse("logout")).content.decode()
    assert "You have signed out" in page
    assert client.get(reverse("manage")).status_code == 302


def test_changing_a_password_applies_the_validators(client_for, users):
    client = client_for("officer")
    url = reverse("password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"})
    page = weak.content.decode()
    assert "This password is too short. It must contain at least 12 characters." in page
    assert "This password is too common." in page

    done = client.post(url, {"old_password": PASSWORD, "new_password1": "violet-harbour-lantern-7", "new_password2": "violet-harbour-lantern-7"}, follow=True)
    assert "Password changed" in done.content.decode()
    users["officer"].refresh_from_db()
    assert users["officer"].check_password("violet-harbour-lantern-7")


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(users, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"])
    url = reverse("manage-note-new", args=[world["recommendation"].pk])
    response = client.post(url, {"text": "Forged."})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()
    assert not Note.objects.exists()

    client.get(url)  # the form sets the CSRF cookie; a real browser then sends the token back
    response = client.post(url, {"text": "Genuine.", "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302
    assert Note.objects.get().text == "Genuine."


def test_signing_in_without_a_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    assert _sign_in(client, "olive", PASSWORD).status_code == 403


@pytest.mark.parametrize("url", ["/", "/recommendations/", "/commitments/", "/api/recommendations/"])
def test_when_read_pages_require_sign_in_anonymous_visitors_are_sent_to_sign_in(settings, client, client_for, world, url):
    settings.READ_PAGES_REQUIRE_LOGIN = True
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert client.get(response["Location"]).status_code == 200
    assert client_for("no role").get(url).status_code == 200


def test_read_pages_are_public_by_default(client, world):
    assert client.get(world["recommendation"].get_absolute_url()).status_code == 200


def test_the_digest_preferences_page_sends_signed_out_visitors_to_the_trackers_sign_in(client):
    response = client.get(reverse("digest-preferences"))
    assert response["Location"].startswith(reverse("login") + "?next=")
