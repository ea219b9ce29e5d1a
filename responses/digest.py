"""Reads for the weekly digest and the overdue flags: what is overdue or coming due on ``today``,
grouped by who must act (the Mayor, MOPAC, the Met) and then by report.

Everything is derived from dates through the deadline queryset methods, with ``today`` passed in;
nothing here reads the clock or writes. ``digest_content`` runs a fixed number of queries however
many items or subscribers there are: the content is built once per run and filtered per subscriber.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse

from recommendations import deadline_rules
from recommendations.durations import due_in_words
from recommendations.models import Organisation, Recommendation, Report
from tracker import links, pagecache

from .changes import TRACKER_KINDS, ChangeFilter, ChangeKind, change_log
from .models import Commitment, DigestDelivery, DigestSubscription, OverdueFlag

# Who must act, in the order the digest lists them; any other body follows, then "not named".
ACTOR_ORDER = ("Mayor", "MOPAC", "Met")

# Items listed in each section for each body; the rest are counted, with a link to the full list.
# A tracker of every UK scrutiny body has tens of thousands of items overdue: listing them all
# would make each email megabytes long (and the weekly send hours long).
SECTION_LIMIT = 25
SECTION_NAMES = {
    "newly_overdue": "newly overdue",
    "still_overdue": "still overdue",
    "due_soon": "due in the next {days} days",
    "replies": "replies received",
    "changes": "status and deadline changes",
}
# The list page's filter showing each section's items (for one addressee); ``{days}`` is the digest's
# own due-soon window (DIGEST_DUE_WITHIN_DAYS), so "N more" shows the same items the digest counted.
SECTION_FILTERS = {
    "newly_overdue": "status=overdue",
    "still_overdue": "status=overdue&sort=deadline",
    "due_soon": "due_within={days}&sort=deadline",
    "replies": "response=answered&sort=-replied",
}
# Sections listed newest first (by the day it happened), not by due date.
NEWEST_FIRST = ("replies", "changes")
# The sections an email lists item by item ("still overdue" is one summary line per body).
LISTED_SECTIONS = ("newly_overdue", "due_soon", "replies", "changes")

# Other apps' notes on the digest's lines, registered in their ``AppConfig.ready()`` (followup adds
# "chased on 3 March, no reply yet"), so this app never imports them. ``digest_content`` calls each
# once per run as ``annotate(recommendation_ids=[...], today=today)`` with the recommendations of
# the lines it lists; each returns ``{recommendation id: {DigestItem field: value}}``.
DIGEST_ANNOTATORS: list[Callable[..., dict[int, dict[str, str]]]] = []
# Sections whose lines are annotated: the ones listed line by line (long-standing overdue items are
# only counted, and there can be tens of thousands of them).
ANNOTATED_SECTIONS = ("newly_overdue", "due_soon", "replies", "changes")


def due_soon_label(days: int) -> str:
    """The due-soon heading ("Due in the next 14 days") from the window actually used (``DIGEST_DUE_WITHIN_DAYS``)."""
    if days == 0:
        return "Due today"
    return "Due tomorrow" if days == 1 else f"Due in the next {days} days"


def week_start_of(day: datetime.date) -> datetime.date:
    """Monday of ``day``'s ISO week: the key a digest delivery is recorded under."""
    return day - datetime.timedelta(days=day.isoweekday() - 1)


def absolute_url(path: str) -> str:
    """A link that works from an email: ``settings.SITE_URL`` plus the page's path."""
    return settings.SITE_URL.rstrip("/") + path


def _shorten(text: str, words: int = 30) -> str:
    parts = " ".join(text.split()).split(" ")
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


@dataclass(frozen=True)
class DigestItem:
    """One line of the digest. ``days`` is days overdue for overdue items, days left for items due
    soon, and days since it arrived for replies."""

    kind: str  # an OverdueFlag.Kind value, or "reply"
    label: str
    text: str
    url: str
    due_date: datetime.date | None
    due_text: str = ""
    days: int | None = None
    reply_date: datetime.date | None = None  # for replies and changes: the day it happened
    sort_key: tuple = ()
    summary: str = ""  # a reply's first lines; what a change changed
    commitments: tuple[str, ...] = ()  # what a new reply promises
    due_words: str = ""  # the due date against today in words: "6 years 6 months overdue", "3 weeks left"
    recommendation_id: int | None = None  # the recommendation the line is about, if any
    chased: str = ""  # "chased on 3 March, no reply yet" (the followup app's annotator)


