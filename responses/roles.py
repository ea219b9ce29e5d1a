"""Who may do what: the two staff roles are groups with permissions (``recommendations`` migration
0003); superusers have every permission. Views check permissions, never group names."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

# Held by both roles (scrutiny officers and editors): what makes someone "staff" here, who sees
# notes and the history of changes, and the Manage link.
STAFF_PERMISSION = "responses.assess_response"


def is_staff_role(user) -> bool:
    return user.is_authenticated and user.has_perm(STAFF_PERMISSION)


def role_required(*permissions: str):
    """Anonymous visitors are sent to sign in; signed-in users without ``permissions`` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(permissions):
                raise PermissionDenied("Your account's role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
