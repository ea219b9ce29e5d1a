"""Writes for alerts: confirmation emails, subscriptions and watches made from signed links, and
the emails to watchers.

Double opt-in keeps nothing about an address until its owner follows the link sent to it: the link
is a signed, expiring token (``django.core.signing``) carrying the address and the choices, so an
unconfirmed request leaves no row. A request gets the same answer whether or not the address is
already subscribed or watching, so the form says nothing about anyone.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Organisation, Recommendation, Report
from responses.changes import Change, ChangeFilter, change_log
from responses.digest import absolute_url
from responses.models import DigestSubscription
from responses.services import digest_subscription_update

from .models import Watch, WatchNotification

logger = logging.getLogger(__name__)

SUBSCRIBE_SALT = "alerts.subscribe"
WATCH_SALT = "alerts.watch"
UNWATCH_SALT = "alerts.unwatch"
# Changes are read from this day on: a watch's baseline claims everything before it began.
EARLIEST = datetime.date(1900, 1, 1)


class LinkProblem(Exception):
    """A confirmation or stop link that cannot be used; the message says why, for the page."""


def _max_age() -> int:
    return settings.ALERTS_CONFIRM_HOURS * 3600


def _load(token: str, *, salt: str, max_age: int | None = None) -> dict:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkProblem(f"This link has expired: links last {settings.ALERTS_CONFIRM_HOURS} hours. Ask for a new one.") from error
    except signing.BadSignature as error:
        raise LinkProblem("This link does not work. It may have been cut short when it was copied: use the whole link from the email.") from error
    if not isinstance(data, dict):
        raise LinkProblem("This link does not work.")
    return data


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers={"Auto-Submitted": "auto-generated"}).send()


# --- Subscribing to the digest by email --------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionRequest:
    """What a confirmation link asks for: an address and the bodies and reports chosen."""

    email: str
    organisations: list[Organisation]
    reports: list[Report]


def subscription_request_send(*, email: str, organisations, reports) -> None:
    """Email ``email`` a link that subscribes it to the digest with these choices when followed."""
    email = email.strip().lower()
    token = signing.dumps({"e": email, "o": sorted(o.pk for o in organisations), "r": sorted(r.pk for r in reports)}, salt=SUBSCRIBE_SALT)
    _send(
        to=email,
        subject="Confirm your subscription to the recommendation tracker's weekly digest",
        template="alerts/email/confirm_subscription.txt",
        context={
            "confirm_url": absolute_url(reverse("subscribe-confirm", args=[token])),
            "organisations": organisations,
            "reports": reports,
            "hours": settings.ALERTS_CONFIRM_HOURS,
        },
    )


def subscription_request_read(*, token: str) -> SubscriptionRequest:
    """What a subscription link asks for; ``LinkProblem`` for a forged, damaged or expired one."""
    data = _load(token, salt=SUBSCRIBE_SALT, max_age=_max_age())
    try:
        email, org_ids, report_ids = str(data["e"]), [int(i) for i in data["o"]], [int(i) for i in data["r"]]
    except (KeyError, TypeError, ValueError) as error:
        raise LinkProblem("This link does not work.") from error
    return SubscriptionRequest(
        email=email,
        organisations=list(Organisation.objects.filter(pk__in=org_ids).order_by("name")),
        reports=list(Report.objects.filter(pk__in=report_ids).order_by("title")),
    )


def _username_for(email: str) -> str:
    return "subscriber-" + hashlib.sha256(email.encode()).hexdigest()[:24]


def subscriber_for(email: str):
    """The account for ``email``: one that has it already (the oldest), else a new one with an
    unusable password (it can never sign in; its signed links are its way in)."""
    users = get_user_model().objects
    user = users.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user, _ = users.get_or_create(username=_username_for(email), defaults={"email": email})
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def subscription_confirm(*, token: str) -> DigestSubscription:
    """Subscribe the address a link names, with its choices (replacing earlier ones)."""
    wanted = subscription_request_read(token=token)
    with transaction.atomic():
        user = subscriber_for(wanted.email)
        subscription = digest_subscription_update(user=user, subscribed=True, organisations=wanted.organisations, reports=wanted.reports)
    logger.info("Digest subscription confirmed for user %s", user.pk)
    return subscription


# --- Watches -----------------------------------------------------------------------------------


def _target_of(data: dict) -> Recommendation | Report:
    try:
        if "rec" in data:
            return Recommendation.objects.select_related("report").get(pk=int(data["rec"]))
        return Report.objects.get(pk=int(data["rep"]))
    except (KeyError, TypeError, ValueError, Recommendation.DoesNotExist, Report.DoesNotExist) as error:
        raise LinkProblem("What this link follows is no longer in the tracker.") from error


def _target_fields(target) -> dict:
    return {"recommendation": target} if isinstance(target, Recommendation) else {"report": target}


def watch_request_send(*, email: str, target: Recommendation | Report) -> None:
    """Email ``email`` a link that starts watching ``target`` when followed."""
    email = email.strip().lower()
    key = "rec" if isinstance(target, Recommendation) else "rep"
    token = signing.dumps({"e": email, key: target.pk}, salt=WATCH_SALT)
    _send(
        to=email,
        subject=f"Confirm: email me when {target} changes",
        template="alerts/email/confirm_watch.txt",
        context={"confirm_url": absolute_url(reverse("watch-confirm", args=[token])), "target": target, "hours": settings.ALERTS_CONFIRM_HOURS},
    )


def watch_request_read(*, token: str) -> tuple[str, Recommendation | Report]:
    data = _load(token, salt=WATCH_SALT, max_age=_max_age())
    if not isinstance(data.get("e"), str):
        raise LinkProblem("This link does not work.")
    return data["e"], _target_of(data)


def watch_start(*, email: str, target: Recommendation | Report, today: datetime.date) -> Watch:
    """Start (or keep) ``email`` watching ``target``. Every change already recorded is claimed as
    the baseline, so only what changes from now on is emailed."""
    with transaction.atomic():
        watch, created = Watch.objects.get_or_create(email=email.strip().lower(), **_target_fields(target))
        if created:
            WatchNotification.objects.bulk_create(
                [WatchNotification(watch=watch, change_key=c.key, status=WatchNotification.Status.BASELINE) for c in watch_changes(watch, today=today)],
                ignore_conflicts=True,
            )
    return watch


def watch_confirm(*, token: str, today: datetime.date) -> Watch:
    email, target = watch_request_read(token=token)
    return watch_start(email=email, target=target, today=today)


def unwatch_token(watch: Watch) -> str:
    """Names the watch; it does not expire (an old email's link must still stop the emails)."""
    return signing.dumps({"w": watch.pk}, salt=UNWATCH_SALT)


def unwatch_read(*, token: str) -> int:
    """The watch a stop link names; ``LinkProblem`` for a forged or damaged one."""
    try:
        return int(_load(token, salt=UNWATCH_SALT)["w"])
    except (KeyError, TypeError, ValueError) as error:
        raise LinkProblem("This link does not work.") from error


def watch_stop(*, token: str) -> Recommendation | Report | None:
    """Stop the watch a link names; returns what it followed (None if it had stopped already)."""
    watch_id = unwatch_read(token=token)
    watch = Watch.objects.select_related("recommendation__report", "report").filter(pk=watch_id).first()
    if watch is None:
        return None
    target = watch.target
    watch.delete()
    return target


# --- Telling watchers --------------------------------------------------------------------------


def watch_changes(watch: Watch, *, today: datetime.date) -> list[Change]:
    """Every change to what ``watch`` follows up to ``today`` (``responses.changes``, the one reading)."""
    if watch.recommendation_id:
        return change_log(ChangeFilter(start=EARLIEST, end=today, recommendation_id=watch.recommendation_id))
    return change_log(ChangeFilter(start=EARLIEST, end=today, report_id=watch.report_id))


def _claim(watch: Watch, changes: list[Change]) -> list[Change]:
    """Claim each change not yet recorded for ``watch``; returns those this call won."""
    known = set(watch.notifications.values_list("change_key", flat=True))
    won = []
    for change in changes:
        if change.key in known:
            continue
        try:
            with transaction.atomic():
                WatchNotification.objects.create(watch=watch, change_key=change.key)
        except IntegrityError:
            continue  # another worker claimed it first
        won.append(change)
    return won


def _notify_one(watch: Watch, *, today: datetime.date) -> int:
    won = _claim(watch, watch_changes(watch, today=today))
    if not won:
        return 0
    keys = [change.key for change in won]
    try:
        _send(
            to=watch.email,
            subject=f"{len(won)} change{'s' if len(won) != 1 else ''} to {watch.target}",
            template="alerts/email/watch_changes.txt",
            context={
                "watch": watch,
                "target_url": absolute_url(watch.target.get_absolute_url()),
                "changes": [(change, absolute_url(change.path)) for change in sorted(won, key=lambda c: (c.on, c.key))],
                "stop_url": absolute_url(reverse("watch-stop", args=[unwatch_token(watch)])),
            },
        )
    except Exception:
        # Not sent: give the claims back so the retry sends them (and nothing is lost).
        watch.notifications.filter(change_key__in=keys, status=WatchNotification.Status.SENDING).delete()
        raise
    watch.notifications.filter(change_key__in=keys).update(status=WatchNotification.Status.SENT, sent_at=timezone.now())
    return len(won)


def watchers_notify(*, recommendation_ids=(), report_ids=(), today: datetime.date) -> int:
    """Email each watcher of these recommendations (or of their reports, or of these reports) the
    changes they have not been told about, one email per watcher; returns how many changes went."""
    report_ids = set(report_ids) | set(Recommendation.objects.filter(pk__in=list(recommendation_ids)).values_list("report_id", flat=True))
    watches = Watch.objects.filter(recommendation_id__in=list(recommendation_ids)) | Watch.objects.filter(report_id__in=list(report_ids))
    sent = 0
    for watch in watches.select_related("recommendation__report", "report").order_by("pk"):
        sent += _notify_one(watch, today=today)
    return sent


def watchers_notify_all(*, today: datetime.date) -> int:
    """The daily sweep: every watcher emailed what they have not been told yet: the overdue flags
    the daily job raised (no history record, so no email on the spot) and any change whose email
    was never queued or was lost (a broker outage). Each change still goes once (``_claim``)."""
    sent = 0
    for watch in Watch.objects.select_related("recommendation__report", "report").order_by("pk").iterator(chunk_size=500):
        sent += _notify_one(watch, today=today)
    return sent
