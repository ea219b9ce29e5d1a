"""iCalendar feeds of deadlines and reply due dates, for subscribing in Outlook or any calendar.

All-day events; stable UIDs built from slugs, numbers and file hashes (never database ids), so a
calendar that subscribes keeps each event when the feed is refreshed. DTSTAMP is when the record
last changed, not the clock.

A feed holds every open item whatever its age, until it is closed (a recommendation without a
reply or whose reply's promise is not yet delivered, a report whose reply is overdue, an open
commitment), and closed items from ``CALENDAR_PAST_MONTHS`` (12) calendar months before today
onwards. ``?from=YYYY-MM-DD`` starts that window on another day (earlier to see older ones).
Each event says what is due and from whom, and links to its page. The feed is written as it is read (rows as plain values, a few thousand at a
time), so its cost and memory do not grow with the whole history.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from icalendar.prop import vText

from recommendations.dates import add_months, response_due_for
from recommendations.deadline_rules import OPEN_COMMITMENT
from recommendations.models import Organisation, Recommendation, Report
from responses.models import Commitment, Response
from responses.progress import CLOSED, Progress, with_progress
from tracker import links
from tracker.clock import today as london_today

from .arrays import one_of

UID_DOMAIN = "recommendation-tracker"
PROGRESS_LABELS = {value: str(label) for value, label in Progress.choices}
CHUNK = 2000


def window_start(*, today: datetime.date, requested: str | None) -> datetime.date:
    """The first day a feed covers: ``requested`` (``YYYY-MM-DD``) when given, otherwise
    ``CALENDAR_PAST_MONTHS`` calendar months before ``today``. Raises ``ValueError`` for a
    date that cannot be read."""
    if requested:
        return datetime.date.fromisoformat(requested.strip())
    return add_months(today, -settings.CALENDAR_PAST_MONTHS)


def _fold(line: str, limit: int = 75) -> str:
    """RFC 5545 line folding: at most ``limit`` octets a line, never inside a UTF-8 character,
    each continuation starting with a space."""
    if len(line) <= limit // 4 or len(line.encode()) <= limit:
        return line
    if line.isascii():  # one octet a character: slices (most lines; a character at a time is slow)
        pieces = [line[:limit], *(line[start : start + limit - 1] for start in range(limit, len(line), limit - 1))]
        return "\r\n ".join(pieces)
    data, cuts, start, room = line.encode(), [], 0, limit
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        cuts.append(data[start:end])
        start, room = end, limit - 1  # the continuation's leading space
    cuts.append(data[start:])
    return "\r\n ".join(piece.decode() for piece in cuts)


def _line(name: str, value: str) -> str:
    return _fold(f"{name}:{value}") + "\r\n"


def _text(value: str) -> str:
    return vText(value).to_ical().decode()


def _date(day: datetime.date) -> str:
    """YYYYMMDD, four-digit year even before 1000 (``strftime`` would drop the zeros)."""
    return day.isoformat().replace("-", "")


def _event(*, uid: str, day: datetime.date, summary: str, description: str, url: str, stamp: datetime.datetime) -> str:
    stamp = stamp.astimezone(datetime.UTC)
    return "".join(
        [
            "BEGIN:VEVENT\r\n",
            _line("SUMMARY", _text(summary)),
            f"DTSTART;VALUE=DATE:{_date(day)}\r\n",
            # An all-day event ends the next day; on the last day a calendar can hold, DTEND is
            # left out (RFC 5545: a DATE start without an end lasts that one day).
            f"DTEND;VALUE=DATE:{_date(day + datetime.timedelta(days=1))}\r\n" if day < datetime.date.max else "",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}\r\n",
            _line("UID", _text(f"{uid}@{UID_DOMAIN}")),
            _line("DESCRIPTION", _text(description)),
            "TRANSP:TRANSPARENT\r\n",  # a deadline does not make anyone busy
            _line("URL", url),
            "END:VEVENT\r\n",
        ]
    )


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _names(chunk: list[dict]) -> dict[int, list[str]]:
    """Each recommendation's addressees' short names, for one chunk of rows: one query."""
    through = Recommendation.addressees.through
    names = defaultdict(list)
    for rec_id, short_name, full_name in (
        through.objects.filter(recommendation_id__in=[row["pk"] for row in chunk])
        .order_by("organisation__name")
        .values_list("recommendation_id", "organisation__short_name", "organisation__name")
    ):
        names[rec_id].append(short_name or full_name)
    return names


@dataclass(frozen=True)
class EventKind:
    """One kind of event in a feed: the columns its rows need and how one row becomes an event
    (``None``: this row makes none). ``lookup`` reads what a chunk of rows needs besides its own
    columns (one query a chunk), handed to ``event`` with each row of the chunk."""

    fields: tuple[str, ...]
    event: Callable[[dict, Callable[[str], str], dict], str | None]
    lookup: Callable[[list[dict]], dict] | None = None

    def events(self, queryset, absolute) -> Iterator[str]:
        """The events of ``queryset``, a chunk of rows at a time, so memory does not grow with the feed."""
        for chunk in _chunks(queryset.values(*self.fields).iterator(chunk_size=CHUNK)):
            extra = self.lookup(chunk) if self.lookup else {}
            yield "".join(text for row in chunk if (text := self.event(row, absolute, extra)))


def _recommendation_event(row: dict, absolute, names: dict[int, list[str]]) -> str:
    who = ", ".join(names[row["pk"]])
    what = f"{row['report__title']}, recommendation {row['number']}"
    url = absolute("recommendation-detail", row["pk"])
    description = (
        f"What is due: {row['short_text'] or row['text']}\n"
        f"From: {who or 'no addressee named'}\n"
        f"Deadline: “{row['deadline_text']}”\n"
        f"Where it stands: {PROGRESS_LABELS.get(row['progress'], row['progress'])}\n\n{url}"
    )
    return _event(
        uid=f"recommendation-{row['report__slug']}-{row['number']}-deadline",
        day=row["deadline"],
        summary=f"Due from {who}: {what}" if who else f"Due: {what} (no addressee named)",
        description=description,
        url=url,
        stamp=row["updated_at"],
    )


def _report_event(row: dict, absolute, _extra: dict) -> str | None:
    due = response_due_for(
        published=row["published"],
        published_precision=row["published_precision"],
        override=row["response_due_override"],
        override_reason=row["response_due_override_reason"],
        earliest_deadline=row["earliest_deadline"],
        earliest_reply=row["earliest_reply"],
    )
    if due.date is None:
        return None
    url = absolute("report-detail", row["slug"])
    return _event(
        uid=f"report-{row['slug']}-response-due",
        day=due.date,
        summary=f"Reply due from the Mayor{' at the latest' if due.at_the_latest else ''}: {row['title']}",
        description=f"What is due: the Mayor's reply to the committee's report “{row['title']}”, recommendation by recommendation.\n{due.explanation}\n\n{url}",
        url=url,
        stamp=row["updated_at"],
    )


def _commitment_event(row: dict, absolute, _extra: dict) -> str:
    owner = row["owner__short_name"] or row["owner__name"]
    recommendation = row["response__recommendation_id"] or row["recommendation_id"]
    if recommendation:
        url = absolute("recommendation-detail", recommendation)
    else:
        url = absolute("document-detail", row["document_id"])
    promise = row["text"] if len(row["text"]) <= 80 else row["text"][:79].rstrip() + "…"
    return _event(
        uid=f"commitment-{row['document__sha256'][:12]}-{row['position']}",
        day=row["due_date"],
        summary=f"Due from {owner}: {promise}" if owner else f"Promised: {promise}",
        description=f"What is due: {row['text']}\nFrom: {owner or 'no owner named'}\nPromised in: {row['document__title']}, due “{row['due_text']}”\n\n{url}",
        url=url,
        stamp=row["updated_at"],
    )


# The kinds of event a feed holds, in the order it lists them; build_calendar takes a queryset for each.
RECOMMENDATION_DEADLINES = EventKind(
    fields=("pk", "number", "deadline", "deadline_text", "text", "short_text", "updated_at", "report__slug", "report__title", "progress"),
    event=_recommendation_event,
    lookup=_names,
)
REPLY_DUE_DATES = EventKind(
    fields=(
        "slug",
        "title",
        "published",
        "published_precision",
        "response_due_override",
        "response_due_override_reason",
        "earliest_deadline",
        "earliest_reply",
        "updated_at",
    ),
    event=_report_event,
)
COMMITMENT_DUE_DATES = EventKind(
    fields=(
        "position",
        "due_date",
        "due_text",
        "text",
        "updated_at",
        "document__sha256",
        "document_id",
        "document__title",
        "owner__short_name",
        "owner__name",
        "response__recommendation_id",
        "recommendation_id",
    ),
    event=_commitment_event,
)


def build_calendar(*, name: str, request, recommendations, reports, commitments) -> Iterator[str]:
    """The feed's text, piece by piece: recommendation deadlines (``progress`` annotated), reply
    due dates and commitments' due dates, from querysets already limited to what the feed holds.
    Each event says what is due and from whom, and links to its page."""
    absolute = links.Absolute(request.build_absolute_uri("/"))  # scheme and host
    yield "".join(
        [
            "BEGIN:VCALENDAR\r\n",
            "VERSION:2.0\r\n",
            "PRODID:-//London policing scrutiny//Recommendation tracker//EN\r\n",
            "CALSCALE:GREGORIAN\r\n",
            _line("X-WR-CALNAME", _text(name)),
            "X-WR-TIMEZONE:Europe/London\r\n",
        ]
    )
    for kind, queryset in ((RECOMMENDATION_DEADLINES, recommendations), (REPLY_DUE_DATES, reports), (COMMITMENT_DUE_DATES, commitments)):
        yield from kind.events(queryset, absolute)
    yield "END:VCALENDAR\r\n"


def _recommendations(start: datetime.date, today: datetime.date):
    """Deadlines from ``start`` onwards, and every older deadline still open (``progress`` not
    closed: no reply yet, or a reply whose promise is not yet delivered), whatever its age."""
    return (
        with_progress(Recommendation.objects.all(), today=today)
        .filter(deadline__isnull=False)
        .filter(Q(deadline__gte=start) | ~Q(progress__in=CLOSED))
        .order_by("deadline", "report__slug", "number")
    )


def _reports(start: datetime.date, today: datetime.date, narrow: Q):
    """Reports (of those ``narrow`` keeps) whose reply is due on or after ``start`` (by an
    editor's date, the rule, or at the latest when the publication date is not known), and every
    report whose reply is overdue however long ago it was due, with the bounds
    ``response_due_for`` reads. ``narrow`` is applied inside both conditions too, so one report's
    feed works out one report's due date, not every report's."""
    reports = Report.objects.filter(narrow)
    due_from = reports.reply_due_from(start).values("pk")
    still_awaited = reports.response_overdue(today=today).values("pk")
    return Report.objects.with_publication_bounds().filter(narrow).filter(Q(pk__in=due_from) | Q(pk__in=still_awaited)).order_by("slug")


def _commitments(start: datetime.date):
    """Commitments due from ``start`` onwards, and every open one with a due date, whatever its age."""
    return (
        Commitment.objects.filter(due_date__isnull=False).filter(Q(due_date__gte=start) | OPEN_COMMITMENT).order_by("due_date", "document__sha256", "position")
    )


def _respond(request, filename: str, calendar) -> StreamingHttpResponse:
    response = StreamingHttpResponse((piece.encode() for piece in calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


_BAD_FROM = "The 'from' date could not be read: give it as YYYY-MM-DD, e.g. ?from=2020-01-01\n"


def with_window(view):
    """Reads today and the feed's window start (``?from=``, or the default window before today)
    once and passes them to the view as ``start`` and ``today``; an unreadable date is a 400."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        today = london_today()
        try:
            start = window_start(today=today, requested=request.GET.get("from"))
        except ValueError:
            return HttpResponseBadRequest(_BAD_FROM, content_type="text/plain; charset=utf-8")
        return view(request, *args, start=start, today=today, **kwargs)

    return wrapped


EVERYTHING = Q()  # a filter that keeps every row


def _feed(
    request, *, name: str, filename: str, start: datetime.date, today: datetime.date, recommendations=EVERYTHING, reports=EVERYTHING, commitments=EVERYTHING
):
    """The feed ``filename``: the window's deadlines, reply due dates and commitments, each narrowed
    by its ``Q`` (all of them when none is given)."""
    calendar = build_calendar(
        name=name,
        request=request,
        recommendations=_recommendations(start, today).filter(recommendations),
        reports=_reports(start, today, reports),
        commitments=_commitments(start).filter(commitments),
    )
    return _respond(request, filename, calendar)


@with_window
def calendar_all(request, **window):
    return _feed(request, name="Police and Crime Committee recommendations: deadlines", filename="deadlines.ics", **window)


@with_window
def calendar_report(request, slug: str, **window):
    report = get_object_or_404(Report, slug=slug)
    # Its recommendations, its reply, the promises made in its replies and replies promised but still
    # missing: by the ids of its recommendations and their replies (a few), looked up by two indexes.
    replies = Response.objects.filter(recommendation__report=report).values("pk")
    promises = one_of("response_id", replies) | one_of("recommendation_id", Recommendation.objects.filter(report=report).values("pk"))
    return _feed(
        request,
        name=f"{report.title}: deadlines",
        filename=f"{report.slug}.ics",
        **window,
        recommendations=Q(report=report),
        reports=Q(pk=report.pk),
        commitments=promises,
    )


@with_window
def calendar_addressee(request, slug: str, **window):
    organisation = get_object_or_404(Organisation, slug=slug)
    # The reply to a report is due to everyone it addresses.
    addressed = Q(pk__in=Recommendation.objects.filter(addressees=organisation).values("report_id"))
    return _feed(
        request,
        name=f"Recommendations to {organisation.name}: deadlines",
        filename=f"{organisation.slug}.ics",
        **window,
        recommendations=Q(addressees=organisation),
        reports=addressed,
        commitments=Q(owner=organisation),
    )
