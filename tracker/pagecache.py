"""Rendered page content kept between requests, and thrown away as soon as the data changes.

The dashboard's figures and the recommendations list's results are worked out from every row;
at hundreds of thousands of recommendations that takes longer than serving a page should. Their
rendered HTML is kept in Django's cache (``CACHES``: files under ``var/cache`` by default, Redis in
a deployment) under a key made of:

- the page and what it shows (the filter's query string),
- the London date the page was worked out for (deadline states change at midnight),
- the **release**: the code that worked it out (``release()``: ``settings.RELEASE``, else the git
  commit, read once; with ``DEBUG`` on, a fingerprint of the code and templates taken per request,
  so a template edited under ``make run`` shows at once), so a deploy never serves old code's pages,
- the **data version**: a random token, replaced whenever anything a page shows is written.

So a page is never older than the last write: nothing is "invalidated" one key at a time, a new
version simply makes every earlier key unreachable (they expire after ``PAGE_CACHE_SECONDS``).

Writes that go through the ORM replace the version by themselves: ``watch_models`` connects
``post_save``, ``post_delete`` and ``m2m_changed`` for an app's models. Bulk writes that send no
signals (``bulk_create``, ``QuerySet.update``, COPY) call ``data_changed()`` themselves.

The version is replaced when the transaction commits (``transaction.on_commit``): a page another
connection works out meanwhile (from the data before the commit) is then kept under a version
nobody asks for any more. It is also replaced at once, if this process has read a kept page since
it last replaced it, so the transaction's own later reads never see a page from before its writes
(that is also what a test, whose transaction never commits, sees). Records no kept page shows
(overdue flags, digest deliveries) replace nothing: the daily flag run keeps every page.
``PAGE_CACHE_SECONDS=0`` turns the cache off (every page worked out afresh).

**Filter choices** (the reports, bodies and chapters a list can be filtered by) are kept under a
narrower version of their own (``choices()``, ``CHOICES_VERSION_KEY``), replaced only by writes to
the models they are read from (``watch_models(..., choices=...)``) and by every bulk write: a new
reply, assessment or commitment leaves them kept, so the first visitor after an editor's write to
a reply works out the list's rows, not its several hundred choices. ``FILTER_CHOICES_CACHE_SECONDS``
says how long (0: off); ``PAGE_CACHE_SECONDS=0`` leaves them kept.

**The cache going away never takes a page or a write down.** Any error from the cache is a miss:
the page is worked out afresh and not kept, and a write whose new version cannot be stored still
commits. The process logs one warning, leaves the cache alone for ``RETRY_SECONDS``, then tries
again; the first time it answers, the process makes a fresh version before using it, so nothing
kept before the outage (a restarted Redis may load it from disk; a network split never lost it)
is shown after a write the cache did not hear of. A process whose write went unheard also retries
in the background, so other processes stop serving older pages within ``RETRY_SECONDS`` of the
cache's return even if this one gets no more requests. ``/healthz`` says when the cache is down.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

VERSION_KEY = "tracker:data-version"
# Replaced only by writes to what filter choices are read from (reports, bodies, recommendations).
CHOICES_VERSION_KEY = "tracker:choices-version"
BOTH = (VERSION_KEY, CHOICES_VERSION_KEY)
_CHOICES_PREFIX = "tracker:choices:"
_KEY_PREFIX = "tracker:page:"
# After a cache error, how long this process works pages out afresh before trying the cache again
# (so a cache that hangs until its socket timeout costs one request, not every request).
RETRY_SECONDS = 5.0

logger = logging.getLogger(__name__)


class _Outage:
    """This process's view of the cache: down since an error, until it answers again and a fresh
    data version has been stored."""

    lock = threading.Lock()
    down = False
    retry_at = 0.0
    retrier: threading.Thread | None = None


def _went_away(error: Exception) -> None:
    with _Outage.lock:
        first = not _Outage.down
        _Outage.down, _Outage.retry_at = True, time.monotonic() + RETRY_SECONDS
    if first:
        logger.warning("Page cache unavailable (%s: %s): pages are worked out afresh until it answers again", type(error).__name__, error)


def _renew() -> bool:
    """After an outage: store a fresh data version (the cache may still hold pages kept under the
    old one, from before writes it did not hear of); whether the cache answered."""
    try:
        cache.set_many(_fresh(BOTH), timeout=None)
    except Exception as error:  # any cache failure: still down
        _went_away(error)
        return False
    with _Outage.lock:
        was_down, _Outage.down = _Outage.down, False
    if was_down:
        logger.warning("Page cache answers again: a fresh data version, so no page kept before the outage is shown")
    return True


def available() -> bool:
    """Whether the page cache may be used now: not for ``RETRY_SECONDS`` after an error; then
    only once it has stored a fresh data version."""
    if not _Outage.down:
        return True
    if time.monotonic() < _Outage.retry_at:
        return False
    return _renew()


def cache_answers() -> bool:
    """Whether the cache answers now (asked at once, whatever the last error; for ``/healthz``)."""
    if _Outage.down:
        return _renew()
    try:
        cache.get(VERSION_KEY)
    except Exception as error:  # any cache failure
        _went_away(error)
        return False
    return True


def reset_outage() -> None:
    """Forget any outage this process saw (for tests that stop and start a cache)."""
    with _Outage.lock:
        _Outage.down, _Outage.retry_at = False, 0.0


def _retry_in_background() -> None:
    """Keep trying to store a fresh version until the cache answers: a write it did not hear of
    must end other processes' older pages even if this process serves no more requests."""

    def retry():
        while _Outage.down:
            time.sleep(max(RETRY_SECONDS, 1.0))
            available()

    with _Outage.lock:
        if _Outage.retrier is not None and _Outage.retrier.is_alive():
            return
        _Outage.retrier = threading.Thread(target=retry, name="pagecache-retry", daemon=True)
        _Outage.retrier.start()


