"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against
pytest-django's live server, with axe-core from npm injected into each page.

Nothing here skips: a missing Chromium, axe-core or GOV.UK Frontend build fails the test with what
to run. `make test` installs all three.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an asyncio event loop in this thread, so Django would refuse the
# tests' own (synchronous) database calls; they are not run concurrently with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
GOVUK_CSS = ROOT / "static" / "govuk" / "govuk-frontend.min.css"
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    missing = [
        f"{what} ({path}): {fix}"
        for what, path, fix in [
            (
                "Chromium",
                CHROMIUM,
                "run `make test` (installs Debian's chromium with apt-get) or `apt-get install chromium`",
            ),
            ("axe-core", AXE, "run `make setup` (npm ci)"),
            ("GOV.UK Frontend", GOVUK_CSS, "run `make setup` (copies it into static/govuk/)"),
        ]
        if not path.exists()
    ]
    if missing:
        pytest.fail("Browser tests need: " + "; ".join(missing), pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def seeded(live_server, transactional_db):
    """The real seed documents, imported as `make run` loads them, behind the live server."""
    call_command("import_sources", "--commit", verbosity=0)
    return live_server


def axe_violations(page) -> list[str]:
    """Serious or critical axe-core violations on the page, as readable lines."""
    # Evaluated through the DevTools protocol, not added as an inline <script>: the site's
    # Content-Security-Policy (scripts only from the site) stays on in every browser test.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {AXE.read_text()}\n; window.axe = axe; }}")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str) -> None:
    """Save the page at desktop and phone widths under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
