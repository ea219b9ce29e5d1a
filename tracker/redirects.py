"""Links and redirects built from what a visitor sent (``?from=``, ``?next=``)."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, candidate: str | None, *, default: str) -> str:
    """``candidate`` when it leads to this site, otherwise ``default``.

    A path such as ``/\\evil.example`` or ``//evil.example`` looks local but browsers follow it to
    another site; Django's own check (as its sign-in page uses for ``?next=``) knows those tricks.
    """
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
