"""Page addresses reversed once per process, not on every use: the header and footer of every
page, the list's 50 rows, a calendar's thousands of events and the digest's lines each asked
``reverse`` for the same few patterns again and again (about 25 microseconds a time).

A pattern depends only on the URL name, the URLconf and the script prefix (a deployment below a
path), which key the cache. An argument is put in as it is: ids and slugs only, whose characters
a path takes unquoted (``reverse`` would quote anything else)."""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "9081726354"  # reversed in place of the argument, then replaced by it
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")  # what a path takes as it is (reverse quotes anything else)


def pattern(name: str) -> tuple[str, str]:
    """(head, tail) of the address of ``name`` taking one id or slug: ``f"{head}{id}{tail}"`` is
    ``reverse(name, args=[id])``. For a loop, read it once."""
    return _pattern(name, True, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def path(name: str, arg: int | str | None = None) -> str:
    """``reverse(name)``, or ``reverse(name, args=[arg])`` for an id or slug (anything else is
    reversed as usual: ``reverse`` quotes it)."""
    if arg is not None and not (isinstance(arg, int) or _PLAIN.fullmatch(arg)):
        return reverse(name, args=[arg])
    head, tail = _pattern(name, arg is not None, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return head if arg is None else f"{head}{arg}{tail}"


@functools.lru_cache(maxsize=512)
def _pattern(name: str, with_arg: bool, prefix: str, urlconf: str) -> tuple[str, str]:
    if not with_arg:
        return reverse(name, urlconf=urlconf), ""
    head, _, tail = reverse(name, args=[_MARK], urlconf=urlconf).rpartition(_MARK)
    return head, tail


class Absolute:
    """Absolute page addresses below ``origin`` (scheme and host, e.g. ``settings.SITE_URL`` or a
    request's), ``absolute(name, id_or_slug)``: each URL pattern read once for the whole run (a
    feed's events, a digest's lines), not once per address."""

    def __init__(self, origin: str):
        self.origin = origin.rstrip("/")
        self.patterns: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, arg: int | str) -> str:
        known = self.patterns.get(name)
        if known is None:
            head, tail = pattern(name)
            known = self.patterns[name] = (self.origin + head, tail)
        return f"{known[0]}{arg}{known[1]}"
