"""Choosing one of many on a staff form (a recommendation, a letter, a report) without listing them all.

At 250,000 recommendations a select box of every one is megabytes. So each select lists a bounded
few, the most likely first (the recommendations of the report in hand, the newest reports and
letters), always with what is already chosen; and anything else can still be named: a report by its
slug, title or page address, a recommendation by its id (``<report slug>/<number>``, as in the CSV
downloads) or page address. The forms still accept any existing record, whatever the list shows.

Used by ``responses/forms.py``, ``responses/bulk_forms.py`` and ``importer/import_forms.py``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import Resolver404, resolve

from recommendations.identifiers import could_be_slug
from recommendations.models import Document, Recommendation, Report

from .models import Response

RECENT_REPORTS = 50  # reports a select lists: the most recently published
RECENT_RECOMMENDATIONS = 60  # recommendations listed when no report is in hand: the newest reports'
REPORT_RECOMMENDATIONS = 300  # a report's recommendations listed (real reports have a few dozen)
RECENT_LETTERS = 30  # response letters listed besides the report's own
REPORT_LETTERS = 30
FOUND_REPORTS = 20  # reports a search lists


def reports_with_replies() -> QuerySet:
    """Reports at least one of whose recommendations has a reply."""
    return Report.objects.filter(Exists(Response.objects.filter(recommendation__report=OuterRef("pk"))))


def recent_reports(*, reports: QuerySet | None = None, limit: int = RECENT_REPORTS, chosen: str = "") -> list[tuple[str, str]]:
    """(slug, title) of the ``limit`` newest reports and of the ``chosen`` one (a slug), in one
    query: newest first, undated ones last (``ReportQuerySet.newest``)."""
    reports = Report.objects.all() if reports is None else reports
    if not (chosen and could_be_slug(chosen)):
        return reports.newest_titles(limit)
    return [(report.slug, report.title) for report in reports.newest(limit, chosen=Q(slug=chosen))]


def _path(text: str) -> str:
    """The path of a web address (full or just the path), or "" when ``text`` is not one."""
    text = text.strip()
    if "/" not in text:
        return ""
    path = urlsplit(text).path if "://" in text else text.split("?", 1)[0].split("#", 1)[0]
    return path if path.startswith("/") else ""


def _resolved(text: str, url_name: str) -> dict | None:
    path = _path(text)
    if not path:
        return None
    try:
        match = resolve(path if path.endswith("/") else path + "/")
    except Resolver404:
        return None
    return match.kwargs if match.url_name == url_name else None


def report_from_reference(text: str, *, reports: QuerySet | None = None) -> tuple[Report | None, str]:
    """The report ``text`` names (its slug, its page's address, or its exact title), and "" ; or
    (None, why not)."""
    reports = Report.objects.all() if reports is None else reports
    text = " ".join(text.split())
    kwargs = _resolved(text, "report-detail")
    slug = kwargs["slug"] if kwargs else text
    report = reports.filter(slug=slug).first()
    if report is not None:
        return report, ""
    titled = list(reports.filter(title=text)[:2]) or list(reports.filter(title__iexact=text)[:2])
    if len(titled) == 1:
        return titled[0], ""
    if titled:
        return None, f"More than one report is called “{text}”: give its address (from its page) instead."
    return None, f"No report has the title, slug or address “{text}”. Copy the address of the report's page."


def recommendation_from_reference(text: str) -> Recommendation | None:
    """The recommendation ``text`` names: its id ``<report slug>/<number>`` or its page's address."""
    text = text.strip()
    kwargs = _resolved(text, "recommendation-detail")
    if kwargs:
        # An id past 64 bits names no row (and SQLite cannot be asked).
        return Recommendation.objects.select_related("report").filter(pk=kwargs["pk"]).first() if kwargs["pk"] < 2**63 else None
    slug, _, number = text.strip("/").rpartition("/")
    if could_be_slug(slug) and number.isascii() and number.isdigit() and len(number) <= 9:
        return Recommendation.objects.select_related("report").filter(report__slug=slug, number=int(number)).first()
    return None


def reports_matching(words: str, *, limit: int = FOUND_REPORTS) -> list[Report]:
    """Reports whose title has every word of ``words`` (or whose slug is ``words``), newest first."""
    words = " ".join(words.replace("\x00", " ").split())[:200]  # PostgreSQL refuses a NUL in a query
    if not words:
        return []
    reports = Report.objects.all()
    for word in words.split():
        reports = reports.filter(title__icontains=word)
    found = list(reports.order_by(F("published").desc(nulls_last=True), "title").only("slug", "title", "published")[:limit])
    exact = Report.objects.filter(Q(slug=words) | Q(title=words)).only("slug", "title", "published").first()
    if exact is not None and exact not in found:
        found.insert(0, exact)
    return found[:limit]


def _ints(values) -> list[int]:
    return [int(value) for value in values if str(value).strip().isdigit()]


def recommendation_label(recommendation: Recommendation) -> str:
    return f"{recommendation.report.title}: recommendation {recommendation.number}"


def recommendation_choices(*, selected, report: Report | None, empty_label: str) -> list[tuple[str, str]]:
    """The chosen recommendation, then ``report``'s (or, with none, the newest reports'), bounded."""
    shown = Recommendation.objects.select_related("report").only("pk", "number", "report__title", "report__published")
    chosen = list(shown.filter(pk__in=_ints([selected])))
    if report is None and chosen:
        report = chosen[0].report
    if report is not None:
        listed = list(shown.filter(report=report).order_by("number", "pk")[:REPORT_RECOMMENDATIONS])
    else:
        newest = [slug for slug, _ in recent_reports(limit=10)]
        newest_first = (F("report__published").desc(nulls_last=True), "report__title", "number", "pk")
        listed = list(shown.filter(report__slug__in=newest).order_by(*newest_first)[:RECENT_RECOMMENDATIONS])
    rows = chosen + [rec for rec in listed if rec not in chosen]
    return [("", empty_label)] + [(str(rec.pk), recommendation_label(rec)) for rec in rows]


def letter_label(letter: Document) -> str:
    when = f"{letter.date:%-d %B %Y}" if letter.date else "undated"
    return f"{letter.title} ({letter.reference + ', ' if letter.reference else ''}{when})"


def letter_choices(*, selected, report: Report | None, reference: str, empty_label: str) -> list[tuple[str, str]]:
    """The chosen letter, letters with the reference typed, ``report``'s letters, then the newest."""
    letters = Document.objects.filter(kind__in=Document.REPLY_KINDS).only("pk", "title", "reference", "date").order_by("-date", "title", "pk")
    rows = list(letters.filter(pk__in=_ints([selected])))
    if reference.strip():
        rows += letters.filter(reference__iexact=reference.strip())[:5]
    if report is not None:
        rows += letters.filter(report=report)[:REPORT_LETTERS]
    # The newest of each kind (each read in the order of the index ``document_list_order``), merged.
    newest = [letter for kind in Document.REPLY_KINDS for letter in letters.filter(kind=kind, date__isnull=False)[:RECENT_LETTERS]]
    rows += sorted(newest, key=lambda letter: (-letter.date.toordinal(), letter.title, letter.pk))[:RECENT_LETTERS]
    unique = list(dict.fromkeys(rows))
    return [("", empty_label)] + [(str(letter.pk), letter_label(letter)) for letter in unique]


class ReportSlugField(forms.ChoiceField):
    """A report given by its slug: the select lists ``set_choices``' few, any existing report (of
    ``reports``) is accepted."""

    def __init__(self, *, reports=None, **kwargs):
        self.reports = reports  # a callable returning the queryset of acceptable reports, or None for all
        super().__init__(**kwargs)

    def acceptable(self) -> QuerySet:
        return self.reports() if self.reports else Report.objects.all()

    def valid_value(self, value) -> bool:
        return could_be_slug(value) and self.acceptable().filter(slug=value).exists()

    def set_choices(self, *, selected: str, empty_label: str) -> None:
        self.choices = [("", empty_label)] + recent_reports(reports=self.acceptable(), chosen=selected)


def resolve_report_reference(form: forms.Form, *, field: str = "report", reference_field: str = "report_ref", typed_wins: bool = False) -> None:
    """In a form's ``clean``: a report named in the text box ``reference_field`` becomes the value
    of the select ``field`` (a slug). Both given and different is an error, unless ``typed_wins``
    (a select that starts on the current report, where typing one means changing it)."""
    text = (form.cleaned_data.get(reference_field) or "").strip()
    if not text or form.has_error(field):
        return
    acceptable = form.fields[field].acceptable()
    report, problem = report_from_reference(text, reports=acceptable)
    if report is None:
        anywhere, _ = report_from_reference(text) if form.fields[field].reports else (None, "")
        form.add_error(reference_field, f"“{anywhere.title}” has no replies yet." if anywhere else problem)
        return
    chosen = form.cleaned_data.get(field)
    if chosen and chosen != report.slug and not typed_wins:
        form.add_error(reference_field, "You chose one report from the list and named another here: keep just one.")
        return
    form.cleaned_data[field] = report.slug
