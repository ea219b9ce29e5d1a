"""The sign-in forms (``/accounts/login/`` and the admin's ``/admin/login/``).

Django's ``AuthenticationForm`` sets the username field's ``max_length`` after the field is built,
so the limit is drawn on the page but never checked: a longer name went on to django-axes, whose
record of the failed attempt holds 255 characters (a server error on PostgreSQL). Here the length
is checked like any other field: too long is a form error on the page.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _UsernameLengthChecked:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(_UsernameLengthChecked, AuthenticationForm):
    """The site's sign-in page."""


class AdminSignInForm(_UsernameLengthChecked, AdminAuthenticationForm):
    """The Django admin's sign-in page."""
