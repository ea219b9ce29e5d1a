"""Writes for the responses app, by concern:

- ``jobs``: overdue flags, digest subscriptions and the weekly digest's delivery (Celery jobs);
- ``editing``: what admins do by hand: record, assess and correct replies, revise commitments;
- ``bulk``: assessments and implementation statuses updated by CSV round trip.
"""

from .jobs import *  # noqa: F401,F403
from .jobs import (  # noqa: F401 (named for readers and linters)
    UNSUBSCRIBE_SALT,
    digest_build,
    digest_deliver,
    digest_deliveries_prepare,
    digest_send,
    digest_subscription_update,
    digest_unsubscribe,
    flags_refresh,
    unsubscribe_token,
    unsubscribe_url,
)
