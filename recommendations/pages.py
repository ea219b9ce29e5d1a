"""Page content worked out from every row, kept in the page cache (``tracker.pagecache``).

What is kept is the page's main content as HTML, the same for everyone who may see the page: the
header (who is signed in), messages and the CSRF token are drawn per request around it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string

from tracker import pagecache

from . import selectors

# The dashboard's "By report" table and timeliness chart show the most recently published reports;
# "All N reports" links to the paginated reports page.
DASHBOARD_REPORTS = 40


def dashboard_context(*, today: datetime.date) -> dict:
    report_rows = selectors.report_rows(today=today, limit=DASHBOARD_REPORTS)
    counts = selectors.dashboard_counts(today=today, due_soon_days=settings.DUE_SOON_DAYS)
    return {
        "today": today,
        "due_soon_days": settings.DUE_SOON_DAYS,
        "counts": counts,
        "most_overdue": selectors.most_overdue(today=today),
        "addressees": selectors.addressee_rows(today=today),
        "report_rows": report_rows,
        "reports_limited": counts["reports"] > len(report_rows),
        "chart": selectors.timeliness_chart(report_rows),
    }


def dashboard_content(*, today: datetime.date) -> str:
    """The dashboard's figures, tables and chart for ``today``, as HTML: from the page cache until
    the data changes, worked out afresh otherwise. The overdue-flag job calls this after each run,
    so the day's first visitor does not wait for the counts."""
    return pagecache.fragment(
        "dashboard",
        (today, settings.DUE_SOON_DAYS),
        lambda: render_to_string("recommendations/_dashboard_content.html", dashboard_context(today=today)),
    )
