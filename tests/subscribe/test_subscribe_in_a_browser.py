"""In Debian's Chromium: a visitor follows the header link, subscribes with an address, and the
link in the email (from a real SMTP server) confirms it."""

import pytest

from responses.models import DigestSubscription

from .conftest import link_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_subscribes_from_the_header_link(page, live_server, smtp, actors, settings):  # noqa: F811
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Get updates by email").click()
    page.get_by_label("Email address").fill("fay@example.org")
    page.get_by_label("MOPAC", exact=True).check()
    page.get_by_role("button", name="Send me a confirmation link").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert not DigestSubscription.objects.exists()

    page.goto(live_server.url + link_in(smtp.to("fay@example.org")[0], "/subscribe/confirm/"))
    page.get_by_role("button", name="Confirm subscription").click()
    assert page.get_by_role("heading", name="You are subscribed").is_visible()
    subscription = DigestSubscription.objects.get(user__email="fay@example.org")
    assert [org.short_name for org in subscription.organisations.all()] == ["MOPAC"]
