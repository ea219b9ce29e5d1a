"""The digest's choices (which bodies, which reports), as one form: the preferences page
(``subscription_views.py``) uses it, and ``alerts``' subscribe form adds an email address to it, so
both pages accept and refuse the same choices."""

from __future__ import annotations

import re

from django import forms

from recommendations.models import Report

from .digest import digest_organisation_choices


class OrganisationsField(forms.ModelMultipleChoiceField):
    """Refuses an id no row can have (not digits, or past a 64-bit integer) as it refuses an unknown
    one, before asking the database: SQLite cannot even take such a number in a query."""

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super().clean(value)


class DigestChoicesForm(forms.Form):
    """What a digest is about: none chosen means everything."""

    organisations = OrganisationsField(
        queryset=digest_organisation_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only about items for",
        help_text="Choose none to hear about everything.",
    )
    reports = OrganisationsField(
        queryset=Report.objects.order_by("-published", "title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only about these reports",
        help_text="Choose none to hear about every report.",
    )


class DigestPreferencesForm(DigestChoicesForm):
    subscribed = forms.BooleanField(required=False, label="Email me the weekly digest")

    field_order = ["subscribed", "organisations", "reports"]