@dataclass
class ReportSection:
    """One report's items within one actor's group, in the digest's four sections."""

    title: str
    url: str
    report_id: int | None = None
    report_slug: str = ""
    newly_overdue: list[DigestItem] = field(default_factory=list)
    still_overdue: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)
    replies: list[DigestItem] = field(default_factory=list)
    changes: list[DigestItem] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(getattr(self, key)) for key in SECTION_NAMES)

    def sort(self) -> None:
        # Most overdue first (the earliest due date); due soon nearest first; newest replies first.
        for items in (self.newly_overdue, self.still_overdue, self.due_soon):
            items.sort(key=lambda item: (item.due_date, item.sort_key))
        for items in (self.replies, self.changes):
            items.sort(key=lambda item: (-item.reply_date.toordinal(), item.sort_key))


@dataclass
class ActorGroup:
    """Everything one body must act on. ``organisation`` is None for items naming nobody."""

    organisation: Organisation | None
    reports: list[ReportSection] = field(default_factory=list)
    not_listed: dict[str, int] = field(default_factory=dict)  # section -> items beyond SECTION_LIMIT
    due_within_days: int = 14
    # Every report's sections before ``limit`` cut them, so a subscriber who chose reports gets
    # their own cut (``DigestContent.for_choices``), not what is left of everyone's.
    uncut: list[ReportSection] = field(default_factory=list, repr=False)
    # The reports a subscriber chose that this body has items in (``DigestContent.for_choices``):
    # the links to the full lists show only those reports. Empty: every report.
    report_slugs: tuple[str, ...] = ()

    def _link(self, key: str, report_slug: str = "") -> str:
        narrow = "&".join(
            part
            for part in (f"addressee={self.organisation.slug}" if self.organisation is not None else "", f"report={report_slug}" if report_slug else "")
            if part
        )
        if key == "changes":
            return absolute_url(reverse("changes")) + (f"?{narrow}" if narrow else "")
        where = absolute_url(reverse("recommendation-list"))
        return f"{where}?{SECTION_FILTERS[key].format(days=self.due_within_days)}{'&' + narrow if narrow else ''}"

    def _by_report(self, key: str, count: int) -> list[tuple[str, int, str]]:
        """("", count, link) for every report or the one chosen; with several chosen (the list
        filters one report at a time) (report title, its items beyond those listed, its link) each."""
        if len(self.report_slugs) <= 1:
            return [("", count, self._link(key, self.report_slugs[0] if self.report_slugs else ""))]
        listed = {section.report_id: len(getattr(section, key)) for section in self.reports}
        rows = []
        for section in self.uncut:
            unlisted = len(getattr(section, key)) - listed.get(section.report_id, 0)
            if unlisted:
                rows.append((section.title, unlisted, self._link(key, section.report_slug)))
        return rows

    @property
    def more(self) -> list[tuple[str, int, str]]:
        """(section name, how many more, where to see them all) for each section cut short (the
        long-standing overdue items are summarised apart, in ``still_overdue_links``)."""
        rows = []
        for key, count in self.not_listed.items():
            if count and key != "still_overdue":
                name = SECTION_NAMES[key].format(days=self.due_within_days)
                rows += [(f"{name} in ‘{title}’" if title else name, n, url) for title, n, url in self._by_report(key, count)]
        return rows

    @property
    def still_overdue_count(self) -> int:
        return sum(len(section.still_overdue) for section in self.reports) + self.not_listed.get("still_overdue", 0)

    @property
    def still_overdue_url(self) -> str:
        """The list of everything overdue for this body, most overdue first: long-standing overdue
        items are summarised in one line with this link, not relisted every week."""
        return self._link("still_overdue", self.report_slugs[0] if len(self.report_slugs) == 1 else "")

    @property
    def still_overdue_links(self) -> list[tuple[str, int, str]]:
        """(report title or "", how many, the list of them) for the long-standing overdue items: one
        line for the body, or one per chosen report when the subscriber chose several."""
        count = self.still_overdue_count
        if not count:
            return []
        if len(self.report_slugs) > 1:
            return [(s.title, len(s.still_overdue), self._link("still_overdue", s.report_slug)) for s in self.uncut if s.still_overdue]
        return [("", count, self.still_overdue_url)]

    def limit(self, per_section: int) -> None:
        """List at most ``per_section`` items in each section across this body's reports (the most
        pressing: earliest due first, newest replies first); count the rest in ``not_listed``."""
        self.uncut = [replace(section) for section in self.reports]
        for key in SECTION_NAMES:
            entries = [(item, section) for section in self.reports for item in getattr(section, key)]
            if len(entries) <= per_section:
                continue
            if key in NEWEST_FIRST:
                entries.sort(key=lambda e: (-e[0].reply_date.toordinal(), e[0].sort_key))
            else:
                entries.sort(key=lambda e: (e[0].due_date, e[0].sort_key))
            kept = {id(item) for item, _ in entries[:per_section]}
            for section in self.reports:
                setattr(section, key, [item for item in getattr(section, key) if id(item) in kept])
            self.not_listed[key] = len(entries) - per_section
        self.reports = [section for section in self.reports if section.item_count]

    def recut(self, per_section: int, *, report_ids: set[int] | None = None) -> ActorGroup:
        """A copy of this body's group cut afresh from its uncut sections: only the reports in
        ``report_ids`` when given (their slugs then narrow the links), each section to
        ``per_section`` items."""
        cut = ActorGroup(organisation=self.organisation, due_within_days=self.due_within_days, report_slugs=self.report_slugs)
        cut.reports = [replace(section) for section in self.uncut if report_ids is None or section.report_id in report_ids]
        if report_ids is not None:
            cut.report_slugs = tuple(section.report_slug for section in cut.reports)
        cut.limit(per_section)
        return cut

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else "No one named"

    @property
    def short_name(self) -> str:
        return str(self.organisation) if self.organisation else "No one named"

    @property
    def item_count(self) -> int:
        return sum(section.item_count for section in self.reports) + sum(self.not_listed.values())


