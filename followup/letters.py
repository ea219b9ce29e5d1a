"""Chaser letters in words: pure functions, plain data in, text out (no database, no clock).

``compose_letter`` writes the draft an editor then edits; ``overdue_words`` and ``chased_words``
say how late something is and when it was chased, the same way on every page and in the digest.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from recommendations.dates import add_months


@dataclass(frozen=True)
class PreviousChase:
    sent_on: datetime.date
    reference: str


@dataclass(frozen=True)
class OverdueItem:
    """One thing a letter chases: a recommendation (its own deadline or its report's reply) or a
    commitment."""

    label: str  # "Recommendation 10 of 'Violence Against Women and Girls'"
    text: str  # what was asked or promised
    due: datetime.date
    due_words: str  # the deadline as the document wrote it, e.g. "by May 2022"
    promised: str  # what was promised, in words
    url: str
    chased: tuple[PreviousChase, ...] = field(default=())


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def overdue_words(due: datetime.date, *, today: datetime.date) -> str:
    """How long overdue on ``today`` something due on ``due`` is: "3 days", "5 months",
    "1 year and 2 months" (whole calendar months once past two months)."""
    days = (today - due).days
    if days <= 0:
        return "not yet overdue"
    if days < 61:
        return f"{days} day{'s' if days != 1 else ''}"
    months = (today.year - due.year) * 12 + today.month - due.month
    if add_months(due, months) > today:
        months -= 1
    years, months = divmod(months, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " and ".join(parts)


def chased_words(sent_on: datetime.date, *, replied: bool, today: datetime.date) -> str:
    """ "chased on 3 March, no reply yet" (the year is given when it is not ``today``'s)."""
    when = f"{sent_on.day} {sent_on:%B}" if sent_on.year == today.year else long_date(sent_on)
    return f"chased on {when}, {'replied since' if replied else 'no reply yet'}"


def _item_paragraph(number: int, item: OverdueItem, *, today: datetime.date) -> str:
    lines = [
        f"{number}. {item.label}: “{item.text}”",
        f"   Due: {long_date(item.due)}{f' (“{item.due_words}”)' if item.due_words else ''}; overdue by {overdue_words(item.due, today=today)}.",
        f"   What was promised: {item.promised}",
    ]
    if item.chased:
        dates = "; ".join(f"{long_date(c.sent_on)} (our reference {c.reference})" for c in item.chased)
        lines.append(f"   We have already written to you about this: {dates}. We have had no reply.")
    lines.append(f"   See: {item.url}")
    return "\n".join(lines)


def compose_letter(
    *,
    to_name: str,
    chair: str,
    committee: str,
    about: str,
    items: list[OverdueItem],
    reference: str,
    today: datetime.date,
    more: int = 0,
    full_lists: Sequence[tuple[str, str]] = (),
) -> tuple[str, str]:
    """(subject, body) of a draft chaser: who it is to, each overdue item named with its number, its
    deadline in words, how long overdue and what was promised, and a reference and links. ``more``
    overdue items not named are counted, and ``full_lists`` (label, link) say where all are listed."""
    reminder = any(item.chased for item in items)
    total = len(items) + more
    subject = f"{'Reminder: ' if reminder else ''}{about[:1].upper()}{about[1:]}: {total:,} overdue item{'s' if total != 1 else ''}"
    opening = f"I am writing on behalf of the {committee} about {about}. As of {long_date(today)} the committee has not received what it was promised on "
    if more:
        opening += f"{total:,} items. These are the {len(items)} longest overdue:"
    else:
        opening += f"the following item{'s' if len(items) != 1 else ''}:"
    if reminder:
        opening += " (some of them we have chased before, as noted)"
    paragraphs = [
        f"Our reference: {reference}",
        long_date(today),
        f"Dear {to_name},",
        opening,
        *(_item_paragraph(number, item, today=today) for number, item in enumerate(items, start=1)),
    ]
    if more:
        where = f" The full list{'s' if len(full_lists) != 1 else ''}:" if full_lists else ""
        lists = "".join(f"\n   {label}: {url}" for label, url in full_lists)
        paragraphs.append(f"{more:,} more item{'s are' if more != 1 else ' is'} overdue, not listed here.{where}{lists}")
    paragraphs += [
        "I would be grateful for a reply on each of these items, or a date by which one will come, within 20 working days.",
        f"Yours sincerely,\n\n{chair}\nChair, {committee}",
    ]
    return subject, "\n\n".join(paragraphs)
