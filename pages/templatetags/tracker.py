"""Template helpers for the scrutiny pages: GOV.UK status tags, time overdue or left in words, filter
form fields in GOV.UK markup and query strings that keep the filter.

(Contact details in consultation documents are removed when they are imported, by
``importer/parsing/privacy.py``, so templates show stored text as it is.)"""

from __future__ import annotations

import datetime
import functools
import html

from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from recommendations.durations import due_in_words, duration_in_words
from recommendations.querysets import DeadlineStatus
from responses.models import Assessment, Commitment, ImplementationStatus
from responses.progress import COLOURS as PROGRESS_COLOURS
from responses.progress import Progress
from responses.selectors import CommitmentDueStatus
from tracker import links

register = template.Library()

# (vocabulary, GOV.UK tag colour per value). Colour never carries meaning alone: the words do.
_TAGS = {
    "deadline": (
        DeadlineStatus,
        {"overdue": "red", "due_soon": "orange", "upcoming": "blue", "met": "green", "missed": "pink", "no_deadline": "grey"},
    ),
    "assessment": (
        Assessment,
        {
            "accepted": "green",
            "partially_accepted": "turquoise",
            "not_accepted": "red",
            "noted": "yellow",
            "not_answered": "orange",
            "not_assessed": "grey",
        },
    ),
    "implementation": (
        ImplementationStatus,
        {"open": "grey", "in_progress": "blue", "implemented": "green", "not_implemented": "red", "superseded": "purple"},
    ),
    "commitment": (
        CommitmentDueStatus,
        {"overdue": "red", "due_soon": "orange", "upcoming": "blue", "no_date": "grey", "closed": "green"},
    ),
    "commitment_status": (
        Commitment.Status,
        {"open": "blue", "done": "green", "dropped": "red", "superseded": "purple"},
    ),
    "progress": (Progress, {str(value): colour for value, colour in PROGRESS_COLOURS.items()}),
}


@register.simple_tag
def status_tag(value, kind="deadline"):
    """A GOV.UK tag for a status value (``kind`` names its vocabulary); nothing for no value."""
    if not value:
        return ""
    return tag_markup(value, kind, get_language())


def tag_markup(value, kind: str, language: str | None) -> str:
    """``status_tag`` in the active ``language``, read once by a caller drawing many tags (the list's
    rows draw up to 200: reading the active language was most of each tag's time)."""
    if not value:
        return ""
    # Each tag's markup is kept per vocabulary, language and value.
    key = (kind, language)
    tags = _TAG_MARKUP.get(key)
    if tags is None:
        tags = _TAG_MARKUP[key] = {}
    tag = tags.get(value)
    if tag is None:
        # ``format_html`` with the same output: the colour is one of ours, the label escaped once.
        colour = _TAGS[kind][1].get(value, "grey")
        tag = tags[value] = mark_safe(f'<strong class="govuk-tag govuk-tag--{colour}">{fast_escape(_labels(kind).get(value, value))}</strong>')
    return tag


_TAG_MARKUP: dict[tuple[str, str | None], dict] = {}


def _labels(kind: str) -> dict:
    """The words for each value of a vocabulary, worked out once per process and language
    (an enum's ``.choices`` builds a new list on every read: 50 rows draw up to 200 tags)."""
    key = (kind, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in _TAGS[kind][0].choices}
    return labels


_LABELS: dict[tuple[str, str | None], dict] = {}


@register.filter
def choice_label(value, kind):
    """The words for a status value: ``{{ rec.reply_assessment|choice_label:"assessment" }}``."""
    if not value:
        return ""
    return dict(_TAGS[kind][0].choices).get(value, value)


@register.filter
def duration_to(start: datetime.date | None, end: datetime.date | None) -> str:
    """The time between two days in words: ``{{ report.published|duration_to:today }}`` is
    "6 years 6 months" (``durations.duration_in_words``); nothing when either is unknown."""
    if start is None or end is None:
        return ""
    return duration_in_words(start, end)