@dataclass
class DigestContent:
    """The digest for ``today``: actor groups, each with its reports and their four sections."""

    today: datetime.date
    window_start: datetime.date  # first day of "this week" (newly overdue, replies received)
    due_soon_until: datetime.date
    groups: list[ActorGroup]
    window_days: int = 7  # the days since the subscriber's last digest, ending today
    # Emails rendered once per audience (the set of bodies a subscriber chose), shared by every
    # subscriber with that choice: see responses.services.jobs.digest_build.
    rendered: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def week_start(self) -> datetime.date:
        return week_start_of(self.today)

    @property
    def item_count(self) -> int:
        return sum(group.item_count for group in self.groups)

    @property
    def due_within_days(self) -> int:
        return (self.due_soon_until - self.today).days

    @property
    def due_soon_label(self) -> str:
        return due_soon_label(self.due_within_days)

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0

    def counts(self) -> dict[str, int]:
        """How many items each section holds across every group (an item addressed to two bodies
        counts in both)."""
        totals = dict.fromkeys(SECTION_NAMES, 0)
        for group in self.groups:
            for key, count in group.not_listed.items():
                totals[key] += count
            for section in group.reports:
                for key in totals:
                    totals[key] += len(getattr(section, key))
        return totals

    def listed_count(self) -> int:
        """How many items the email lists one by one (long-standing overdue items are summarised,
        and items beyond a section's cut are counted in "N more")."""
        return sum(len(getattr(section, key)) for group in self.groups for section in group.reports for key in LISTED_SECTIONS)

    def fit_to_email(self, max_items: int) -> DigestContent:
        """The same digest listing at most ``max_items`` items in all where it can: every body's
        sections cut alike to the largest number of items each (at most ``SECTION_LIMIT``, at least
        one) that keeps the total within ``max_items``, the rest counted in each body's "N more"
        lines with links to them all. The counts at the top are unchanged. A digest that fits is
        returned as it is."""
        if self.listed_count() <= max_items:
            return self
        per_section = _fitting_per_section(self.groups, max_items)
        return replace(self, groups=[group.recut(per_section) for group in self.groups])

    def for_organisations(self, organisation_ids: set[int]) -> DigestContent:
        """Only the groups of the given bodies; an empty set means every group."""
        return self.for_choices(organisation_ids=organisation_ids, report_ids=set())

    def for_choices(self, *, organisation_ids: set[int], report_ids: set[int]) -> DigestContent:
        """Only the groups of the given bodies and, within them, the given reports' sections (each
        section cut to ``SECTION_LIMIT`` afresh); an empty set means every body or every report."""
        groups = self.groups
        if organisation_ids:
            groups = [g for g in groups if g.organisation is not None and g.organisation.pk in organisation_ids]
        if report_ids:
            narrowed = []
            for group in groups:
                kept = group.recut(SECTION_LIMIT, report_ids=report_ids)
                if kept.reports or kept.not_listed:
                    narrowed.append(kept)
            groups = narrowed
        return self if groups is self.groups else replace(self, groups=groups)


