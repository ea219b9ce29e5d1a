from __future__ import annotations

from django import forms

from responses.subscription_forms import DigestChoicesForm


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address", "invalid": "Enter an email address like name@example.org"},
    )


class SubscribeForm(EmailForm, DigestChoicesForm):
    """An email address and the digest's choices, checked as the preferences page checks them."""

    field_order = ["email", "organisations", "reports"]
