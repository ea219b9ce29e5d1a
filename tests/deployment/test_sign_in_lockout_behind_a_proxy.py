"""Sign-in lockout (django-axes) counts failures against the client's address: behind a trusted
proxy that is the address the proxy recorded in X-Forwarded-For, so one attacker cannot lock out
everyone who comes through the same proxy; without a proxy X-Forwarded-For is ignored, so an
attacker cannot dodge the lockout by sending a new one each time."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tracker.client_ip import forwarded_client

pytestmark = pytest.mark.django_db

PASSWORD = "amber-lighthouse-quill-58"  # noqa: S105 (test users only)
PROXY = "10.0.0.5"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("officer", "officer@example.org", PASSWORD)


def _sign_in(password: str, forwarded_for: str | None = None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client(**headers).post(reverse("login"), {"username": "officer", "password": password})


def test_behind_one_proxy_the_attacker_is_locked_out_and_the_officer_is_not(settings, staff):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The attacker's own X-Forwarded-For entries (left of the proxy's) change every time.
        response = _sign_in("guess", forwarded_for=f"192.0.2.{attempt}, 203.0.113.66")
    assert response.status_code == 429
    assert _sign_in(PASSWORD, forwarded_for="203.0.113.66").status_code == 429, "the attacker stays locked out"
    assert _sign_in(PASSWORD, forwarded_for="198.51.100.7").status_code == 302, "the officer, via the same proxy, signs in"


def test_without_a_proxy_setting_x_forwarded_for_cannot_dodge_the_lockout(settings, staff):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in("guess", forwarded_for=f"198.51.100.{attempt}", remote="203.0.113.66")
    assert response.status_code == 429
    assert _sign_in(PASSWORD, forwarded_for="198.51.100.200", remote="203.0.113.66").status_code == 429
    assert _sign_in(PASSWORD, remote="198.51.100.7").status_code == 302, "another address is not locked"


def test_behind_two_proxies_the_address_the_outer_proxy_recorded_counts(settings, staff):
    settings.TRUSTED_PROXY_COUNT = 2
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("guess", forwarded_for=f"192.0.2.{attempt}, 203.0.113.66, 10.0.0.9")
    assert _sign_in(PASSWORD, forwarded_for="203.0.113.66, 10.0.0.9").status_code == 429
    assert _sign_in(PASSWORD, forwarded_for="198.51.100.7, 10.0.0.9").status_code == 302


@pytest.mark.parametrize(
    ("header", "count", "expected"),
    [
        ("203.0.113.66", 1, "203.0.113.66"),
        ("1.2.3.4, 203.0.113.66", 1, "203.0.113.66"),
        (" 2001:db8::1 ", 1, "2001:db8::1"),
        ("203.0.113.66, 10.0.0.9", 2, "203.0.113.66"),
        ("203.0.113.66", 2, None),  # did not come through both proxies
        ("", 1, None),
        ("not-an-address", 1, None),
        ("1.2.3.4, unknown", 1, None),
        ("203.0.113.66", 0, None),
    ],
)
def test_the_forwarded_client_is_read_from_the_right(header, count, expected):
    assert forwarded_client(header, count) == expected


def test_a_garbage_forwarded_header_behind_a_proxy_falls_back_to_the_connection(settings, staff):
    settings.TRUSTED_PROXY_COUNT = 1
    response = _sign_in("guess", forwarded_for="<script>, \x00")
    assert response.status_code == 200, "the failure is counted against the proxy's address, no 500"
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
