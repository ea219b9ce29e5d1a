"""The What changed page (/changes/) and its Atom feed (/changes.atom): the same reading as the
digest's "what changed" (``responses.changes``), newest first, a page at a time, for one report or
one addressee. Thin: a form reads the filters (a bad value is a 400 with the form's error, never a
500), ``change_log`` reads the changes."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode

from recommendations.identifiers import could_be_slug
from recommendations.models import Organisation, Report
from tracker.clock import today as london_today

from .changes import Change, ChangeFilter, change_log

PER_PAGE = 50
# ``?page=`` (the links before "Older changes" went by date) reads every source up to that page:
# pages further back are refused, not read.
MAX_PAGE = 10
EARLIEST = datetime.date(1900, 1, 1)
# "Older changes" links go by date: the changes up to the last day shown, skipping those of that
# day already shown. A page reads ``skip + PER_PAGE + 1`` rows from each source, so ``skip`` (at
# most the changes of one day) is bounded; a day with more goes on from the day before.
MAX_SKIP = 10_000
# The report select lists the most recent reports, the one chosen and those whose title holds the
# words searched for: a select of every report weighed 1.3 MB at 16,640 reports.
REPORTS_SHOWN = 50


class _ShownReports(ModelChoiceIterator):
    """The ``REPORTS_SHOWN`` newest reports, the chosen one (``field.chosen``) and the
    ``REPORTS_SHOWN`` newest whose title holds ``field.find`` (``ReportQuerySet.newest``)."""

    def __iter__(self):
        yield ("", self.field.empty_label)
        chosen = Q(slug=self.field.chosen) if self.field.chosen and could_be_slug(self.field.chosen) else None
        found = Q(title__icontains=self.field.find) if self.field.find else None
        for report in self.queryset.newest(REPORTS_SHOWN, chosen=chosen, found=found):
            yield self.choice(report)


class _ListedChoices(ModelChoiceIterator):
    """Every choice in one plain query (no server-side cursor, which costs more than a few dozen rows)."""

    def __iter__(self):
        yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ReportField(forms.ModelChoiceField):
    """Any report (by slug), shown as a bounded select (``_ShownReports``)."""

    iterator = _ShownReports
    chosen = ""
    find = ""


class AddresseeField(forms.ModelChoiceField):
    iterator = _ListedChoices


class ChangesForm(forms.Form):
    report = ReportField(
        queryset=Report.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any report",
        help_text=f"The {REPORTS_SHOWN} most recent reports are listed; to find an older one, search for words in its title.",
    )
    find = forms.CharField(required=False, max_length=200, label="Find a report by words in its title")
    addressee = AddresseeField(
        queryset=Organisation.objects.addressed().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Anyone",
        label="Addressed to",
    )
    until = forms.DateField(required=False, label="Changes up to", widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"])
    skip = forms.IntegerField(min_value=0, max_value=MAX_SKIP, required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        field.chosen = str(self.data.get("report") or "") if self.is_bound else ""
        field.find = str(self.data.get("find") or "").strip()[:200] if self.is_bound else ""


def _changes_page(params, *, today: datetime.date) -> tuple[ChangesForm, list[Change], int, dict | None]:
    """The form, this page's changes, its number, and the query of the page of older changes
    (None when there are none)."""
    form = ChangesForm(params)
    if not form.is_valid():
        return form, [], 1, None
    data = form.cleaned_data
    page = data["page"] or 1
    until = min(data["until"] or today, today)
    first = (data["skip"] or 0) + (page - 1) * PER_PAGE
    report, addressee = data["report"], data["addressee"]
    found = change_log(
        ChangeFilter(
            start=EARLIEST,
            end=until,
            report_id=report.pk if report else None,
            addressee_id=addressee.pk if addressee else None,
            limit=first + PER_PAGE + 1,
        )
    )
    shown = found[first : first + PER_PAGE]
    if len(found) <= first + PER_PAGE:
        return form, shown, page, None
    return form, shown, page, _older(found[: first + PER_PAGE], form)


def _older(seen: list[Change], form: ChangesForm) -> dict:
    """The query of the next page: the changes up to the last day shown, less those of it seen."""
    last = seen[-1].on
    skip = sum(1 for change in seen if change.on == last)
    if skip > MAX_SKIP:  # a day of more changes than a page may skip: go on from the day before
        last, skip = last - datetime.timedelta(days=1), 0
    query = {name: form.data.get(name) for name in ("report", "find", "addressee") if form.data.get(name)}
    return {**query, "until": last.isoformat(), **({"skip": skip} if skip else {})}


def changes(request):
    form, found, _page, older = _changes_page(request.GET, today=london_today())
    filters = {name: request.GET.get(name) for name in ("report", "find", "addressee") if request.GET.get(name)}
    context = {
        "form": form,
        "changes": found,
        "older": urlencode(older) if older else "",
        "newest": urlencode(filters),
        "is_first": not any(request.GET.get(name) for name in ("until", "skip", "page")),
        "query": urlencode(filters),
    }
    return render(request, "responses/changes.html", context, status=200 if form.is_valid() else 400)


class ChangesFeed(Feed):
    """The newest page of the What changed page, filtered the same way, as Atom."""

    feed_type = Atom1Feed
    title = "Police and Crime Committee recommendations: what changed"
    subtitle = "Replies received, status and deadline changes, and items that became overdue."

    def get_object(self, request):
        form, found, _page, _more = _changes_page(request.GET, today=london_today())
        if not form.is_valid():
            raise Http404("No such report or addressee.")
        self.request_query = request.GET.urlencode()
        return found

    def link(self, obj):
        return reverse("changes") + (f"?{self.request_query}" if self.request_query else "")

    def items(self, obj):
        return obj

    def item_title(self, item: Change):
        return item.title

    def item_description(self, item: Change):
        lines = [item.summary, *item.details, *(f"Promises: {promise}" for promise in item.commitments)]
        return "\n".join(line for line in lines if line)

    def item_link(self, item: Change):
        return item.path

    def item_guid(self, item: Change):
        return f"tag:recommendation-tracker,{item.on:%Y-%m-%d}:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Change):
        return datetime.datetime.combine(item.on, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item: Change):
        return self.item_pubdate(item)
