"""The base of every management command of ours: when the database, the broker or Redis is
unavailable (refused, gone away mid-run, locked), the command ends with one clear line on standard
error and exit status 1, not a traceback (``--traceback`` still shows it).

    class Command(TrackerCommand):
        unavailable_note = "Digests already sent are recorded; run it again to send the rest."

``unavailable_note`` says what such a failure leaves behind; the default suits a command that
writes in one transaction.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, ProgrammingError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def first_line(error: BaseException) -> str:
    """An exception's message on one line: drivers add hints on further lines (psycopg2's "Is the
    server running on that host...")."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def unavailable_message(error: BaseException) -> str | None:
    """What failed, in one sentence, for a database, broker or Redis failure; None for any other
    error (a bug keeps its traceback)."""
    detail = first_line(error)
    if isinstance(error, ProgrammingError):  # PostgreSQL: a table this code needs is not there
        if "does not exist" not in detail:
            return None  # a bug keeps its traceback
        return f"the database is not set up ({detail}); run manage.py migrate."
    if isinstance(error, OperationalError | InterfaceError):
        if detail.startswith("no such table"):  # SQLite: a database that was never migrated
            return f"the database is not set up ({detail}); run manage.py migrate."
        if detail == "database is locked":  # SQLite: another process kept the write lock too long
            return f"the database is busy ({detail}: another process is writing; try again)."
        return f"the database is unavailable ({detail})."
    if isinstance(error, BrokerError):
        return f"the Celery broker is unavailable ({detail})."
    if isinstance(error, RedisConnectionError | RedisTimeoutError):
        return f"Redis is unavailable ({detail})."
    return None


class TrackerCommand(BaseCommand):
    """A management command that reports an unavailable database, broker or Redis in one line."""

    #: What is true after such a failure (the default: the command writes in one transaction).
    unavailable_note = "Nothing was written."

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (OperationalError, InterfaceError, ProgrammingError, BrokerError, RedisConnectionError, RedisTimeoutError) as error:
            message = unavailable_message(error)
            if message is None:
                raise
            if isinstance(error, RedisConnectionError | RedisTimeoutError):
                # The cache is written when a transaction commits, so the writes may have been made.
                raise CommandError(f"{message} Run it again once Redis is back.") from error
            raise CommandError(f"{message} {self.unavailable_note}") from error
