"""The client's address as django-axes counts failed sign-ins by it (``AXES_CLIENT_IP_CALLABLE``).

Without a proxy (``TRUSTED_PROXY_COUNT=0``) it is the connection's address: X-Forwarded-For is
anyone's to write, so an attacker could dodge the lockout by sending a new one each time. Behind N
trusted proxies, each appends the address it saw to X-Forwarded-For, so the Nth entry from the
right is the one the outermost proxy saw: the client. Entries further left are the client's own
words and never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def forwarded_client(forwarded_for: str, proxy_count: int) -> str | None:
    """The address ``proxy_count`` trusted proxies recorded for the client, or None when the header
    is shorter than that (the request did not come through every proxy) or the entry is not an
    IP address."""
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if proxy_count < 1 or len(entries) < proxy_count:
        return None
    candidate = entries[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address sign-in failures are counted against (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR")
    proxy_count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxy_count < 1:
        return remote
    return forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""), proxy_count) or remote