class _Collector:
    """Puts items into actor group -> report section -> list, creating each on first use."""

    def __init__(self, due_within_days: int = 14) -> None:
        self.due_within_days = due_within_days
        self.groups: dict[int | None, ActorGroup] = {}
        self.sections: dict[tuple, ReportSection] = {}
        self.report_urls: dict[int, str] = {}

    def _report_url(self, report: Report) -> str:
        # A report's section appears once per body it names: its address is built once.
        url = self.report_urls.get(report.pk)
        if url is None:
            url = self.report_urls[report.pk] = absolute_url(report.get_absolute_url())
        return url

    def add(self, actor: Organisation | None, report: Report | None, section: str, item: DigestItem) -> None:
        actor_key = actor.pk if actor else None
        group = self.groups.get(actor_key)
        if group is None:
            group = self.groups[actor_key] = ActorGroup(organisation=actor, due_within_days=self.due_within_days)
        report_key = (actor_key, report.pk if report else None)
        report_section = self.sections.get(report_key)
        if report_section is None:
            report_section = ReportSection(
                title=report.title if report else "Not linked to a report",
                url=self._report_url(report) if report else "",
                report_id=report.pk if report else None,
                report_slug=report.slug if report else "",
            )
            self.sections[report_key] = report_section
            group.reports.append(report_section)
        getattr(report_section, section).append(item)

    def annotate(self, *, today: datetime.date) -> None:
        """Other apps' notes on the listed lines (``DIGEST_ANNOTATORS``): one call each per digest,
        whatever the number of lines."""
        lines = [(section, key) for section in self.sections.values() for key in ANNOTATED_SECTIONS]
        ids = sorted({item.recommendation_id for section, key in lines for item in getattr(section, key) if item.recommendation_id is not None})
        if not ids:
            return
        notes: dict[int, dict[str, str]] = {}
        for annotator in DIGEST_ANNOTATORS:
            for pk, fields in annotator(recommendation_ids=ids, today=today).items():
                notes.setdefault(pk, {}).update(fields)
        for section, key in lines:
            items = getattr(section, key)
            setattr(section, key, [replace(item, **notes[item.recommendation_id]) if item.recommendation_id in notes else item for item in items])

    def result(self) -> list[ActorGroup]:
        def actor_order(group: ActorGroup) -> tuple:
            org = group.organisation
            if org is None:
                return (2, 0, "")
            if org.short_name in ACTOR_ORDER:
                return (0, ACTOR_ORDER.index(org.short_name), "")
            return (1, 0, org.name)

        groups = sorted(self.groups.values(), key=actor_order)
        for group in groups:
            group.reports.sort(key=lambda s: (s.url == "", s.title))
            for section in group.reports:
                section.sort()
            group.limit(SECTION_LIMIT)
        return groups


def _fitting_per_section(groups: list[ActorGroup], max_items: int) -> int:
    """The largest cut per section (``SECTION_LIMIT`` down to 1) under which ``groups`` list at
    most ``max_items`` items, or 1 when even that lists more."""
    sizes = [sum(len(getattr(section, key)) for section in group.uncut) for group in groups for key in LISTED_SECTIONS]
    for per_section in range(SECTION_LIMIT, 1, -1):
        if sum(min(size, per_section) for size in sizes) <= max_items:
            return per_section
    return 1


