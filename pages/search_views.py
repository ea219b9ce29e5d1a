"""The search page: one box (in every page's header) over recommendations, replies, commitments
and consultation asks, with phrases and operators (``search.py``)."""

from __future__ import annotations

from django.shortcuts import render

from .search import search_results

MAX_QUERY_LENGTH = 200


def search(request):
    """``/search/?q=...``: what matches, grouped by kind. A query longer than the box allows is a
    400 with the form and a message, never a server error."""
    text = request.GET.get("q", "").strip()
    context = {"q": text, "groups": [], "error": ""}
    status = 200
    if len(text) > MAX_QUERY_LENGTH or "\x00" in text:
        context["error"] = f"Search for at most {MAX_QUERY_LENGTH} characters, without control characters."
        status = 400
    elif text:
        context["groups"] = search_results(text)
        context["found"] = any(group.rows for group in context["groups"])
    return render(request, "recommendations/search.html", context, status=status)
