"""An editor in a real browser chases an overdue reply: drafts the letter, edits it, records it
as sent and finds the chase on the recommendation's timeline. Each page passes an axe-core scan."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.contrib.auth.models import Group, Permission

from tests.browser.conftest import axe_violations
from tests.factories import OrganisationFactory, RecommendationFactory, ReportFactory
from tracker.clock import today

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-passphrase-17"  # noqa: S105 (a test user only)


@pytest.fixture
def editor(live_server, django_user_model):
    # Transactional tests flush the groups the data migrations made: make Editors again.
    roles = importlib.import_module("recommendations.migrations.0003_roles")
    mine = importlib.import_module("followup.migrations.0002_roles_trigram")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in roles.EDITOR_PERMISSIONS]
        + list(Permission.objects.filter(content_type__app_label="followup", codename__in=mine.EDITOR_PERMISSIONS))
    )
    user = django_user_model.objects.create_user(username="eddie", first_name="Eddie", password=PASSWORD)
    user.groups.add(group)
    return user


def test_an_editor_chases_an_overdue_reply_in_a_browser(page, live_server, editor):  # noqa: F811
    OrganisationFactory(name="Mayor of London", short_name="Mayor", slug="mayor", kind="mayor")
    published = today() - datetime.timedelta(days=200)  # the reply was due two months later
    report = ReportFactory(slug="stop-and-search", title="Stop and Search", chair="Susan Hall AM", published=published)
    rec = RecommendationFactory(report=report, number=1, text="The Met should publish stop and search data monthly.")
    problems = {}

    def check(name):
        violations = axe_violations(page)
        if violations:
            problems[name] = violations

    page.goto(f"{live_server.url}/accounts/login/?next=/manage/chasers/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    check("chasers")
    page.get_by_role("link", name="Draft a chaser to Stop and Search").click()
    check("new")
    page.get_by_role("button", name="Write the draft").click()
    letter = page.get_by_label("Letter")
    assert "1. Recommendation 1 of the report ‘Stop and Search’" in letter.input_value()
    check("edit")
    letter.fill(letter.input_value().replace("I would be grateful", "The committee would be grateful"))
    page.get_by_role("button", name="Save the letter").click()
    assert "The committee would be grateful" in page.locator("#letter").inner_text()
    page.get_by_role("link", name="Record it as sent").click()
    page.get_by_label("Sent on (YYYY-MM-DD)").fill(today().isoformat())
    page.get_by_label("Sent to").fill("Mayor's Office, City Hall")
    page.get_by_role("button", name="Record as sent").click()
    assert "Recorded as sent" in page.locator(".govuk-notification-banner").inner_text()
    check("sent")

    page.goto(f"{live_server.url}{rec.get_absolute_url()}")
    assert "Chased by the committee (PCC-CHASE-" in page.locator("#timeline").inner_text()
    assert problems == {}