def _recommendation_item(rec: _RecRow, *, kind: str, days: int | None, today: datetime.date, url: Callable[[str, int], str]) -> DigestItem:
    return DigestItem(
        kind=kind,
        label=f"Recommendation {rec.number}",
        text=_shorten(rec.short_text or rec.text),
        url=url("recommendation-detail", rec.pk),
        due_date=rec.deadline,
        due_text=rec.deadline_text,
        days=days,
        sort_key=(0, rec.number),
        due_words=due_in_words(rec.deadline, today=today) if rec.deadline else "",
        recommendation_id=rec.pk,
    )


def _commitment_item(commitment: _CommitmentRow, *, days: int, today: datetime.date, url: Callable[[str, int], str]) -> DigestItem:
    # A commitment has no page of its own: it is shown beside the reply on the recommendation's page.
    page = ("recommendation-detail", commitment.recommendation_id) if commitment.response_id else ("document-detail", commitment.document_id)
    return DigestItem(
        kind=OverdueFlag.Kind.COMMITMENT,
        label=f"Commitment in the reply to recommendation {commitment.recommendation_number}" if commitment.response_id else "Commitment",
        text=_shorten(commitment.text),
        url=url(*page),
        due_date=commitment.due_date,
        due_text=commitment.due_text,
        days=days,
        sort_key=(2, commitment.position),
        due_words=due_in_words(commitment.due_date, today=today),
    )


def _report_reply_item(report: Report, *, due: datetime.date, days: int, today: datetime.date) -> DigestItem:
    return DigestItem(
        kind=OverdueFlag.Kind.REPORT_REPLY,
        label="The Mayor's reply to this report",
        text=report.response_due.explanation,
        url=absolute_url(report.get_absolute_url()),
        due_date=due,
        days=days,
        sort_key=(1, 0),
        due_words=due_in_words(due, today=today),
    )


def _overdue_section(due: datetime.date, *, today: datetime.date, window: int, flagged: bool = False) -> tuple[str, int]:
    """("newly_overdue" or "still_overdue", days overdue) for a deadline before ``today``: newly
    overdue if the deadline passed in the window, or the flag job first found it overdue in the
    window (``flagged``: a date moved, a reply withdrawn); otherwise long-standing."""
    days = (today - due).days
    return ("newly_overdue" if days <= window or flagged else "still_overdue"), days


def _flagged_in_window(start: datetime.date, today: datetime.date) -> set[tuple[str, int]]:
    """(kind, item id) of every item whose overdue flag was raised from ``start`` to ``today``."""
    rows = OverdueFlag.objects.filter(raised_on__gte=start, raised_on__lte=today).values_list("kind", "recommendation_id", "report_id", "commitment_id")
    return {(kind, rec or report or commitment) for kind, rec, report, commitment in rows}


def _collect_report_replies(collect: _Collector, mayor: Organisation | None, *, today: datetime.date, window: int, horizon: int, flagged: set) -> None:
    """The Mayor answers committee reports, so an overdue reply is the Mayor's to act on.
    With the publication date not known, the latest possible due date (``Report.response_due``)."""
    rule = deadline_rules.Window.on(today, horizon)  # the one deadline rule, in Python for one date
    for report in Report.objects.awaiting_response(today=today).with_publication_bounds():
        due = report.response_due.date
        state = rule.state_of(due)
        if state == deadline_rules.OVERDUE:
            section, days = _overdue_section(due, today=today, window=window, flagged=(OverdueFlag.Kind.REPORT_REPLY, report.pk) in flagged)
        elif state == deadline_rules.DUE_SOON:
            section, days = "due_soon", (due - today).days
        else:  # no due date at all, or later than the horizon
            continue
        collect.add(mayor, report, section, _report_reply_item(report, due=due, days=days, today=today))


class _RecRow(NamedTuple):
    """What a digest line reads of a recommendation, read as plain values (``_REC_COLUMNS``)."""

    pk: int
    number: int
    short_text: str
    text: str
    deadline: datetime.date | None
    deadline_text: str
    report_id: int


_REC_COLUMNS = ("pk", "number", "short_text", "text", "deadline", "deadline_text", "report_id")


