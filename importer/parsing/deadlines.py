"""Turn deadlines written in words into dates, keeping the words.

Pure functions. Relative phrases ("later this year", "this financial year") need the date of the
document they appear in, passed as ``reference_date``; without it they are not resolved.

Rules (the convention the tracker documents on its pages):
- a month means its last day: "by May 2020" -> 2020-05-31, precision ``month``;
- a year means 31 December: "later this year" in a letter of 18 August 2022 -> 2022-12-31;
- a UK financial year runs April to March: "this financial year (2022-23)" -> 2023-03-31;
- a season means the end of its last month (spring: May, summer: August, autumn: November,
  winter: February of the following year).
"""

from __future__ import annotations

import calendar
import datetime
import re

from .types import UNKNOWN_DATE, DatePrecision, Deadline, DocumentDate, RelativeDeadline
from .vocabulary import NUMBER_WORDS, PERIOD_UNITS, VAGUE_DEADLINE_WORDS, words_pattern

MONTHS = {
    name.lower(): number
    for number, name in enumerate(calendar.month_name)
    if name
}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_SEASONS = {"spring": (5, 0), "summer": (8, 0), "autumn": (11, 0), "winter": (2, 1)}

# A lead-in word makes a date a deadline rather than a mention ("in May 2020 we heard...").
_LEAD = r"(?:by|before|until|no later than|not later than|due in|due by|in time for)"
_END_OF = r"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # by 31 May 2020 / by the 31st of May 2020
    ("day", re.compile(rf"\b{_LEAD}\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)),
    # by May 31, 2020
    ("day_us", re.compile(rf"\b{_LEAD}\s+{_MONTH}\s+{_DAY},\s+{_YEAR}\b", re.I)),
    # by (the end of) May 2020
    ("month", re.compile(rf"\b{_LEAD}\s+(?:{_END_OF})?{_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.I)),
    # by (the end of) spring 2023
    ("season", re.compile(rf"\b{_LEAD}\s+(?:{_END_OF})?(?P<season>spring|summer|autumn|winter)\s+{_YEAR}\b", re.I)),
    # this financial year (2022-23) / the 2022/23 financial year / financial year 2022-23
    (
        "financial_year",
        re.compile(
            r"\b(?:(?:this|the|current|next)\s+)?financial\s+year\s*\(?\s*(?P<fy1>(?:19|20)\d\d)\s*[-/–]\s*(?P<fy2>\d\d(?:\d\d)?)\s*\)?"
            r"|\b(?:the\s+)?(?P<fy1b>(?:19|20)\d\d)\s*[-/–]\s*(?P<fy2b>\d\d(?:\d\d)?)\s+financial\s+year",
            re.I,
        ),
    ),
    ("this_financial_year", re.compile(r"\b(?:this|the current)\s+financial\s+year\b", re.I)),
    # by the end of 2022 / by 2022 / later in 2022
    ("year", re.compile(rf"\b(?:{_LEAD}\s+(?:{_END_OF})?|later\s+in\s+|during\s+){_YEAR}\b(?!\s*[-/–]\s*\d)", re.I)),
    # later this year / by the end of this year / by the end of the year / this year
    (
        "this_year",
        re.compile(
            r"\b(?:later\s+this\s+year|by\s+(?:the\s+)?end\s+of\s+(?:this|the)\s+(?:calendar\s+)?year"
            r"|(?:later|during)\s+this\s+calendar\s+year)\b",
            re.I,
        ),
    ),
    ("next_year", re.compile(r"\b(?:next\s+year|by\s+(?:the\s+)?end\s+of\s+next\s+year)\b", re.I)),
]


def month_end(year: int, month: int) -> datetime.date:
    """The last day of a month (handles leap years)."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _fy_end(first_year: int) -> datetime.date:
    return datetime.date(first_year + 1, 3, 31)


def _financial_year_containing(day: datetime.date) -> int:
    """The first calendar year of the UK financial year (April to March) containing ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def _resolve(kind: str, match: re.Match[str], reference_date: datetime.date | None) -> tuple[datetime.date, str] | None:
    groups = match.groupdict()
    if kind in ("day", "day_us"):
        try:
            return datetime.date(int(groups["year"]), MONTHS[groups["month"].lower()], int(groups["day"])), DatePrecision.DAY
        except ValueError:  # "by 31 February 2020": not a date
            return None
    if kind == "month":
        return month_end(int(groups["year"]), MONTHS[groups["month"].lower()]), DatePrecision.MONTH
    if kind == "season":
        month, year_offset = _SEASONS[groups["season"].lower()]
        return month_end(int(groups["year"]) + year_offset, month), DatePrecision.MONTH
    if kind == "financial_year":
        first = int(groups["fy1"] or groups["fy1b"])
        second_text = groups["fy2"] or groups["fy2b"]
        second = int(second_text) if len(second_text) == 4 else (first // 100) * 100 + int(second_text)
        if second != first + 1:
            return None
        return _fy_end(first), DatePrecision.FINANCIAL_YEAR
    if kind == "year":
        return datetime.date(int(groups["year"]), 12, 31), DatePrecision.YEAR
    return _resolve_relative(kind, reference_date)


def _resolve_relative(kind: str, reference_date: datetime.date | None) -> tuple[datetime.date, str] | None:
    """A phrase relative to ``reference_date`` ("this financial year", "this year", "next year");
    None without a reference date."""
    if kind not in ("this_financial_year", "this_year", "next_year"):
        raise AssertionError(kind)
    if reference_date is None:
        return None
    if kind == "this_financial_year":
        return _fy_end(_financial_year_containing(reference_date)), DatePrecision.FINANCIAL_YEAR
    if kind == "this_year":
        return datetime.date(reference_date.year, 12, 31), DatePrecision.YEAR
    return datetime.date(reference_date.year + 1, 12, 31), DatePrecision.YEAR


def find_deadlines(text: str, *, reference_date: datetime.date | None = None) -> list[Deadline]:
    """Every deadline stated in ``text``, in the order they appear.

    Overlapping matches are resolved in favour of the longest (so "this financial year (2022-23)"
    is one deadline, not two). Relative phrases are skipped when ``reference_date`` is None.
    """
    found: list[tuple[int, int, Deadline]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            resolved = _resolve(kind, match, reference_date)
            if resolved is None:
                continue
            words = " ".join(match.group(0).split())
            found.append((match.start(), match.end(), Deadline(date=resolved[0], text=words, precision=resolved[1])))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, Deadline]] = []
    for start, end, deadline in found:
        if kept and start < kept[-1][1]:
            continue  # overlaps a longer or earlier match
        kept.append((start, end, deadline))
    return [deadline for _, _, deadline in kept]


def find_deadline(text: str, *, reference_date: datetime.date | None = None) -> Deadline | None:
    """The first deadline stated in ``text``, or None."""
    deadlines = find_deadlines(text, reference_date=reference_date)
    return deadlines[0] if deadlines else None


_DOC_DAY = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)
_DOC_DAY_NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b")
_DOC_MONTH = re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I)
_DOC_YEAR = re.compile(rf"\b{_YEAR}\b")


def parse_document_date(text: str) -> DocumentDate:
    """The first date in ``text`` at the precision it is written ("18 August 2022", "January 2022").

    Numeric dates are read the UK way (day/month/year). Returns ``UNKNOWN_DATE`` when there is none.
    As with deadlines, a month or a year stands for its last day ("January 2022" -> 2022-01-31),
    so a date known only roughly is never treated as earlier than it may have been.
    """
    for pattern, precision in ((_DOC_DAY, DatePrecision.DAY), (_DOC_DAY_NUMERIC, DatePrecision.DAY)):
        match = pattern.search(text)
        if match:
            month = match.group("month")
            month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
            try:
                value = datetime.date(int(match.group("year")), month_number, int(match.group("day")))
            except ValueError:
                continue
            return DocumentDate(date=value, precision=precision, text=" ".join(match.group(0).split()))
    match = _DOC_MONTH.search(text)
    if match:
        value = month_end(int(match.group("year")), MONTHS[match.group("month").lower()])
        return DocumentDate(date=value, precision=DatePrecision.MONTH, text=" ".join(match.group(0).split()))
    match = _DOC_YEAR.search(text)
    if match:
        return DocumentDate(date=datetime.date(int(match.group("year")), 12, 31), precision=DatePrecision.YEAR, text=match.group(0))
    return UNKNOWN_DATE


# --- relative and vague deadlines (documents of any layout) ------------------------------------

_COUNT = r"(?P<count>\d{1,3}|" + words_pattern(NUMBER_WORDS) + r")"
_UNIT = r"(?P<unit>" + "|".join(sorted(PERIOD_UNITS, key=len, reverse=True)) + r")\b"
_ANCHOR = r"(?:\s+(?:of|from|after|following)\s+(?P<anchor>(?:the\s+|this\s+|its\s+)?(?:date\s+of\s+)?(?:this\s+|the\s+|its\s+)?"
_ANCHOR += r"(?:publication|report|receipt|(?:the\s+)?recommendations?\s+being\s+published|being\s+published|its\s+publication)))?"
_RELATIVE = re.compile(
    rf"\b(?:within|no\s+later\s+than|not\s+later\s+than|not\s+more\s+than)\s+(?:the\s+next\s+)?(?:a\s+period\s+of\s+)?{_COUNT}[\s-]+{_UNIT}{_ANCHOR}",
    re.I,
)
_VAGUE = re.compile(r"\b" + words_pattern(VAGUE_DEADLINE_WORDS) + r"\b", re.I)


def find_relative_deadline(text: str) -> RelativeDeadline | None:
    """The first deadline counted from an event: "within six months", "within 56 days of the report".

    >>> find_relative_deadline("respond within two months of publication").months
    2
    """
    match = _RELATIVE.search(text)
    if not match:
        return None
    count_text = match.group("count").lower()
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS.get(" ".join(count_text.split()), 0)
    unit, size = PERIOD_UNITS[match.group("unit").lower()]
    if not count:
        return None
    anchor = " ".join((match.group("anchor") or "publication").split())
    words = " ".join(match.group(0).split())
    if unit == "months":
        return RelativeDeadline(text=words, months=count * size, anchor=anchor)
    return RelativeDeadline(text=words, days=count * size, anchor=anchor)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later, clamped to that month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_relative_deadline(relative: RelativeDeadline, published: datetime.date) -> tuple[Deadline, str]:
    """The date a relative deadline falls on once the date it counts from is known, and the working.

    >>> deadline, working = resolve_relative_deadline(RelativeDeadline("within 56 days", days=56), datetime.date(2024, 3, 3))
    >>> deadline.date, working
    (datetime.date(2024, 4, 28), '56 days after the report of 3 March 2024')
    """
    due = add_months(published, relative.months) + datetime.timedelta(days=relative.days)
    parts = []
    if relative.months:
        parts.append(f"{relative.months} month{'s' if relative.months != 1 else ''}")
    if relative.days:
        parts.append(f"{relative.days} day{'s' if relative.days != 1 else ''}")
    anchor = "publication" if "publi" in relative.anchor.lower() else "the report"
    working = f"{' and '.join(parts)} after {anchor} of {published.day} {calendar.month_name[published.month]} {published.year}"
    return Deadline(date=due, text=relative.text, precision=DatePrecision.DAY), working


def find_vague_deadline(text: str) -> str:
    """Timing words that give no date ("immediately", "annually"), joined with "; ", or ""."""
    found: list[str] = []
    for match in _VAGUE.finditer(text):
        words = " ".join(match.group(0).split())
        if words.lower() not in (word.lower() for word in found):
            found.append(words)
    return "; ".join(found)
