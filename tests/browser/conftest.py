"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against
pytest-django's live server, with axe-core from npm injected into each page.

Nothing here skips: a missing Chromium, axe-core or GOV.UK Frontend build fails the test with what
to run. `make test` installs all three.
"""


import pytest
from django.core.management import call_command

from .playwright_fixtures import ARTIFACTS, AXE, CHROMIUM, DESKTOP, GOVUK_CSS, PHONE, ROOT  # noqa: F401 (used by the tests)


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
