"""Form fields in GOV.UK Design System markup (``templates/includes/form_field.html``)."""

from __future__ import annotations

import datetime

from django import forms, template

from ..forms import GovukDateField

register = template.Library()


@register.filter
def govuk_kind(bound_field) -> str:
    """How ``includes/form_field.html`` draws a field: date, radios, select, textarea or input."""
    field, widget = bound_field.field, bound_field.field.widget
    if isinstance(field, GovukDateField):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to: the first box of a date, the first radio."""
    kind = govuk_kind(bound_field)
    if kind == "date":
        return f"{bound_field.auto_id}_day"
    if kind == "radios":
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def date_parts(bound_field) -> dict[str, str]:
    """Day, month and year as typed (or from the initial date), so a form with errors keeps them."""
    value = bound_field.value()
    if isinstance(value, datetime.date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, (list, tuple)) and len(value) == 3:
        return dict(zip(("day", "month", "year"), ("" if part is None else str(part) for part in value), strict=True))
    return {"day": "", "month": "", "year": ""}


@register.simple_tag
def choice_options(bound_field) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for each choice, the current one marked."""
    current = bound_field.value()
    current = "" if current is None else str(current)
    return [("" if value is None else str(value), label, ("" if value is None else str(value)) == current) for value, label in bound_field.field.choices]
