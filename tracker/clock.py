"""The one place the tracker reads the clock.

Deadlines are London dates, so "today" is the date in Europe/London (``settings.TIME_ZONE``), not
the server's UTC date: at 00:30 BST on 1 July a deadline of 30 June has passed, though UTC still
says 30 June. Views, commands and tasks call ``today()`` once and pass the date down; deadline
logic never reads the clock itself.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()
