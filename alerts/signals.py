"""After each new history record of a reply, recommendation or report (django-simple-history),
queue one task per transaction, on commit, that emails whoever watches what changed.

Ids are gathered so an import that writes hundreds of history records queues once;
nothing is queued for a transaction that rolls back (an import preview), and a broker that is down
costs a logged line, never the write that already committed."""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from simple_history.signals import post_create_historical_record

logger = logging.getLogger(__name__)
_pending = threading.local()


def _flush() -> None:
    recommendation_ids, report_ids = _pending.__dict__.pop("ids", (set(), set()))
    if not (recommendation_ids or report_ids):
        return  # an earlier callback of this transaction took them
    from recommendations.models import Recommendation

    from .models import Watch
    from .tasks import notify_watchers

    report_ids = report_ids | set(Recommendation.objects.filter(pk__in=recommendation_ids).values_list("report_id", flat=True))
    watched = Watch.objects.filter(recommendation_id__in=recommendation_ids) | Watch.objects.filter(report_id__in=report_ids)
    if not watched.exists():
        return
    try:
        notify_watchers.delay(recommendation_ids=sorted(recommendation_ids), report_ids=sorted(report_ids))
    except Exception:  # noqa: BLE001 (the write committed; the next change sends these too)
        logger.exception("Could not queue the watchers' emails")


def _changed(sender, instance, history_instance, **kwargs) -> None:
    from recommendations.models import Recommendation, Report
    from responses.models import Response

    if isinstance(instance, Response):
        rec_ids, report_ids = {instance.recommendation_id} - {None}, set()
    elif isinstance(instance, Recommendation):
        rec_ids, report_ids = {instance.pk}, set()
    elif isinstance(instance, Report):
        rec_ids, report_ids = set(), {instance.pk}
    else:
        return
    # Ids gather in one set per thread; the first callback to run after a commit takes them all and
    # the rest find it empty (no query). Ids left by a rolled-back transaction only cause a check.
    pending = _pending.__dict__.setdefault("ids", (set(), set()))
    pending[0].update(rec_ids)
    pending[1].update(report_ids)
    transaction.on_commit(_flush)


def connect() -> None:
    post_create_historical_record.connect(_changed, dispatch_uid="alerts-watch-changes")