class _CommitmentRow(NamedTuple):
    """What a digest line reads of a commitment (``_COMMITMENT_COLUMNS``)."""

    pk: int
    text: str
    due_date: datetime.date
    due_text: str
    position: int
    response_id: int | None
    document_id: int
    recommendation_id: int | None
    recommendation_number: int | None
    actor_id: int | None  # its owner, else its letter's author
    report_id: int | None  # its recommendation's report, else its letter's


_COMMITMENT_COLUMNS = (
    "pk", "text", "due_date", "due_text", "position", "response_id", "document_id", "response__recommendation_id",
    "response__recommendation__number", "owner_id", "document__author_organisation_id", "response__recommendation__report_id",
    "document__report_id",
)  # fmt: skip


class _Records:
    """The bodies and reports the lines name, each read once for the whole digest (an overdue list
    of 60,000 recommendations names a few thousand reports): lines are read as plain values, not as
    model instances with their report and bodies joined to each (most of the digest's time was that)."""

    def __init__(self) -> None:
        self.organisations = Organisation.objects.in_bulk()
        self.reports: dict[int, Report] = {}
        # A line's page from patterns read once per digest (for each of 100,000 lines, reading the
        # script prefix and URLconf was a fifth of the build), made absolute as ``absolute_url``.
        self.detail_url = links.Absolute(settings.SITE_URL)

    def organisation(self, pk: int) -> Organisation | None:
        """The body ``pk`` (read now if it was added since the bodies were read; None if deleted)."""
        if pk not in self.organisations:
            self.organisations.update(Organisation.objects.in_bulk([pk]))
        return self.organisations.get(pk)

    def report(self, pk: int | None) -> Report | None:
        return None if pk is None else self.reports.get(pk)

    def gone(self, report_id: int | None) -> bool:
        """Whether a line's report was deleted after the line was read (it is left out, not shown
        as "not linked to a report")."""
        return report_id is not None and report_id not in self.reports

    def read_reports(self, ids: Iterable[int | None]) -> None:
        wanted = {pk for pk in ids if pk is not None} - self.reports.keys()
        if wanted:
            self.reports.update(Report.objects.only("pk", "title", "slug").in_bulk(wanted))


def _collect_recommendations(collect: _Collector, records: _Records, *, today: datetime.date, window: int, horizon: int, flagged: set) -> None:
    for rows, due_soon in ((Recommendation.objects.overdue(today=today), False), (Recommendation.objects.due_within(horizon, today=today), True)):
        recs = [_RecRow(*row) for row in rows.values_list(*_REC_COLUMNS)]
        addressees: dict[int, list[Organisation]] = {}
        addressed = Recommendation.addressees.through.objects.filter(recommendation__in=rows.values("pk"))
        for rec_id, org_id in addressed.order_by("organisation__name", "organisation_id").values_list("recommendation_id", "organisation_id"):
            if (organisation := records.organisation(org_id)) is not None:
                addressees.setdefault(rec_id, []).append(organisation)
        records.read_reports(rec.report_id for rec in recs)
        for rec in recs:
            if records.gone(rec.report_id):
                continue
            flag = (OverdueFlag.Kind.RECOMMENDATION, rec.pk) in flagged
            section, days = _section_for(rec.deadline, due_soon=due_soon, today=today, window=window, flagged=flag)
            item = _recommendation_item(rec, kind=OverdueFlag.Kind.RECOMMENDATION, days=days, today=today, url=records.detail_url)
            for actor in addressees.get(rec.pk) or [None]:
                collect.add(actor, records.report(rec.report_id), section, item)


def _section_for(due: datetime.date, *, due_soon: bool, today: datetime.date, window: int, flagged: bool) -> tuple[str, int]:
    """A line's section and days: due soon (days left), else overdue (``_overdue_section``)."""
    if due_soon:
        return "due_soon", (due - today).days
    return _overdue_section(due, today=today, window=window, flagged=flagged)


def _commitment_rows(commitments: QuerySet) -> list[_CommitmentRow]:
    rows = []
    for pk, text, due, due_text, position, response, document, rec, number, owner, author, rec_report, letter_report in commitments.values_list(
        *_COMMITMENT_COLUMNS
    ):
        report = rec_report if response else letter_report
        rows.append(_CommitmentRow(pk, text, due, due_text, position, response, document, rec, number, owner or author, report))
    return rows


