"""The Content-Security-Policy as Chromium enforces it: on every public page, the sign-in page, the
staff pages and the admin, nothing is refused (no inline script, style or handler anywhere), and
GOV.UK Frontend's JavaScript, loaded from files, still runs."""

import pytest

from recommendations.models import Document, Recommendation, Report
from responses.models import Consultation

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-browser-passphrase-31"  # noqa: S105 (a test user only)

# Runs before the page's own scripts (and is not itself subject to the page's policy).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def strict_page(browser):
    """A page that keeps every CSP refusal: the securitypolicyviolation events and the console's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.console_refusals = []
    page.on("console", lambda message: "Content Security Policy" in message.text and page.console_refusals.append(message.text))
    yield page
    context.close()


def _visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("load")
    return page.evaluate("window.__cspViolations")


def _public_pages() -> list[str]:
    letter = Document.objects.filter(kind=Document.Kind.RESPONSE_LETTER).first()
    return [
        "/", "/recommendations/", "/recommendations/?status=overdue&sort=deadline", "/recommendations/?status=soonish",
        Recommendation.objects.filter(responses__isnull=False).first().get_absolute_url(),
        "/reports/", Report.objects.get(slug="domestic-abuse").get_absolute_url(),
        "/documents/", letter.get_absolute_url(), "/commitments/", "/consultations/",
        Consultation.objects.first().get_absolute_url(), "/api/", "/recommendations/999999/", "/accounts/login/",
    ]


def test_no_page_breaks_the_policy_and_govuk_frontend_still_runs(strict_page, seeded, django_user_model):
    page = strict_page
    refused = {}
    for url in _public_pages():
        if violations := _visit(page, f"{seeded.url}{url}"):
            refused[url] = violations

    # GOV.UK Frontend ran from its files: the body says so, and on a phone the menu button appears.
    page.goto(seeded.url)
    assert {"js-enabled", "govuk-frontend-supported"} <= set(page.evaluate("document.body.className.split(' ')"))
    page.set_viewport_size(PHONE)
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.locator("#navigation").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    page.goto(f"{seeded.url}/accounts/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("link", name="Manage").is_visible()
    rec = Recommendation.objects.filter(responses__isnull=False).first()
    staff_pages = [
        "/manage/", "/manage/import/", "/manage/bulk/", f"/manage/replies/{rec.responses.first().pk}/assess/",
        "/preferences/", "/accounts/password_change/", "/admin/", "/admin/recommendations/recommendation/",
        f"/admin/recommendations/recommendation/{rec.pk}/change/", "/admin/auth/user/add/",
    ]
    for url in staff_pages:
        if violations := _visit(page, f"{seeded.url}{url}"):
            refused[url] = violations
    assert not refused, refused
    assert not page.console_refusals, page.console_refusals
