"""The digest's choices (which bodies, which reports), as one form: the preferences page
(``subscription_views.py``) uses it, and ``alerts``' subscribe form adds an email address to it, so
both pages accept and refuse the same choices."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q

from recommendations.models import Report
from tracker.choices import ListedChoiceIterator, ListedModelMultipleChoiceField

from .digest import digest_organisation_choices


class OrganisationsField(ListedModelMultipleChoiceField):
    """Refuses an id no row can have (not digits, or past a 64-bit integer) as it refuses an unknown
    one, before asking the database: SQLite cannot even take such a number in a query."""

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super().clean(value)


# The reports the form shows: the most recent ones and any already chosen. Every report can
# still be chosen (the field accepts any), but a checkbox for each of thousands of reports made
# the page megabytes (4.9 MB and 1.9 s at 16,640 reports).
REPORTS_SHOWN = 50


class _ShownReports(ListedChoiceIterator):
    """The field's checkboxes: the ``REPORTS_SHOWN`` newest reports and the ``shown_too`` ones
    (those already chosen), in one query (``ReportQuerySet.newest``)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        wanted = [pk for pk in self.field.shown_too if re.fullmatch(r"[0-9]{1,18}", str(pk))]
        for report in self.queryset.newest(REPORTS_SHOWN, chosen=Q(pk__in=wanted) if wanted else None):
            yield self.choice(report)


class ReportsField(OrganisationsField):
    """Any report, shown as the most recent ones and those already chosen (``shown_too``)."""

    iterator = _ShownReports
    shown_too: tuple = ()


class DigestChoicesForm(forms.Form):
    """What a digest is about: none chosen means everything."""

    organisations = OrganisationsField(
        queryset=digest_organisation_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only about items for",
        help_text="Choose none to hear about everything.",
    )
    reports = ReportsField(
        queryset=Report.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only about these reports",
        help_text=f"Choose none to hear about every report. The {REPORTS_SHOWN} most recent reports are listed, and any you have chosen; "
        "for an older one, use “Watch this report” on its page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reports"]
        if self.is_bound:
            chosen = self.data.getlist(self.add_prefix("reports")) if hasattr(self.data, "getlist") else self.data.get("reports") or ()
        else:
            chosen = [getattr(report, "pk", report) for report in self.initial.get("reports") or field.initial or ()]
        field.shown_too = tuple(chosen)


class DigestPreferencesForm(DigestChoicesForm):
    subscribed = forms.BooleanField(required=False, label="Email me the weekly digest")

    field_order = ["subscribed", "organisations", "reports"]