@register.filter
def timedelta_words(value: datetime.timedelta | None) -> str:
    """A lockout's length as people say it: "1 hour", "30 minutes", "1 hour 30 minutes", "2 days"
    (never "1:00:00")."""
    if not value:
        return ""
    minutes = max(round(value.total_seconds() / 60), 1)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((days, "day"), (hours, "hour"), (minutes, "minute")) if n]
    return " ".join(parts)


@register.simple_tag
def deadline_note(recommendation, today: datetime.date) -> str:
    """Days overdue or remaining, or how early or late the reply came, for an annotated
    recommendation (``deadline_status`` and ``first_reply_date`` from the selectors)."""
    deadline = recommendation.deadline
    if deadline is None:
        return ""
    status = recommendation.deadline_status
    if status in (DeadlineStatus.MET, DeadlineStatus.MISSED):
        reply = recommendation.first_reply_date
        if reply == deadline:
            return "replied on the deadline"
        return f"replied {duration_in_words(reply, deadline)} {'after' if reply > deadline else 'before'} the deadline"
    return due_in_words(deadline, today=today)


@register.simple_tag
def days_until(day: datetime.date | None, today: datetime.date) -> str:
    """ "12 days left", "6 years 6 months overdue" or "due today" for a due date."""
    if day is None:
        return ""
    return due_in_words(day, today=today)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (None drops a key): keeps the filter in
    pagination and sorting links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def field_kind(bound_field) -> str:
    """ "select" or "input": how ``includes/field.html`` draws a filter field."""
    widget = bound_field.field.widget
    inner = getattr(widget, "widget", None) or widget  # django-filter's CSV widgets wrap a Select
    return "select" if isinstance(inner, forms.Select) or hasattr(bound_field.field, "choices") else "input"


@register.simple_tag
def field_options(bound_field) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for a choice field's options, whatever its widget."""
    current = bound_field.value()
    if current is None:
        current = []
    elif not isinstance(current, (list, tuple)):
        current = [current]
    selected = {str(value) for value in current}
    options = []
    for value, label in bound_field.field.choices:
        value = "" if value is None else str(value)
        options.append((value, label, value in selected))
    return options


@register.simple_tag
def option_tags(bound_field):
    """A select's ``<option>`` elements, written in Python: a filter's hundreds of options would
    otherwise be most of the list page's rendering time (a template loop iteration each). The
    escaped markup of a list of choices is kept (``_option_markup``): the same choices come back
    on every page, only which is selected changes."""
    options = field_options(bound_field)
    markup = _option_markup(tuple((value, str(label), hasattr(label, "__html__")) for value, label, _ in options), get_language())
    return mark_safe("".join(selected_tag if selected else tag for (tag, selected_tag), (_, _, selected) in zip(markup, options, strict=True)))


@functools.lru_cache(maxsize=256)
def _option_markup(choices: tuple[tuple[str, str, bool], ...], language: str | None) -> tuple[tuple[str, str], ...]:
    """Each choice's ``<option>`` as it is drawn unselected and selected (pure: keyed by the
    choices themselves, whether each label is already safe HTML, and the language the labels
    were read in)."""
    tags = []
    for value, label, safe in choices:
        opening, text = f'<option value="{html.escape(value)}"', label if safe else html.escape(label)
        tags.append((f"{opening}>{text}</option>", f"{opening} selected>{text}</option>"))
    return tuple(tags)


def fast_escape(value) -> str:
    """``conditional_escape`` with the same output, without its lazy-string wrapper: a list page
    escapes about 1,700 option values and labels (``html.escape`` writes the same five entities)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def site_url(name: str) -> str:
    """``{% url name %}`` for a page that takes no arguments (the header's and footer's links on
    every page), reversed once per process (``tracker.links``) rather than on every page."""
    return links.path(name)


@register.filter
def startswith(value, prefix) -> bool:
    return str(value or "").startswith(prefix)


@register.filter
def thousands(number) -> str:
    """10000 as "10,000"."""
    return f"{number:,}"


@register.simple_tag
def page_numbers(page) -> list:
    """The page numbers (and ellipses) to link to around ``page``, in GOV.UK pagination."""
    return list(page.paginator.get_elided_page_range(page.number))
