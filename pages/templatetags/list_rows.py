"""The recommendation list's 50 table rows and its filter form's fields, written in Python.

Drawn by Django's template engine, each row's loops, filters and tags were about half of the cold
list page's time at any size (bench/NOTES.md, "The list page against the /healthz floor"). The
markup is the same as the template loop it replaces, byte for byte; what to show is unchanged."""

from __future__ import annotations

import functools

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tracker import links

from .tracker import deadline_note, fast_escape, field_kind, option_tags, tag_markup

register = template.Library()

_ROW = (
    '\n        <tr class="govuk-table__row">\n'
    '          <td data-label="Recommendation" class="govuk-table__cell">\n'
    '            <a class="govuk-link" href="{url}">{title}, recommendation {number}</a>\n'
    '            <p class="govuk-body-s tracker-snippet">{snippet}</p>\n'
    '            <p class="govuk-body-s tracker-meta">To {addressees}{chapter}</p>\n'
    "          </td>\n"
    '          <td data-label="Status" class="govuk-table__cell">\n'
    "            {progress} {deadline_status}\n"
    "            {deadline}\n"
    "          </td>\n"
    '          <td data-label="Reply" class="govuk-table__cell">\n'
    "            {reply}\n"
    "          </td>\n"
    "        </tr>\n"
    "        "
)
_REPLY = '\n              <p class="govuk-body-s">{date}</p>\n              {assessment}\n              {implementation}\n            '
_NO_REPLY = '<p class="govuk-body-s">No reply yet</p>'


_escape = fast_escape


@functools.lru_cache(maxsize=4096)
def _day(value, language) -> str:
    # Pages show a few hundred distinct dates; each is formatted once per language (the active one).
    return date_format(value, "j F Y")


def _reply(rec, language) -> str:
    if not rec.first_reply_date:
        return _NO_REPLY
    implementation = rec.reply_implementation_status
    return _REPLY.format(
        date=_escape(_day(rec.first_reply_date, language)),
        assessment=tag_markup(rec.reply_assessment, "assessment", language),
        implementation=tag_markup(implementation, "implementation", language) if implementation and implementation != "open" else "",
    )


def _snippet(text: str, words: int = 30, more: str = " …") -> str:
    """``Truncator(text).words(30, truncate=" …")``, the same words, without a lazy ``Truncator``
    built for each row: the first 30 words, "…" after them when there are more."""
    split = text.split()
    if len(split) <= words:
        return " ".join(split)
    shown = " ".join(split[:words])
    return shown if shown.endswith(more) else f"{shown}{more}"


def _addressee_names(rec) -> list[str]:
    """A ``selectors.ListRow``'s names as read; a ``Recommendation``'s prefetched addressees as they
    are (``rec.addressees.all()`` builds a manager and a queryset a row)."""
    names = getattr(rec, "addressee_names", None)
    if names is not None:
        return names
    addressees = getattr(rec, "_prefetched_objects_cache", {}).get("addressees")
    return [str(org) for org in (rec.addressees.all() if addressees is None else addressees)]


def _row(rec, url: str, today, language) -> str:
    names = [_escape(name) for name in _addressee_names(rec)]
    deadline = ""
    if rec.deadline:
        deadline = f'<p class="govuk-body-s">{_escape(_day(rec.deadline, language))}<br>{_escape(deadline_note(rec, today))}</p>'
    return _ROW.format(
        url=_escape(url),
        title=_escape(rec.report.title),
        number=_escape(rec.number),
        snippet=_escape(_snippet(rec.short_text or rec.text)),
        addressees=", ".join(names) if names else "no one named",
        chapter=f" · {_escape(rec.chapter)}" if rec.chapter else "",
        progress=tag_markup(rec.progress, "progress", language),
        deadline_status=tag_markup(rec.deadline_status, "deadline", language),
        deadline=deadline,
        reply=_reply(rec, language),
    )


@register.simple_tag
def recommendation_rows(recommendations, today):
    """The list's ``<tr>`` elements for a page of annotated recommendations
    (``selectors.recommendation_list``): the detail link reversed once, not once a row."""
    head, tail = links.pattern("recommendation-detail")
    language = get_language()  # read once: the active language is a context-local lookup
    return mark_safe("".join(_row(rec, f"{head}{rec.pk}{tail}", today, language) for rec in recommendations))


def _field(field) -> str:
    """``includes/field.html`` for one bound filter field, the same markup."""
    errors = field.errors
    ident = _escape(field.id_for_label)
    name = _escape(field.html_name)
    error_class = error_message = described = ""
    if errors:
        error_class = " govuk-{}--error"
        error_message = (
            f'<p id="{ident}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
            f"{' '.join(_escape(error) for error in errors)}</p>"
        )
        described = f' aria-describedby="{ident}-error"'
    if field_kind(field) == "select":
        control = (
            f'\n  <select class="govuk-select{error_class.format("select")}" id="{ident}" name="{name}"{described}>\n    {option_tags(field)}\n  </select>\n  '
        )
    else:
        value = field.value()
        control = (
            f'\n  <input class="govuk-input{error_class.format("input")}" id="{ident}" name="{name}" type="search" '
            f'value="{_escape("" if value is None else value)}"{described}>\n  '
        )
    return (
        f'\n<div class="govuk-form-group{error_class.format("form-group")}">\n'
        f'  <label class="govuk-label" for="{ident}">{_escape(field.label)}</label>\n'
        f"  {error_message}\n  {control}\n</div>\n"
    )


@register.simple_tag
def filter_fields(form):
    """Every field of a filter form as ``includes/field.html`` draws it, without an include per field."""
    return mark_safe("".join(_field(field) for field in form))
