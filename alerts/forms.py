from __future__ import annotations

from django import forms

from recommendations.models import Report
from responses.digest import digest_organisation_choices
from responses.subscription_views import OrganisationsField


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address", "invalid": "Enter an email address like name@example.org"},
    )


class SubscribeForm(EmailForm):
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
