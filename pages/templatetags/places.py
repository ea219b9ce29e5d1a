"""The "Where it appears" list on a recommendation's page: each place once.

A reply letter often restates the recommendation and answers it on the same line; listed
separately, the page showed the same letter and line twice. Places at the same line of the same
document are one entry naming everything found there."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

register = template.Library()


@dataclass
class Place:
    url: str
    title: str
    line: int | None
    what: list[str] = field(default_factory=list)
    deadline_text: str = ""

    @property
    def description(self) -> str:
        return " and ".join(self.what)


@register.simple_tag
def places(recommendation) -> list[Place]:
    """The recommendation's copies, then its replies, merged where they share a document and line
    (prefetched ``appearances`` and ``responses``: no query)."""
    merged: dict[tuple, Place] = {}
    for copy in recommendation.appearances.all():
        key = (copy.document_id, copy.line)
        place = merged.setdefault(key, Place(copy.get_absolute_url(), copy.document.title, copy.line))
        place.what.append(copy.get_section_display().lower())
        place.deadline_text = place.deadline_text or copy.deadline_text
    for response in recommendation.responses.all():
        key = (response.letter_id, response.line)
        place = merged.setdefault(key, Place(response.get_absolute_url(), response.letter.title, response.line))
        place.what.append("the reply")
    for place in merged.values():
        place.what = list(dict.fromkeys(place.what))
    return list(merged.values())
