import datetime

import pytest


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
