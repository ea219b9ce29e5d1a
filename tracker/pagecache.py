"""Rendered page content kept between requests, and thrown away as soon as the data changes.

The dashboard's figures and the recommendations list's results are worked out from every row;
at hundreds of thousands of recommendations that takes longer than serving a page should. Their
rendered HTML is kept in Django's cache (``CACHES``: files under ``var/cache`` by default, Redis in
a deployment) under a key made of:

- the page and what it shows (the filter's query string),
- the London date the page was worked out for (deadline states change at midnight), and
- the **data version**: a random token, replaced whenever anything a page shows is written.

So a page is never older than the last write: nothing is "invalidated" one key at a time, a new
version simply makes every earlier key unreachable (they expire after ``PAGE_CACHE_SECONDS``).

Writes that go through the ORM replace the version by themselves: ``watch_models`` connects
``post_save``, ``post_delete`` and ``m2m_changed`` for an app's models. Bulk writes that send no
signals (``bulk_create``, ``QuerySet.update``, COPY) call ``data_changed()`` themselves.

The version is replaced when the transaction commits, once however many rows it wrote: a page
another connection works out meanwhile (from the data before the commit) is then kept under a
version nobody asks for any more. It is also replaced at once, if this thread has read a kept page
since it last replaced it, so the transaction's own later reads never see a page from before its
writes (that is also what a test, whose transaction never commits, sees).
``PAGE_CACHE_SECONDS=0`` turns the cache off (every page worked out afresh).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

VERSION_KEY = "tracker:data-version"
_KEY_PREFIX = "tracker:page:"


def data_version() -> str:
    """The current data version; a new one when the cache has none (first use, or evicted)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)  # another process may win the race
        version = cache.get(VERSION_KEY)
    return version


def _replace_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


# Whether this thread (its database connection) read a kept page since it last replaced the version.
_thread = threading.local()


def data_changed() -> None:
    """Make every kept page unreachable: call after a write that sends no model signals.

    Cheap when called for every row a transaction writes: one replacement now (only if this thread
    read a kept page since the last one) and one when the transaction commits."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _replace_version()
        return
    if getattr(_thread, "read_since_change", True):
        _replace_version()
        _thread.read_since_change = False
    # One replacement per transaction at commit (the pending callbacks are (savepoints, callback,
    # robust) tuples; a rolled-back savepoint takes its own away, so a later write registers again).
    if not any(pending[1] is _replace_version for pending in connection.run_on_commit):
        transaction.on_commit(_replace_version)


def fragment(page: str, parts: Iterable, build: Callable[[], T]) -> T:
    """``build()``'s result for ``page`` and ``parts``, from the cache when the data version and
    ``parts`` (include the date!) are the same as when it was kept; built and kept otherwise."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    # The version is read before the data: a write committing meanwhile replaces it, so whatever
    # this request builds from older data is kept under a key no later request uses.
    _thread.read_since_change = True
    identity = repr((page, data_version(), tuple(parts)))
    key = _KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def watch_models(app_label: str, *, ignore: Iterable[str] = ()) -> None:
    """Replace the data version whenever a model of ``app_label`` (bar the ``ignore``d model
    names, e.g. records of emails sent, which no page shows) is saved, deleted or has its
    many-to-many links changed."""
    ignored = {name.lower() for name in ignore}

    def receiver(sender, **kwargs):
        meta = sender._meta
        if meta.app_label == app_label and meta.model_name not in ignored:
            data_changed()

    # One receiver per app, held strongly (it is a closure) and named so it is connected once.
    uid = f"tracker.pagecache:{app_label}"
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(receiver, weak=False, dispatch_uid=uid)
