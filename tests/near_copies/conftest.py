"""Fixtures of the near-copies tests: the staff users and clients of the editing tests, and reports
made in bulk with chosen publication dates."""

from __future__ import annotations

import datetime
import re

import pytest

from recommendations.models import Report
from tests.editing.conftest import client_for, users  # noqa: F401 (fixtures)
from tests.factories import CommitteeFactory
from tracker import pagecache


@pytest.fixture
def make_reports(db):
    """``make(n, first=..., prefix=...)``: ``n`` reports published a day apart from ``first`` (None:
    undated), titled ``<prefix> 0000`` upwards (so the latest has the highest number)."""
    committee = CommitteeFactory()

    def make(n: int, *, first: datetime.date | None = datetime.date(2020, 1, 1), prefix: str = "Report", start: int = 0) -> list[Report]:
        made = Report.objects.bulk_create(
            Report(
                slug=f"{prefix.lower().replace(' ', '-')}-{i:04d}",
                title=f"{prefix} {i:04d}",
                committee=committee,
                published=first + datetime.timedelta(days=i) if first else None,
            )
            for i in range(start, start + n)
        )
        pagecache.data_changed()  # as every bulk write does: no kept list shows stale reports
        return made

    return make


def options(html: str, name: str) -> list[tuple[str, str]]:
    """The (value, text) of each option of the select ``name``, in page order, without the empty one."""
    select = re.search(rf'<select[^>]* name="{name}".*?</select>', html, re.S).group(0)
    return [(value, text) for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) if value]


def checkboxes(html: str, name: str) -> list[str]:
    """The labels of the checkboxes ``name``, in page order."""
    return re.findall(rf'<label class="govuk-label govuk-checkboxes__label" for="id_{name}_\d+">(.*?)</label>', html)
