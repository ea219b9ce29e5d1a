"""The What changed page (/changes/) and its Atom feed (/changes.atom): the same reading as the
digest's "what changed" (``responses.changes``), newest first, a page at a time, for one report or
one addressee. Thin: a form reads the filters (a bad value is a 400 with the form's error, never a
500), ``change_log`` reads the changes."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from recommendations.models import Organisation, Report
from tracker.clock import today as london_today

from .changes import Change, ChangeFilter, change_log

PER_PAGE = 50
MAX_PAGE = 200  # pages further back are refused, not read: each page reads every source up to it
EARLIEST = datetime.date(1900, 1, 1)


class ChangesForm(forms.Form):
    report = forms.ModelChoiceField(queryset=Report.objects.order_by("title"), to_field_name="slug", required=False, empty_label="Any report")
    addressee = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(recommendations__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Anyone",
        label="Addressed to",
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)


def _changes_page(params, *, today: datetime.date) -> tuple[ChangesForm, list[Change], int, bool]:
    form = ChangesForm(params)
    if not form.is_valid():
        return form, [], 1, False
    page = form.cleaned_data["page"] or 1
    report, addressee = form.cleaned_data["report"], form.cleaned_data["addressee"]
    found = change_log(
        ChangeFilter(
            start=EARLIEST,
            end=today,
            report_id=report.pk if report else None,
            addressee_id=addressee.pk if addressee else None,
            limit=page * PER_PAGE + 1,
        )
    )
    first = (page - 1) * PER_PAGE
    return form, found[first : first + PER_PAGE], page, len(found) > first + PER_PAGE


def changes(request):
    form, found, page, more = _changes_page(request.GET, today=london_today())
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "changes": found, "page": page, "has_next": more, "query": query.urlencode()}
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
