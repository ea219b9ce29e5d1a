"""Words for who replied: the respondent is data (the Mayor, the Government, a force, the Brigade)."""

from __future__ import annotations

import re

from django import template

register = template.Library()


def respondent_name(letter) -> str:
    """Who wrote a reply, as a page names them: "The Mayor" for a letter signed as the Mayor of
    London (or a letter in the Mayor's layout that names no author), otherwise the respondent the
    document names ("the Government" -> "The Government").
    Reads the letter's own ``author_role`` only, so a list of replies costs no further queries."""
    role = " ".join((getattr(letter, "author_role", "") or "").split())
    if not role and getattr(letter, "kind", "") == "response_letter":
        # a letter in the Mayor's own layout that names no author: the tracker's first family, the Mayor's letters
        role = "Mayor of London"
    if re.search(r"\bmayor\b", role, re.I) and not re.search(r"\b(?:deputy|office)\b", role, re.I):
        return "The Mayor"
    if not role:
        return "The respondent"
    return role[:1].upper() + role[1:]


@register.filter
def replied_heading(responses) -> str:
    """ "The Mayor replied", "London Fire Brigade replied"; "The replies" when several bodies did."""
    names = list(dict.fromkeys(respondent_name(response.letter) for response in responses))
    if len(names) == 1:
        return f"{names[0]} replied"
    return "The replies" if names else "The reply"
