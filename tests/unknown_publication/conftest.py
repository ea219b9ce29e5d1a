"""Reports whose publication date is not known: the reply is due, at the latest, two months
after the earlier of the earliest deadline they set and their first reply."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
import time_machine

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def on_day():
    """``with on_day(date):`` freezes the clock at noon in London on that day."""

    def freeze(day: datetime.date, hour: int = 12, minute: int = 0):
        return time_machine.travel(london(day, hour, minute), tick=False)

    return freeze


def page_text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
