"""Stable ids as addresses: ``/r/<stable id>`` redirects to the record's page.

The open-data records (``exports.py``) carry ids built from slugs and numbers, the same in every
database: a report is ``domestic-abuse``, a recommendation ``domestic-abuse/16``, a reply
``domestic-abuse/16/<first 12 characters of its letter's SHA-256>``, a consultation its slug. A
spreadsheet or a citation can keep the id and still reach the page, while page addresses use
database ids. Anything else is 404.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpResponseRedirect

from recommendations.models import Recommendation, Report
from responses.models import Consultation, Response


def _recommendation_page(slug: str, number: str) -> str | None:
    if not number.isdigit():
        return None
    pk = Recommendation.objects.filter(report__slug=slug, number=int(number)).values_list("pk", flat=True).first()
    return None if pk is None else Recommendation(pk=pk).get_absolute_url()


def _reply_page(slug: str, number: str, letter: str) -> str | None:
    """A reply's page is its recommendation's, at the reply."""
    if not number.isdigit() or len(letter) != 12:
        return None
    replies = Response.objects.filter(recommendation__report__slug=slug, recommendation__number=int(number), letter__sha256__startswith=letter)
    pk = replies.values_list("recommendation_id", flat=True).first()
    return None if pk is None else Recommendation(pk=pk).get_absolute_url() + "#reply"


def _single(slug: str) -> str | None:
    for model in (Report, Consultation):
        found = model.objects.filter(slug=slug).first()
        if found is not None:
            return found.get_absolute_url()
    return None


# Each part of an id is a slug, a number or a letter's hash prefix: anything else names no record
# (and is never sent to the database, which refuses some characters, such as NUL, outright).
_PART = re.compile(r"[-a-zA-Z0-9_]+")


def page_for(stable_id: str) -> str | None:
    """The path of the page for ``stable_id``, or None when no record has it."""
    parts = stable_id.strip("/").split("/")
    if not all(_PART.fullmatch(part) for part in parts):
        return None
    if len(parts) == 1:
        return _single(parts[0])
    if len(parts) == 2:
        return _recommendation_page(*parts)
    if len(parts) == 3:
        return _reply_page(*parts)
    return None


def resolve(request, stable_id: str):
    page = page_for(stable_id)
    if page is None:
        raise Http404("No record has this id")
    return HttpResponseRedirect(page)
