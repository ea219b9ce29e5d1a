"""The one Playwright browser for the whole run (Debian's Chromium, never a downloaded browser) and a
fresh page per test. Loaded for every test folder by tests/conftest.py's ``pytest_plugins``: a second
session-scoped copy imported into another folder would start Playwright twice in one thread, which
its sync API refuses.
"""

import os
from pathlib import Path

import pytest

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