def _collect_commitments(collect: _Collector, records: _Records, *, today: datetime.date, window: int, horizon: int, flagged: set) -> None:
    for rows, due_soon in ((Commitment.objects.overdue(today=today), False), (Commitment.objects.due_within(horizon, today=today), True)):
        commitments = _commitment_rows(rows)
        records.read_reports(commitment.report_id for commitment in commitments)
        for commitment in commitments:
            if records.gone(commitment.report_id):
                continue
            flag = (OverdueFlag.Kind.COMMITMENT, commitment.pk) in flagged
            section, days = _section_for(commitment.due_date, due_soon=due_soon, today=today, window=window, flagged=flag)
            actor = records.organisation(commitment.actor_id) if commitment.actor_id is not None else None
            item = _commitment_item(commitment, days=days, today=today, url=records.detail_url)
            collect.add(actor, records.report(commitment.report_id), section, item)


def _collect_changes(collect: _Collector, *, window_start: datetime.date, today: datetime.date) -> None:
    """New replies (their first lines and what they promise) and status, assessment and deadline
    changes, from ``window_start`` to ``today``: ``responses.changes``, the same reading as the
    What changed page. (Newly overdue items are their own section.)"""
    changes = change_log(ChangeFilter(start=window_start, end=today))
    recommendations = Recommendation.objects.prefetch_related("addressees").in_bulk(
        {change.recommendation.pk for change in changes if change.recommendation is not None}
    )
    for change in changes:
        if change.kind == ChangeKind.OVERDUE:
            continue
        rec = recommendations.get(change.recommendation.pk) if change.recommendation is not None else None
        item = DigestItem(
            kind=change.kind,
            label=f"Recommendation {rec.number}" if rec is not None else change.label,
            text=_shorten(rec.short_text or rec.text) if rec is not None else "",
            url=absolute_url(change.path),
            due_date=rec.deadline if rec is not None else None,
            due_text=rec.deadline_text if rec is not None else "",
            days=(today - change.on).days,
            reply_date=change.on,
            sort_key=(0, rec.number if rec is not None else 0, change.key),
            summary=change.summary + "".join(f" ({detail})" for detail in change.details),
            commitments=change.commitments,
            # other apps' notes go on the tracker's own lines: a chase's line is that app's note already
            recommendation_id=rec.pk if rec is not None and change.kind in TRACKER_KINDS else None,
        )
        section = "replies" if change.kind == ChangeKind.REPLY else "changes"
        actors = list(rec.addressees.all()) if rec is not None else []
        for actor in actors or [None]:
            collect.add(actor, change.report, section, item)


def digest_content(*, today: datetime.date, window_days: int | None = None, due_within_days: int | None = None) -> DigestContent:
    """What the digest for ``today`` says, for every body.

    ``window_days`` (default ``DIGEST_WINDOW_DAYS``, 7) is how far back "what changed" reaches: the
    days since the subscriber's last digest (``digest_window_for``).
    - newly overdue: became overdue in the window, i.e. a deadline from ``today - 7`` to
      ``today - 1``, or an overdue flag raised in the window;
    - still overdue: overdue for longer: counted and linked, one line per body, not relisted;
    - due soon: not yet answered, due from ``today`` to ``today + due_within_days`` (default
      ``DIGEST_DUE_WITHIN_DAYS``, 14), labelled from that number;
    - replies: received from ``today - 6`` to ``today``, with their first lines and commitments;
    - changes: assessment, implementation status and deadline changes in the window (history), and
      other apps' changes (``changes.CHANGE_SOURCES``: a chaser letter recorded as sent).
    Consecutive weekly digests therefore neither miss nor repeat a newly overdue item or a reply.
    """
    window = settings.DIGEST_WINDOW_DAYS if window_days is None else window_days
    horizon = settings.DIGEST_DUE_WITHIN_DAYS if due_within_days is None else due_within_days
    collect = _Collector(due_within_days=horizon)
    mayor = Organisation.objects.filter(short_name="Mayor").first()
    window_start = today - datetime.timedelta(days=window - 1)
    flagged = _flagged_in_window(window_start, today)
    records = _Records()
    _collect_recommendations(collect, records, today=today, window=window, horizon=horizon, flagged=flagged)
    _collect_report_replies(collect, mayor, today=today, window=window, horizon=horizon, flagged=flagged)
    _collect_commitments(collect, records, today=today, window=window, horizon=horizon, flagged=flagged)
    _collect_changes(collect, window_start=window_start, today=today)
    collect.annotate(today=today)
    return DigestContent(
        today=today,
        window_start=window_start,
        due_soon_until=today + datetime.timedelta(days=horizon),
        groups=collect.result(),
        window_days=window,
    )


