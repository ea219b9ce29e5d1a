"""iCalendar feeds of every deadline and reply due date, for subscribing in Outlook or any calendar.

All-day events; stable UIDs built from slugs, numbers and file hashes (never database ids), so a
calendar that subscribes keeps each event when the feed is refreshed. DTSTAMP is when the record
last changed, not the clock.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from icalendar import Calendar, Event

from responses.models import Commitment

from .models import Organisation, Recommendation, Report

UID_DOMAIN = "recommendation-tracker"


def _event(*, uid: str, day: datetime.date, summary: str, description: str, url: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(datetime.timezone.utc))
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def build_calendar(*, name: str, request, recommendations, reports, commitments) -> Calendar:
    """A calendar of recommendation deadlines, reply due dates and commitments' due dates."""
    calendar = Calendar()
    calendar.add("prodid", "-//London policing scrutiny//Recommendation tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    absolute = request.build_absolute_uri
    for rec in recommendations:
        addressees = ", ".join(str(org) for org in rec.addressees.all()) or "no addressee named"
        calendar.add_component(
            _event(
                uid=f"recommendation-{rec.report.slug}-{rec.number}-deadline",
                day=rec.deadline,
                summary=f"Deadline: {rec.report.title}, recommendation {rec.number} ({addressees})",
                description=f"“{rec.deadline_text}”\n\n{rec.text}\n\n{absolute(rec.get_absolute_url())}",
                url=absolute(rec.get_absolute_url()),
                stamp=rec.updated_at,
            )
        )
    for report in reports:
        due = report.response_due
        if due.date is None:
            continue
        calendar.add_component(
            _event(
                uid=f"report-{report.slug}-response-due",
                day=due.date,
                summary=f"Mayor's reply due: {report.title}",
                description=f"{due.explanation}\n\n{absolute(report.get_absolute_url())}",
                url=absolute(report.get_absolute_url()),
                stamp=report.updated_at,
            )
        )
    for commitment in commitments:
        owner = str(commitment.owner) if commitment.owner else "Commitment"
        rec = commitment.response.recommendation if commitment.response_id else None
        url = absolute(rec.get_absolute_url() if rec else commitment.document.get_absolute_url())
        calendar.add_component(
            _event(
                uid=f"commitment-{commitment.document.sha256[:12]}-{commitment.position}",
                day=commitment.due_date,
                summary=f"{owner} commitment due: “{commitment.due_text}”",
                description=f"{commitment.text}\n\n{url}",
                url=url,
                stamp=commitment.updated_at,
            )
        )
    return calendar


def _recommendations():
    return (
        Recommendation.objects.filter(deadline__isnull=False)
        .select_related("report")
        .prefetch_related("addressees")
        .order_by("deadline", "report__slug", "number")
    )


def _commitments():
    return (
        Commitment.objects.filter(due_date__isnull=False)
        .select_related("owner", "document", "response__recommendation__report")
        .order_by("due_date", "document__sha256", "position")
    )


def _respond(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_all(request):
    calendar = build_calendar(
        name="Police and Crime Committee recommendations: deadlines",
        request=request,
        recommendations=_recommendations(),
        reports=Report.objects.order_by("slug"),
        commitments=_commitments(),
    )
    return _respond(calendar, "deadlines.ics")


def calendar_report(request, slug: str):
    report = get_object_or_404(Report, slug=slug)
    calendar = build_calendar(
        name=f"{report.title}: deadlines",
        request=request,
        recommendations=_recommendations().filter(report=report),
        reports=[report],
        commitments=_commitments().filter(response__recommendation__report=report),
    )
    return _respond(calendar, f"{report.slug}.ics")


def calendar_addressee(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    recommendations = _recommendations().filter(addressees=organisation)
    calendar = build_calendar(
        name=f"Recommendations to {organisation.name}: deadlines",
        request=request,
        recommendations=recommendations,
        # The reply to a report is due to everyone it addresses.
        reports=Report.objects.filter(recommendations__addressees=organisation).distinct().order_by("slug"),
        commitments=_commitments().filter(Q(owner=organisation)),
    )
    return _respond(calendar, f"{organisation.slug}.ics")
