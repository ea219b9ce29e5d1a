"""Read a document (extract its text and parse it) once, contained in a child process.

Hostile files can make PDF libraries raise anything, recurse without end, inflate a few hundred
kilobytes into gigabytes, or run for minutes. So no web worker or command reads a document itself:
``read_document`` runs ``importer.read_child`` with a wall-time limit (the child is killed
when it passes), an address-space limit (``RLIMIT_AS``) and a page limit, all from settings
(``IMPORT_PARSE_SECONDS``, ``IMPORT_PARSE_MEMORY_MB``, ``IMPORT_PARSE_MAX_PAGES``). Whatever goes
wrong comes back as one ``DocumentUnreadable`` saying why; nothing is written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from .parsing.serialise import ReadDocument
from .parsing.types import ParseError

ROOT = Path(__file__).resolve().parents[1]


class DocumentUnreadable(ParseError):
    """The document could not be read within the limits, or a parsing library failed on it."""


def read_document(data: bytes, *, name: str, kind: str = "auto", aliases: dict[str, str] | None = None) -> ReadDocument:
    """The document's text and parse, read in a contained child process. Raises ``DocumentUnreadable``.

    ``aliases`` (alias as written -> the name it stands for) go to the parsers as plain data."""
    limits = {
        "name": name or "The document",
        "kind": kind,
        "aliases": aliases,
        "seconds": settings.IMPORT_PARSE_SECONDS,
        "memory_mb": settings.IMPORT_PARSE_MEMORY_MB,
        "max_pages": settings.IMPORT_PARSE_MAX_PAGES,
    }
    command = [sys.executable, "-m", "importer.read_child", json.dumps(limits)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=limits["seconds"], cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise DocumentUnreadable(_too_slow(limits)) from None
    return _outcome(done, limits)


def read_trusted_document(data: bytes, *, name: str, kind: str = "auto", aliases: dict[str, str] | None = None) -> ReadDocument:
    """``read_document`` in this process, for the repository's own sources only (the
    ``import_sources`` manifest, which the operator vouches for), never for an upload: the same
    reading code and page limit, without a child process's start-up (about 0.3 s a document) and
    without the time and memory limits only hostile files need. Raises ``DocumentUnreadable``."""
    from .parsing.types import ParseContext
    from .read_child import read

    limits = {"name": name or "The document", "seconds": settings.IMPORT_PARSE_SECONDS, "memory_mb": settings.IMPORT_PARSE_MEMORY_MB}
    outcome = read(
        data,
        name=limits["name"],
        kind=kind,
        max_pages=settings.IMPORT_PARSE_MAX_PAGES,
        memory_mb=settings.IMPORT_PARSE_MEMORY_MB,
        context=ParseContext(aliases=aliases) if aliases else None,
    )
    if "read" in outcome:
        return ReadDocument.from_json(outcome["read"])
    raise DocumentUnreadable(outcome.get("refused") or _too_big(limits))


def _outcome(done: subprocess.CompletedProcess, limits: dict) -> ReadDocument:
    try:
        outcome = json.loads(done.stdout) if done.returncode == 0 else {}
    except ValueError:
        outcome = {}
    if "read" in outcome:
        return ReadDocument.from_json(outcome["read"])
    if "refused" in outcome:
        raise DocumentUnreadable(outcome["refused"])
    if outcome.get("exceeded") == "memory" or b"MemoryError" in done.stderr:
        raise DocumentUnreadable(_too_big(limits))
    if done.returncode in (-9, -24):  # SIGKILL, SIGXCPU: the CPU-time backstop
        raise DocumentUnreadable(_too_slow(limits))
    raise DocumentUnreadable(
        f"{limits['name']} could not be read: reading it stopped unexpectedly "
        f"(it may need more than {limits['memory_mb']} MB of memory). It is damaged or built to break readers."
    )


def _too_slow(limits: dict) -> str:
    return (
        f"This document took longer than {limits['seconds']:g} second{'' if limits['seconds'] == 1 else 's'} to read, so it was refused "
        "(it is very large, damaged or built to exhaust readers). Paste the part that matters, or split the file."
    )


def _too_big(limits: dict) -> str:
    return (
        f"This document needed more than {limits['memory_mb']} MB of memory to read, so it was refused "
        "(it is very large, damaged or built to exhaust readers). Paste the part that matters, or split the file."
    )
