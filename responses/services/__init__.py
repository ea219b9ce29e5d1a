"""Writes for the responses app, by concern:

- ``jobs``: overdue flags, digest subscriptions and the weekly digest's delivery (Celery jobs);
- ``editing``: what admins do by hand: record, assess and correct replies, revise commitments;
- ``bulk``: assessments and implementation statuses updated by CSV round trip.
"""

from .bulk import (  # noqa: F401 (assessments and implementation statuses by CSV round trip; see bulk.py)
    BULK_FIELDS,
    BulkConflict,
    BulkPreview,
    bulk_csv_lines,
    bulk_preview,
    bulk_rows,
    response_bulk_id,
    responses_bulk_update,
)
from .editing import (  # noqa: F401 (what staff do by hand; see editing.py)
    REVERTIBLE,
    commitment_create,
    commitment_revise,
    historical_record,
    history_revert,
    missing_reply_commitments,
    missing_reply_prefix,
    note_add,
    recommendation_deadline_correct,
    reply_missing_record,
    report_response_due_override,
    response_assess,
    response_record,
)
from .jobs import *  # noqa: F401,F403
from .jobs import (  # noqa: F401 (named for readers and linters)
    PREFERENCES_SALT,
    UNSUBSCRIBE_SALT,
    digest_build,
    digest_deliver,
    digest_deliver_batch,
    digest_deliveries_prepare,
    digest_in_flight,
    digest_send,
    digest_subscription_update,
    digest_unsubscribe,
    flags_refresh,
    in_flight_notice,
    preferences_token,
    preferences_url,
    unsubscribe_token,
    unsubscribe_url,
)
