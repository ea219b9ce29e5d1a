"""Shared by every test.

On SQLite the test database is a file in a private temporary folder (one per run, so engineers
running the suite at once do not share it), not pytest-django's in-memory default: another process
(the real Celery worker in tests/jobs) must be able to open it, and the live server's threads
(tests/browser, tests/bench) each get their own connection instead of sharing one, which hangs
when two requests use it at once.
"""

import atexit
import datetime
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings

# One Playwright browser for the whole run, whichever folders hold browser tests.
pytest_plugins = ["tests.browser.playwright_fixtures"]

if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _test_db_dir = Path(tempfile.mkdtemp(prefix="tracker-test-db-"))
    atexit.register(shutil.rmtree, _test_db_dir, ignore_errors=True)
    django_settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(_test_db_dir / "test.sqlite3")


@pytest.fixture
def d():
    """Short date constructor: d(2020, 5, 31)."""
    return datetime.date


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no kept pages: a page kept by an earlier test (whose writes were
    rolled back) must not be served to this one."""
    from django.core.cache import cache

    cache.clear()
    yield
