"""How a recommendation is named in exports, bulk edits and history: ``<report slug>/<number>``;
and what a report's slug can hold."""

import re

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")  # Report.slug: a SlugField of 200


def could_be_slug(value) -> bool:
    """Whether ``value`` could be a report's slug: anything else names no report and is not worth
    a query (PostgreSQL refuses a NUL in one)."""
    return bool(_SLUG.fullmatch(str(value or "")))


def recommendation_id(report_slug: str, number: int) -> str:
    return f"{report_slug}/{number}"