class _Kept:
    """This process's last digest content and what it was worked out for, as one (key, content)
    pair: replaced in one assignment, so a thread never sees a new key with the old content."""

    entry: tuple[tuple, DigestContent] | None = None


def digest_content_kept(*, today: datetime.date) -> DigestContent:
    """``digest_content(today=today)``, kept in this process while the data version
    (``pagecache.version_now``) and the settings it reads stay the same. A worker's batches of one
    week's send then share one content, and with it each audience's rendered email
    (``DigestContent.rendered``), instead of each batch reading every overdue item again (about
    9 s at 250,000 recommendations). Any write makes it be worked out afresh; so does a cache that
    cannot say. The caller must not change what it gets."""
    version = pagecache.version_now()
    # Overdue flags replace no data version (no page shows them), but "newly overdue" reads them.
    flags = tuple(OverdueFlag.objects.aggregate(count=Count("pk"), last=Max("updated_at")).values())
    key = (today, settings.DIGEST_WINDOW_DAYS, settings.DIGEST_DUE_WITHIN_DAYS, settings.DIGEST_MAX_ITEMS, absolute_url("/"), flags, version)
    entry = _Kept.entry
    if version is not None and entry is not None and entry[0] == key:
        return entry[1]
    content = digest_content(today=today)
    if version is not None:
        _Kept.entry = (key, content)
    return content


def digest_window_for(*, user_id: int, today: datetime.date) -> int:
    """How many days the subscriber's digest covers: since their last digest sent before this week
    (at most ``DIGEST_MAX_WINDOW_DAYS``), or ``DIGEST_WINDOW_DAYS`` for a first digest."""
    last = (
        DigestDelivery.objects.filter(user_id=user_id, status=DigestDelivery.Status.SENT, week_start__lt=week_start_of(today))
        .order_by("-digest_date")
        .values_list("digest_date", flat=True)
        .first()
    )
    if last is None or last >= today:
        return settings.DIGEST_WINDOW_DAYS
    return min((today - last).days, settings.DIGEST_MAX_WINDOW_DAYS)


def digest_windows_for(*, user_ids: Iterable[int], today: datetime.date) -> dict[int, int]:
    """``digest_window_for`` for many subscribers in one query (a batch of deliveries)."""
    user_ids = list(user_ids)
    last = dict(
        DigestDelivery.objects.filter(user_id__in=user_ids, status=DigestDelivery.Status.SENT, week_start__lt=week_start_of(today))
        .values("user_id")
        .annotate(last=Max("digest_date"))
        .values_list("user_id", "last")
    )
    return {
        user_id: settings.DIGEST_WINDOW_DAYS
        if last.get(user_id) is None or last[user_id] >= today
        else min((today - last[user_id]).days, settings.DIGEST_MAX_WINDOW_DAYS)
        for user_id in user_ids
    }


def digest_subscribers() -> QuerySet:
    """Subscriptions that get a digest: subscribed, active users with an email address."""
    return (
        DigestSubscription.objects.filter(subscribed=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("organisations", "reports")
        .order_by("user__email", "pk")
    )


def digest_organisation_choices() -> QuerySet:
    """The bodies a subscriber can narrow the digest to: the Mayor, MOPAC, the Met, and any other
    body a recommendation is addressed to or a commitment is owned by."""
    # Each relation as a semi-join (an index probe per body), worked out once: joining both and
    # taking DISTINCT paired every recommendation of a body with every commitment it owns (minutes
    # at 250,000 rows), and EXISTS inside the OR let PostgreSQL scan a whole table per body.
    addressed = Organisation.objects.addressed()
    owned = Organisation.objects.filter(Exists(Commitment.objects.filter(owner=OuterRef("pk"))))
    return Organisation.objects.filter(Q(short_name__in=ACTOR_ORDER) | Q(pk__in=addressed.values("pk")) | Q(pk__in=owned.values("pk"))).order_by("name")