def data_version(key: str = VERSION_KEY) -> str:
    """The current data version (or ``CHOICES_VERSION_KEY``'s); a new one when the cache has none
    (first use, or evicted)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)  # another process may win the race
        version = cache.get(key)
    return version


def version_now() -> str | None:
    """The data version now, for a process that keeps something of its own until the data changes
    (the digest's content in a worker); None when the cache cannot say (keep nothing then)."""
    if not available():
        return None
    _Reads.since_change = True  # this process now holds something made under this version
    try:
        return data_version()
    except Exception as error:  # any cache failure: nothing can be kept safely
        _went_away(error)
        return None


def _fresh(keys: Iterable[str]) -> dict[str, str]:
    return {key: uuid.uuid4().hex for key in keys}


def _replace_version(keys: Iterable[str] = BOTH) -> None:
    """Never raises (it runs in writes' signal handlers and on commit): when the cache cannot be
    told, a fresh version of both is owed until it answers again (``_renew``)."""
    if available():
        try:
            cache.set_many(_fresh(keys), timeout=None)
            return
        except Exception as error:  # any cache failure: the write still succeeds
            _went_away(error)
    _retry_in_background()


class _Reads:
    """Whether this process read anything kept under the data version (``since_change``) or the
    choices version (``choices_since_change``) since it last replaced that version. Flags for the
    process (not per thread): a write replaces a version at once whenever any thread of the process
    may have read something kept under it, which is never less often than needed."""

    since_change = True
    choices_since_change = True


_bulk_write_hooks: list[Callable[[], None]] = []


def on_bulk_write(hook: Callable[[], None]) -> None:
    """Call ``hook`` on every ``data_changed()`` (bulk writes), not on model signals: for data kept
    current by signals elsewhere (``pages.figures`` clears its stored counts)."""
    if hook not in _bulk_write_hooks:
        _bulk_write_hooks.append(hook)


def data_changed(*, derived: bool = True) -> None:
    """Make every kept page unreachable: call after a write that sends no model signals.
    ``derived=False``: the write brought data kept current elsewhere with it, consistent (a restore
    copies the stored dashboard counts with everything else), so ``on_bulk_write`` hooks are skipped.

    Outside a transaction: replaced now. Inside one: replaced now only if this process read a kept
    page since the last replacement (so its own later reads see its writes), and again when the
    transaction commits (``transaction.on_commit``; a rolled-back transaction drops it)."""
    for hook in _bulk_write_hooks if derived else ():
        hook()
    _version_changed(BOTH)


def _version_changed(keys: tuple[str, ...]) -> None:
    if not transaction.get_connection().in_atomic_block:
        _replace_version(keys)
        return
    now = []
    if _Reads.since_change and VERSION_KEY in keys:
        _Reads.since_change = False
        now.append(VERSION_KEY)
    if _Reads.choices_since_change and CHOICES_VERSION_KEY in keys:
        _Reads.choices_since_change = False
        now.append(CHOICES_VERSION_KEY)
    if now:
        _replace_version(now)
    transaction.on_commit(functools.partial(_replace_version, keys))


_SOURCE_DIRS = ("templates", "tracker", "recommendations", "responses", "followup")
_SOURCE_SUFFIXES = (".py", ".html", ".txt")


def _source_fingerprint() -> str:
    """A hash of the name, size and modification time of every code and template file."""
    digest = hashlib.sha256()
    for top in _SOURCE_DIRS:
        for folder, dirs, files in os.walk(settings.BASE_DIR / top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(_SOURCE_SUFFIXES):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return "source-" + digest.hexdigest()[:16]


def _git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


@functools.cache
def _deployed_release() -> str:
    """Read once per process: the code does not change under a running deployment."""
    return settings.RELEASE or _git_commit() or _source_fingerprint()


def release() -> str:
    """The code that works pages out, part of every key: ``settings.RELEASE``, else the git commit,
    else a fingerprint of the code and templates. With ``DEBUG`` on, always the fingerprint, taken
    on every call: ``make run`` reloads Python on an edit but not templates, whose edits must show."""
    return _source_fingerprint() if settings.DEBUG else _deployed_release()


def fragment(page: str, parts: Iterable, build: Callable[[], T], *, keep: Callable[[T], bool] | None = None) -> T:
    """``build()``'s result for ``page`` and ``parts``, from the cache when the data version and
    ``parts`` (include the date!) are the same as when it was kept; built and kept otherwise
    (unless ``keep(result)`` says no, e.g. for an error page). Built, not kept, when the cache fails."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds or not available():
        return build()
    # The version is read before the data: a write committing meanwhile replaces it, so whatever
    # this request builds from older data is kept under a key no later request uses.
    _Reads.since_change = True
    try:
        key = _KEY_PREFIX + hashlib.sha256(repr((page, release(), data_version(), tuple(parts))).encode()).hexdigest()
        value = cache.get(key)
    except Exception as error:  # any cache failure is a miss
        _went_away(error)
        return build()
    if value is None:
        value = build()
        if keep is None or keep(value):
            _store(key, value, seconds)
    return value


def choices(name: str, build: Callable[[], T]) -> T:
    """``build()``'s result (a filter's choices) for ``name``, kept until a write to what it is
    read from replaces the choices version (``watch_models(..., choices=...)``, ``data_changed()``)
    or ``FILTER_CHOICES_CACHE_SECONDS`` pass. One cache read: the version and the kept value (with
    the version and release it was built under) come back together. Built, not kept, when the
    cache fails."""
    seconds = settings.FILTER_CHOICES_CACHE_SECONDS
    if not seconds or not available():
        return build()
    _Reads.choices_since_change = True
    key = _CHOICES_PREFIX + name
    try:
        found = cache.get_many([CHOICES_VERSION_KEY, key])
        version = found.get(CHOICES_VERSION_KEY) or data_version(CHOICES_VERSION_KEY)
    except Exception as error:  # any cache failure is a miss
        _went_away(error)
        return build()
    kept = found.get(key)
    if kept is not None and kept[:2] == (release(), version):
        return kept[2]
    # The version was read before the data: a write committing meanwhile replaces it, so what is
    # built from older data here is never taken for the newer version.
    value = build()
    _store(key, (release(), version, value), seconds)
    return value


def _store(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as error:  # not kept: the next request works it out again
        _went_away(error)


def watch_models(app_label: str, *, ignore: Iterable[str] = (), choices: Iterable[str] = ()) -> None:
    """Replace the data version whenever a model of ``app_label`` (bar the ``ignore``d model
    names, e.g. records of emails sent, which no page shows) is saved, deleted or has its
    many-to-many links changed; the choices version too when that model is one of ``choices``
    (model names; a many-to-many link table by its own name, e.g. ``recommendation_addressees``)."""
    ignored = {name.lower() for name in ignore}
    narrow = {name.lower() for name in choices}

    def receiver(sender, **kwargs):
        meta = sender._meta
        if meta.app_label == app_label and meta.model_name not in ignored:
            _version_changed(BOTH if meta.model_name in narrow else (VERSION_KEY,))

    # One receiver per app, held strongly (it is a closure) and named so it is connected once.
    uid = f"tracker.pagecache:{app_label}"
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(receiver, weak=False, dispatch_uid=uid)
