"""An editor in a real browser: signs in through the GOV.UK sign-in page, assesses a reply, gets
an error summary whose link leads to the field, sees the history and signs out. Every staff page
passes an axe-core scan and is photographed (tests/artifacts/staff-*.png)."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission

from recommendations.models import Recommendation

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-browser-passphrase-9"  # noqa: S105 (a test user only)


@pytest.fixture
def editor(seeded, django_user_model):
    # Browser tests run in transactions that are flushed afterwards, which empties the groups the
    # data migration made: make the Editors group again from the migration's own list.
    roles = importlib.import_module("recommendations.migrations.0003_roles")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in roles.EDITOR_PERMISSIONS]
    )
    user = django_user_model.objects.create_user(username="eddie", first_name="Eddie", password=PASSWORD)
    user.groups.add(group)
    return user


def test_an_editor_signs_in_assesses_a_reply_and_signs_out(page, seeded, editor):
    rec = Recommendation.objects.filter(responses__isnull=False).order_by("pk").first()
    reply = rec.responses.first()
    problems = {}

    def check(name):
        violations = axe_violations(page)
        if violations:
            problems[name] = violations
        screenshot(page, f"staff-{name}")

    page.goto(f"{seeded.url}{rec.get_absolute_url()}")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert "Please enter a correct username and password" in page.locator(".govuk-error-summary").inner_text()
    check("sign-in-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith(rec.get_absolute_url()), "back where the editor was"
    assert page.get_by_role("link", name="Manage").is_visible()
    check("recommendation")

    page.goto(f"{seeded.url}/manage/replies/{reply.pk}/assess/")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_role("button", name="Save assessment").click()
    summary = page.locator(".govuk-error-summary")
    assert "Give a short rationale for the assessment" in summary.inner_text()
    check("assess-error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_rationale", "the link takes you to the field"
    page.get_by_label("Why this assessment").fill("Agrees to publish the data.")
    page.get_by_role("button", name="Save assessment").click()
    assert "Assessment saved: Accepted" in page.locator(".govuk-notification-banner").inner_text()
    assert "Agrees to publish the data." in page.locator("#history").locator("xpath=..").inner_text()

    for name, url in {"manage": "/manage/", "enter-reply": f"/manage/replies/new/?recommendation={rec.pk}",
                      "deadline": f"/manage/recommendations/{rec.pk}/deadline/"}.items():
        page.goto(f"{seeded.url}{url}")
        check(name)
    page.get_by_role("button", name="Save deadline").click()
    assert "Say why the deadline is corrected" in page.locator(".govuk-error-summary").inner_text()
    check("deadline-error")

    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.locator("h1").inner_text()
    check("signed-out")
    assert not problems, problems
