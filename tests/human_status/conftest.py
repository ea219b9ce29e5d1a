"""A frozen London day for the human-status pages (the views read the clock once per request)."""

import datetime
import zoneinfo

import pytest
import time_machine

TODAY = datetime.date(2022, 9, 1)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=zoneinfo.ZoneInfo("Europe/London")), tick=False):
        yield TODAY
