"""The Django admin's site, with two fixes for input that made it answer 500.

- Its sign-in form checks the username's length (``tracker.signin``).
- An empty ``?_to_field=`` on a change or delete page is treated as absent: Django checks the
  field only when one is named, then looks the empty name up and fails (``FieldDoesNotExist``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR

from tracker.signin import AdminSignInForm


def _without_empty_to_field(query):
    if query.get(TO_FIELD_VAR, None) == "":
        query = query.copy()
        del query[TO_FIELD_VAR]
    return query


class TrackerAdminSite(admin.AdminSite):
    login_form = AdminSignInForm

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def inner(request, *args, **kwargs):
            request.GET = _without_empty_to_field(request.GET)
            if request.method == "POST":
                request.POST = _without_empty_to_field(request.POST)
            return checked(request, *args, **kwargs)

        return inner
