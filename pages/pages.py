"""Page content worked out from every row, kept in the page cache (``tracker.pagecache``).

What is kept is the page's main content as HTML, the same for everyone who may see the page: the
header (who is signed in), messages and the CSRF token are drawn per request around it.

The list is kept per *normalised* query (``list_query``): only the parameters it reads, sorted,
without empty values, so made-up parameters cannot fill the cache with copies of one page; and a
page that shows form errors is never kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string

from tracker import pagecache

from . import figures, selectors
from .filters import RecommendationFilter
from .search import search_word_counts_compact

# The dashboard's "By report" table and timeliness chart show the most recently published reports;
# "All N reports" links to the paginated reports page.
DASHBOARD_REPORTS = 40


def dashboard_context(*, today: datetime.date) -> dict:
    report_rows = selectors.report_rows(today=today, limit=DASHBOARD_REPORTS)
    numbers = figures.dashboard_numbers(today=today, due_soon_days=settings.DUE_SOON_DAYS)  # stored, not counted
    counts = numbers.counts
    return {
        "today": today,
        "due_soon_days": settings.DUE_SOON_DAYS,
        "response_due_months": settings.RESPONSE_DUE_MONTHS,
        "counts": counts,
        "most_overdue": selectors.most_overdue(today=today),
        "addressees": numbers.addressees,
        "report_rows": report_rows,
        "reports_limited": counts["reports"] > len(report_rows),
        "chart": selectors.timeliness_chart(report_rows),
    }


def after_daily_flags(day: datetime.date) -> None:
    """After the daily flag run (``responses.tasks.flag_overdue``): store today's and tomorrow's
    dashboard counts (London midnight then needs no count of every row) and work out the day's
    dashboard into the page cache, so its first visitor does not wait; and fold the search words'
    stored counts (``search.search_word_counts_compact``)."""
    figures.fill(days=[day, day + datetime.timedelta(days=1)])
    search_word_counts_compact()
    dashboard_content(today=day)


def dashboard_content(*, today: datetime.date) -> str:
    """The dashboard's figures, tables and chart for ``today``, as HTML: from the page cache until
    the data changes, worked out afresh otherwise. The overdue-flag job calls this after each run,
    so the day's first visitor does not wait for the counts."""
    return pagecache.fragment(
        "dashboard",
        (today, settings.DUE_SOON_DAYS),
        lambda: render_to_string("recommendations/_dashboard_content.html", dashboard_context(today=today)),
    )


# The list's parameters besides its filters (``format=csv`` is never kept, so not among them).
LIST_PARAMETERS = ("page",)


def list_query(query: QueryDict) -> QueryDict:
    """What the list's content depends on in ``query``: its filters' and ``LIST_PARAMETERS``'
    values, in name order, without empty values or ``page=1``; anything else is dropped."""
    known = {*RecommendationFilter.base_filters, *LIST_PARAMETERS}
    normal = QueryDict(mutable=True)
    for name in sorted(known.intersection(query)):
        values = [value for value in query.getlist(name) if value != ""]
        if values and not (name == "page" and values == ["1"]):
            normal.setlist(name, values)
    normal._mutable = False
    return normal


def list_content(*, today: datetime.date, query: QueryDict, build: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """The list's (status, content HTML) for a normalised ``query`` (``list_query``) on ``today``:
    from the page cache, or ``build()``; kept only when it is a page of results (status 200),
    never when the form refused a value."""
    return pagecache.fragment(
        "recommendation-list", (today, sorted(query.lists())), build, keep=lambda result: result[0] == 200
    )
