import datetime

import pytest


@pytest.fixture
def d():
    """Short date constructor: d(2020, 5, 31)."""
    return datetime.date
