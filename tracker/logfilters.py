"""Logging filters.

A refused request (403: a role that may not act, a bad CSRF token) is an expected answer, not a
crash: Django logs it with the ``PermissionDenied`` traceback, and with its own console handler
and the root's both printing, it came out twice. ``RefusalsInOneLine`` keeps the one line
("Forbidden (Permission denied): /manage/...") and drops the traceback; the settings send
Django's records to one handler only."""

from __future__ import annotations

import logging


class RefusalsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
