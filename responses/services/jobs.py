"""Writes for the Celery jobs: overdue flags, digest subscriptions and the weekly digest's delivery.

Commands and tasks read ``today`` once (``tracker.clock.today()``) and pass it in; nothing here
reads the date from the clock. (``timezone.now()`` stamps *when* a row changed, which is a record
of the moment, not deadline logic.)

The digest's guarantee (ARCHITECTURE.md, "The weekly digest: what is guaranteed") rests on
``DigestDelivery``: one row per (subscriber, ISO week), unique in the database, created before
anything is sent. Sending claims the row with a conditional UPDATE (only one worker can win), sends,
then marks it sent. The one gap no SMTP client can close is a process dying after the server
accepted a message and before the row says so: that claim goes stale after
``DIGEST_CLAIM_TIMEOUT_SECONDS`` and the message is sent again with the same Message-ID, so a crash
repeats at most the one message each process had in flight, recognisably, rather than losing it.
Until then ``send_digest`` names it (``digest_in_flight``).
"""

from __future__ import annotations

import copy
import datetime
import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Organisation, Recommendation, Report

from ..digest import (
    DigestContent,
    absolute_url,
    digest_content,
    digest_content_kept,
    digest_subscribers,
    digest_window_for,
    digest_windows_for,
    week_start_of,
)
from ..models import Commitment, DigestDelivery, DigestSubscription, OverdueFlag

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "responses.digest.unsubscribe"
PREFERENCES_SALT = "responses.digest.preferences"


# --- Overdue flags -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRefresh:
    raised: int
    resolved: int
    open: int

    def __str__(self) -> str:
        return f"raised {self.raised}, resolved {self.resolved}, open {self.open}"


_ITEM_FIELD = {
    OverdueFlag.Kind.RECOMMENDATION: "recommendation_id",
    OverdueFlag.Kind.REPORT_REPLY: "report_id",
    OverdueFlag.Kind.COMMITMENT: "commitment_id",
}


def _overdue_on(today: datetime.date) -> dict[str, dict[int, datetime.date]]:
    """Every overdue item on ``today`` by kind, mapped to the due date that passed."""
    return {
        OverdueFlag.Kind.RECOMMENDATION: dict(Recommendation.objects.overdue(today=today).values_list("pk", "deadline")),
        OverdueFlag.Kind.REPORT_REPLY: {
            report.pk: report.response_due.date for report in Report.objects.response_overdue(today=today)
        },
        OverdueFlag.Kind.COMMITMENT: dict(Commitment.objects.overdue(today=today).values_list("pk", "due_date")),
    }


def _resolutions(flags: list[OverdueFlag], today: datetime.date) -> dict[int, str]:
    """Why each of ``flags`` (no longer overdue) is resolved, in three queries at most."""
    def ids(kind: str) -> set[int]:
        return {getattr(f, _ITEM_FIELD[kind]) for f in flags if f.kind == kind} - {None}

    answered = set(Recommendation.objects.filter(pk__in=ids(OverdueFlag.Kind.RECOMMENDATION)).answered(today=today).values_list("pk", flat=True))
    responded = set(Report.objects.filter(pk__in=ids(OverdueFlag.Kind.REPORT_REPLY)).responded(today=today).values_list("pk", flat=True))
    closed = set(Commitment.objects.filter(pk__in=ids(OverdueFlag.Kind.COMMITMENT)).exclude(status=Commitment.Status.OPEN).values_list("pk", flat=True))
    done = {
        OverdueFlag.Kind.RECOMMENDATION: (answered, OverdueFlag.Resolution.REPLY_RECEIVED),
        OverdueFlag.Kind.REPORT_REPLY: (responded, OverdueFlag.Resolution.REPLY_RECEIVED),
        OverdueFlag.Kind.COMMITMENT: (closed, OverdueFlag.Resolution.COMMITMENT_CLOSED),
    }
    reasons = {}
    for flag in flags:
        item_id = getattr(flag, _ITEM_FIELD[flag.kind])
        finished, reason = done[flag.kind]
        if item_id is None:
            reasons[flag.pk] = OverdueFlag.Resolution.ITEM_DELETED
        elif item_id in finished:
            reasons[flag.pk] = reason
        else:
            reasons[flag.pk] = OverdueFlag.Resolution.DATE_CHANGED
    return reasons


# Any constant shared by every flag run: the key of PostgreSQL's transaction-level advisory lock.
_FLAG_RUN_LOCK = 0x7472_6163_6B66_6C67 >> 1  # "trackflg", within a signed bigint


def _one_flag_run_at_a_time() -> None:
    """Wait here until no other flag run is in progress (call inside the run's transaction; the
    lock goes with it). Without this, two runs at once both read that an item has no open flag and
    both insert one, and the second fails on the one-open-flag index."""
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FLAG_RUN_LOCK])
        elif connection.vendor == "sqlite":
            # SQLite has one writer at a time: a write that changes nothing takes the write lock
            # now, rather than after reading (when the second run would read stale data).
            cursor.execute(f"UPDATE {OverdueFlag._meta.db_table} SET id = id WHERE 0 = 1")


def flags_refresh(*, today: datetime.date) -> FlagRefresh:
    """Raise a flag for everything overdue on ``today`` that has no open flag, and resolve open
    flags whose item is no longer overdue (a reply arrived, a commitment was closed, a date moved).

    Idempotent: a second run on the same day raises and resolves nothing. Two runs at once take
    turns (``_one_flag_run_at_a_time``): the second waits for the first to commit, then finds its
    flags and raises nothing. (The database also allows only one open flag per item.)
    """
    now = timezone.now()
    with transaction.atomic():
        _one_flag_run_at_a_time()
        overdue = _overdue_on(today)
        open_flags = list(OverdueFlag.objects.open().select_for_update())
        still_open = set()
        to_resolve = []
        for flag in open_flags:
            item_id = getattr(flag, _ITEM_FIELD[flag.kind])
            if item_id is not None and item_id in overdue[flag.kind]:
                still_open.add((flag.kind, item_id))
            else:
                to_resolve.append(flag)
        reasons = _resolutions(to_resolve, today)
        for flag in to_resolve:
            flag.resolved_on, flag.resolved_at, flag.resolution = today, now, reasons[flag.pk]
            flag.updated_at = now
        OverdueFlag.objects.bulk_update(to_resolve, ["resolved_on", "resolved_at", "resolution", "updated_at"])

        # bulk_create skips full_clean(); the database's check and unique constraints hold the rules.
        new_flags = [
            OverdueFlag(kind=kind, due_date=due, raised_on=today, raised_at=now, **{_ITEM_FIELD[kind]: item_id})
            for kind, items in overdue.items()
            for item_id, due in sorted(items.items())
            if (kind, item_id) not in still_open
        ]
        # No kept page shows flags (only the recommendation's own page, worked out per request), so
        # the flag run keeps every page: pagecache's watch_models ignores them too.
        OverdueFlag.objects.bulk_create(new_flags)
        open_count = OverdueFlag.objects.open().count()
    result = FlagRefresh(raised=len(new_flags), resolved=len(to_resolve), open=open_count)
    logger.info("Overdue flags on %s: %s", today.isoformat(), result)
    return result


# --- Subscriptions -------------------------------------------------------------------------------


def digest_subscription_update(
    *, user, subscribed: bool, organisations: Iterable[Organisation] = (), reports: Iterable[Report] | None = None
) -> DigestSubscription:
    """Subscribe or unsubscribe ``user``; ``organisations`` and ``reports`` narrow the digest (none:
    everything; ``reports`` None leaves the reports chosen as they are)."""
    with transaction.atomic():
        subscription, _ = DigestSubscription.objects.select_for_update().get_or_create(user=user)
        if subscription.subscribed and not subscribed:
            subscription.unsubscribed_at = timezone.now()
        elif subscribed:
            subscription.unsubscribed_at = None
        subscription.subscribed = subscribed
        subscription.full_clean()
        subscription.save()
        subscription.organisations.set(organisations)
        if reports is not None:
            subscription.reports.set(reports)
    return subscription


def unsubscribe_token(user) -> str:
    """A signed token naming the user; unsubscribe links carry it, so they work without signing in.
    It does not expire: an old digest's link must still work."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user) -> str:
    return absolute_url(reverse("digest-unsubscribe", args=[unsubscribe_token(user)]))


def preferences_token(user) -> str:
    """A signed token naming the user for the preferences page: people who subscribed by email
    alone have no password, so the link in each digest is how they change what they get. Like the
    unsubscribe link it does not expire, and it can change only the digest's choices."""
    return signing.dumps({"user": user.pk}, salt=PREFERENCES_SALT)


def preferences_url(user) -> str:
    return absolute_url(reverse("digest-preferences-link", args=[preferences_token(user)]))


def digest_unsubscribe(*, token: str) -> DigestSubscription:
    """Unsubscribe whoever ``token`` names. Raises ``signing.BadSignature`` for a forged or damaged
    token and ``DigestSubscription.DoesNotExist`` when there is no such subscription."""
    user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)["user"]
    with transaction.atomic():
        subscription = DigestSubscription.objects.select_for_update().get(user_id=user_id)
        if subscription.subscribed:
            subscription.subscribed = False
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["subscribed", "unsubscribed_at", "updated_at"])
    logger.info("User %s unsubscribed from the digest by link", user_id)
    return subscription


# --- The digest ----------------------------------------------------------------------------------


def _message_id(*, user_id: int, week_start: datetime.date) -> str:
    # The same for every attempt at this subscriber's digest for this week: a resend after a lost
    # acknowledgement is recognisable as the same message.
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<digest.{user_id}.{week_start:%G-W%V}@{host}>"


def digest_subject(content: DigestContent) -> str:
    counts = content.counts()
    return (
        f"What changed, week of {content.week_start:%-d %B %Y}: "
        f"{counts['replies']} new replies, {counts['changes']} status changes, "
        f"{counts['newly_overdue']} newly overdue, {counts['due_soon']} due soon, {counts['still_overdue']} still overdue"
    )


def content_for_subscriber(*, content: DigestContent, user_id: int, window: int | None = None) -> DigestContent:
    """The week's content over this subscriber's window (since their last digest; ``window`` when
    the caller read it already): built once per distinct window and kept on ``content``, so a run
    reads the database once per window, not per subscriber."""
    if window is None:
        window = digest_window_for(user_id=user_id, today=content.today)
    if window == content.window_days:
        return content
    key = ("window", window)
    if key not in content.rendered:
        content.rendered[key] = digest_content(today=content.today, window_days=window)
    return content.rendered[key]


@dataclass(frozen=True)
class _Audience:
    """The part of a week's digest for one set of choices, with its totals: worked out once per
    set of choices and shared by every subscriber who made the same ones."""

    content: DigestContent
    item_count: int
    counts: dict[str, int]


def _audience(*, subscription: DigestSubscription, content: DigestContent) -> _Audience:
    organisation_ids = frozenset(org.pk for org in subscription.organisations.all())
    report_ids = frozenset(report.pk for report in subscription.reports.all())
    key = ("audience", organisation_ids, report_ids)
    if key not in content.rendered:
        mine = content.for_choices(organisation_ids=set(organisation_ids), report_ids=set(report_ids)).fit_to_email(settings.DIGEST_MAX_ITEMS)
        content.rendered[key] = _Audience(content=mine, item_count=mine.item_count, counts=mine.counts())
    return content.rendered[key]


def subscriber_content(*, subscription: DigestSubscription, content: DigestContent) -> DigestContent:
    """The part of the week's digest a subscriber asked for (everything unless they chose bodies or reports)."""
    return _audience(subscription=subscription, content=content).content


# Stand-ins for the one subscriber-specific part of a digest (the unsubscribe link), so the email is
# rendered once per audience and each subscriber's copy is a string replacement: with a thousand
# subscribers and a long digest, rendering dominates the weekly send otherwise. The templates must
# therefore name nothing else about the subscriber.
_UNSUBSCRIBE_MARK = "https://digest.invalid/unsubscribe-link"
_PREFERENCES_MARK = "https://digest.invalid/preferences-link"


def _digest_rendered(*, content: DigestContent, mine: DigestContent, narrowed_to: list[str]) -> tuple[str, str, str]:
    key = ("email", tuple(narrowed_to))
    if key not in content.rendered:
        context = {
            "content": mine,
            "counts": mine.counts(),
            "narrowed_to": narrowed_to,
            "unsubscribe_url": _UNSUBSCRIBE_MARK,
            "preferences_url": _PREFERENCES_MARK,
            "site_url": settings.SITE_URL,
        }
        content.rendered[key] = (
            digest_subject(mine),
            render_to_string("email/digest.txt", context),
            render_to_string("email/digest.html", context),
        )
    return content.rendered[key]


def digest_build(*, subscription: DigestSubscription, content: DigestContent) -> EmailMultiAlternatives | None:
    """The digest email for one subscriber (plain text and HTML), or None when it would say nothing
    and ``DIGEST_SEND_WHEN_EMPTY`` is off. ``content`` is the whole week's; it is narrowed here to
    the bodies the subscriber chose."""
    audience = _audience(subscription=subscription, content=content)
    if not audience.item_count and not settings.DIGEST_SEND_WHEN_EMPTY:
        return None
    mine = audience.content
    user = subscription.user
    unsubscribe = unsubscribe_url(user)
    narrowed_to = sorted(str(org) for org in subscription.organisations.all()) + sorted(f"the report {report.title}" for report in subscription.reports.all())
    preferences = preferences_url(user)
    subject, text, html = _digest_rendered(content=content, mine=mine, narrowed_to=narrowed_to)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text.replace(_UNSUBSCRIBE_MARK, unsubscribe).replace(_PREFERENCES_MARK, preferences),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "Message-ID": _message_id(user_id=user.pk, week_start=mine.week_start),
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html.replace(_UNSUBSCRIBE_MARK, unsubscribe).replace(_PREFERENCES_MARK, preferences), "text/html")
    return message


def digest_deliveries_prepare(*, today: datetime.date) -> list[DigestDelivery]:
    """Record a delivery for every current subscriber for ``today``'s ISO week (rows that exist are
    kept as they are) and return the week's deliveries still to send: pending, failed, or claimed by
    a worker that went quiet."""
    week_start = week_start_of(today)
    subscribers = list(digest_subscribers())
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user=s.user, week_start=week_start, digest_date=today, email=s.user.email) for s in subscribers],
        ignore_conflicts=True,  # the unique (user, week) constraint: an existing row wins
    )
    in_flight = digest_in_flight(week_start=week_start)
    if in_flight:  # claimed by another process before this run: maybe one that was killed mid-send
        logger.warning("%s", in_flight_notice(_in_flight_lines(in_flight)))
    return list(
        DigestDelivery.objects.filter(week_start=week_start, user__in=[s.user for s in subscribers])
        .filter(_claimable(timezone.now()))
        .select_related("user")
        .order_by("pk")
    )


def _claimable(now: datetime.datetime) -> Q:
    stale = now - datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS)
    return Q(status__in=[DigestDelivery.Status.PENDING, DigestDelivery.Status.FAILED]) | Q(
        status=DigestDelivery.Status.SENDING, claimed_at__lt=stale
    )


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"  # sent now
    SKIPPED = "skipped"  # nothing to say, or no longer subscribed
    DONE_BEFORE = "done_before"  # already sent or skipped by an earlier run: nothing sent
    BUSY = "busy"  # another worker holds a fresh claim on it


def _mark(delivery_id: int, **fields) -> None:
    DigestDelivery.objects.filter(pk=delivery_id).update(updated_at=timezone.now(), **fields)


def digest_deliver(
    *, delivery_id: int, content: DigestContent | None = None, connection=None
) -> DeliveryOutcome:
    """Send one recorded delivery if nobody has (see the guarantee in ARCHITECTURE.md).

    On an SMTP or network error the delivery is marked failed with the error, the failure is
    logged, and the exception is raised again so the caller (a Celery task) retries it.
    """
    now = timezone.now()
    claimed = DigestDelivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=DigestDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    delivery = DigestDelivery.objects.select_related("user").get(pk=delivery_id)
    if not claimed:
        return DeliveryOutcome.BUSY if delivery.status == DigestDelivery.Status.SENDING else DeliveryOutcome.DONE_BEFORE
    subscription = digest_subscribers().filter(user=delivery.user).first()
    if content is None or content.today != delivery.digest_date:
        content = digest_content_kept(today=delivery.digest_date)
    return _send_claimed(delivery, subscription=subscription, content=content, connection=connection)


def _send_claimed(
    delivery: DigestDelivery, *, subscription: DigestSubscription | None, content: DigestContent, connection, window: int | None = None
) -> DeliveryOutcome:
    """Send a delivery this process has claimed (``content`` is its digest day's), and record the
    outcome: one UPDATE, right after the email went (or failed)."""
    delivery_id = delivery.pk
    if subscription is None:
        _mark(delivery_id, status=DigestDelivery.Status.SKIPPED, last_error="No longer subscribed when it was due to go.")
        return DeliveryOutcome.SKIPPED
    content = content_for_subscriber(content=content, user_id=delivery.user_id, window=window)
    message = digest_build(subscription=subscription, content=content)
    items = _audience(subscription=subscription, content=content).item_count
    if message is None:
        _mark(delivery_id, status=DigestDelivery.Status.SKIPPED, items=0, last_error="")
        return DeliveryOutcome.SKIPPED
    try:
        message.connection = connection
        message.send(fail_silently=False)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        _mark(delivery_id, status=DigestDelivery.Status.FAILED, last_error=error)
        logger.warning(
            "Digest for %s (week of %s) failed on attempt %d; it will be retried: %s",
            delivery.user.email, delivery.week_start, delivery.attempts, error,
        )
        raise
    _mark(
        delivery_id,
        status=DigestDelivery.Status.SENT,
        sent_at=timezone.now(),
        email=delivery.user.email,
        message_id=message.extra_headers["Message-ID"],
        items=items,
        last_error="",
    )
    logger.info("Digest for %s (week of %s) sent with %d items", delivery.user.email, delivery.week_start, items)
    return DeliveryOutcome.SENT


@dataclass(frozen=True)
class DigestLine:
    """What one subscriber gets (or got) this week, for the send_digest command to print."""

    email: str
    outcome: str
    counts: dict[str, int] | None = None
    note: str = ""
    claimed_at: datetime.datetime | None = None  # for IN_FLIGHT: when its worker claimed it

    def __str__(self) -> str:
        text = f"{self.email}: {self.outcome}"
        if self.counts is not None:
            c = self.counts
            text += (
                f" ({c['newly_overdue']} newly overdue, {c['still_overdue']} still overdue, "
                f"{c['due_soon']} due soon, {c['replies']} replies received)"
            )
        return f"{text}; {self.note}" if self.note else text


IN_FLIGHT = "being sent"  # DigestLine.outcome of a delivery another process claimed and has not finished


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}"


def digest_in_flight(*, week_start: datetime.date) -> list[DigestDelivery]:
    """The week's deliveries a worker claimed and has not finished, whose claim is not yet stale:
    being sent right now, or left behind by a worker that stopped (crashed, killed) mid-send.
    Either way nobody sends them again before the claim is ``DIGEST_CLAIM_TIMEOUT_SECONDS`` old."""
    return list(
        DigestDelivery.objects.filter(week_start=week_start, status=DigestDelivery.Status.SENDING)
        .exclude(_claimable(timezone.now()))
        .order_by("claimed_at", "pk")
    )


def _in_flight_lines(deliveries: list[DigestDelivery]) -> list[DigestLine]:
    return [
        DigestLine(d.email, IN_FLIGHT, note=f"claimed {_when(d.claimed_at)} and not finished", claimed_at=d.claimed_at)
        for d in deliveries
    ]


def in_flight_notice(lines: list[DigestLine]) -> str:
    """One paragraph on the digests left in flight (empty when there are none), e.g. after a worker
    was killed mid-send: who, since when, and when they will go again."""
    in_flight = [line for line in lines if line.outcome == IN_FLIGHT]
    if not in_flight:
        return ""
    who = ", ".join(f"{line.email}, claimed {_when(line.claimed_at)}" for line in in_flight)
    count = "1 digest was" if len(in_flight) == 1 else f"{len(in_flight)} digests were"
    return (
        f"{count} being sent when a worker stopped, or is still being sent: {who}. If that worker "
        "stopped, the mail server may or may not have it: it will be sent again with the same "
        f"Message-ID (so mail clients show it once) once the claim is older than "
        f"DIGEST_CLAIM_TIMEOUT_SECONDS ({settings.DIGEST_CLAIM_TIMEOUT_SECONDS} s), by the worker's "
        "retry or by running send_digest again."
    )


def _dry_run_lines(content: DigestContent, done: dict, in_flight: set[int]) -> list[DigestLine]:
    lines = []
    for subscription in digest_subscribers():
        email = subscription.user.email
        if subscription.user_id in done:
            earlier = done[subscription.user_id]
            lines.append(DigestLine(email, f"already {earlier.get_status_display().lower()} this week"))
        elif subscription.user_id in in_flight:
            continue  # listed by _in_flight_lines
        elif not (mine := _audience(subscription=subscription, content=content)).item_count and not settings.DIGEST_SEND_WHEN_EMPTY:
            lines.append(DigestLine(email, "would get nothing (nothing to say)"))
        else:
            lines.append(DigestLine(email, f"would get {mine.item_count} items", mine.counts))
    return lines


def _deliver_all(today: datetime.date, content: DigestContent) -> list[tuple]:
    """Claim and send each of the week's deliveries still to send, one after another:
    (delivery as it was before the claim, outcome or None, exception or None, its subscription).
    Each is claimed on its own just before it goes (so a run killed part-way leaves at most the one
    in flight claimed, and a rerun sends the rest at once); the subscriptions and "since your last
    digest" windows are read once per ``DIGEST_BATCH_SIZE`` deliveries, as a batch task reads them."""
    # One SMTP session for the whole run rather than one per subscriber; after a failure it is
    # closed, so the next subscriber's digest opens a fresh one.
    connection = get_connection()
    contents = {content.today: content}
    deliveries = digest_deliveries_prepare(today=today)
    size = max(1, settings.DIGEST_BATCH_SIZE)
    outcomes = []
    try:
        for start in range(0, len(deliveries), size):
            outcomes += _deliver_chunk(deliveries[start : start + size], contents=contents, connection=connection)
    finally:
        connection.close()
    return outcomes


def _deliver_chunk(chunk: list[DigestDelivery], *, contents: dict[datetime.date, DigestContent], connection) -> list[tuple]:
    subscriptions = {s.user_id: s for s in digest_subscribers().filter(user_id__in=[d.user_id for d in chunk])}
    days = {d.digest_date for d in chunk}
    windows = {day: digest_windows_for(user_ids=[d.user_id for d in chunk if d.digest_date == day], today=day) for day in days}
    outcomes = []
    for delivery in chunk:
        subscription = subscriptions.get(delivery.user_id)
        day = delivery.digest_date
        try:
            if day not in contents:  # recorded earlier in the week: that day's digest
                contents[day] = digest_content(today=day)
            connection.open()  # does nothing while the session is open
            window = windows[day][delivery.user_id]
            outcome = _deliver_claiming(delivery, subscription=subscription, content=contents[day], window=window, connection=connection)
            outcomes.append((delivery, outcome, None, subscription))
        except Exception as exc:  # recorded on the delivery and logged by _send_claimed
            connection.close()
            outcomes.append((delivery, None, exc, subscription))
    return outcomes


def _deliver_claiming(delivery: DigestDelivery, *, subscription, content: DigestContent, window: int, connection) -> DeliveryOutcome:
    """``digest_deliver`` for a delivery read already: claim it (one UPDATE, the same condition),
    then send it unless another process holds it or finished it."""
    now = timezone.now()
    if not _claim([delivery.pk], now=now):
        status = DigestDelivery.objects.filter(pk=delivery.pk).values_list("status", flat=True).first()
        return DeliveryOutcome.BUSY if status == DigestDelivery.Status.SENDING else DeliveryOutcome.DONE_BEFORE
    claimed = copy.copy(delivery)  # as the claim left it; ``delivery`` stays as it was before
    claimed.status, claimed.claimed_at, claimed.attempts = DigestDelivery.Status.SENDING, now, delivery.attempts + 1
    return _send_claimed(claimed, subscription=subscription, content=content, connection=connection, window=window)


def _claim(delivery_ids: list[int], *, now: datetime.datetime, renewing: datetime.datetime | None = None) -> set[int]:
    """Claim the claimable ones of ``delivery_ids`` in one ``UPDATE ... RETURNING`` (the same
    condition as ``digest_deliver``'s one-row claim), or with ``renewing``, refresh this process's
    own claims made at that moment. Returns the ids now held."""
    if not delivery_ids:
        return set()
    table = DigestDelivery._meta.db_table
    ids = ", ".join(["%s"] * len(delivery_ids))
    stored = db_connection.ops.adapt_datetimefield_value  # as the ORM writes them (SQLite: text)
    sending = DigestDelivery.Status.SENDING
    if renewing is None:
        stale = now - datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS)
        held = "(status IN (%s, %s) OR (status = %s AND claimed_at < %s))"
        held_params = [DigestDelivery.Status.PENDING, DigestDelivery.Status.FAILED, sending, stored(stale)]
        attempts = ", attempts = attempts + 1"
    else:
        held, held_params, attempts = "status = %s AND claimed_at = %s", [sending, stored(renewing)], ""
    sql = f"UPDATE {table} SET status = %s, claimed_at = %s, updated_at = %s{attempts} WHERE id IN ({ids}) AND {held} RETURNING id"
    with db_connection.cursor() as cursor:
        cursor.execute(sql, [sending, stored(now), stored(now), *delivery_ids, *held_params])
        return {row[0] for row in cursor.fetchall()}


def digest_deliver_batch(*, delivery_ids: list[int]) -> dict[int, DeliveryOutcome | Exception]:
    """Send each of ``delivery_ids`` that nobody sent or is sending, in a fixed number of queries
    per batch plus one per delivery (its outcome, recorded right after its email goes): the batch's
    rows claimed in one UPDATE (a delivery another task holds or sent is left alone, exactly as
    ``digest_deliver`` would), the deliveries, their subscriptions and their windows read once, the
    week's content built once per digest day, one SMTP session (closed after a failure; the next
    delivery opens a new one). Claims older than half ``DIGEST_CLAIM_TIMEOUT_SECONDS`` are renewed
    before the next email, so no other worker can take them over mid-batch.
    Returns each delivery's outcome, or the exception it failed with (recorded on the delivery)."""
    claimed_at = timezone.now()
    held = _claim(delivery_ids, now=claimed_at)
    deliveries = {d.pk: d for d in DigestDelivery.objects.filter(pk__in=delivery_ids).select_related("user")}
    subscriptions = {s.user_id: s for s in digest_subscribers().filter(user_id__in=[d.user_id for d in deliveries.values() if d.pk in held])}
    contents: dict[datetime.date, DigestContent] = {}
    windows: dict[datetime.date, dict[int, int]] = {}
    for day in sorted({d.digest_date for d in deliveries.values() if d.pk in held}):
        windows[day] = digest_windows_for(user_ids=[d.user_id for d in deliveries.values() if d.digest_date == day], today=day)
    connection = get_connection()
    outcomes: dict[int, DeliveryOutcome | Exception] = {}
    attempting = None
    try:
        for delivery_id in delivery_ids:
            delivery = deliveries.get(delivery_id)
            if delivery is None:
                continue  # deleted since it was queued (its subscriber was removed)
            if delivery_id in held and timezone.now() - claimed_at > datetime.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS / 2):
                left = [pk for pk in delivery_ids if pk in held and pk not in outcomes]
                renewed_at = timezone.now()
                held = (held - set(left)) | _claim(left, now=renewed_at, renewing=claimed_at)
                claimed_at = renewed_at
            if delivery_id not in held:
                sending = delivery.status == DigestDelivery.Status.SENDING
                outcomes[delivery_id] = DeliveryOutcome.BUSY if sending else DeliveryOutcome.DONE_BEFORE
                continue
            day = delivery.digest_date
            if day not in contents:  # kept in this process between batches until the data changes
                contents[day] = digest_content_kept(today=day)
            attempting = delivery_id
            try:
                connection.open()  # does nothing while the session is open
                outcomes[delivery_id] = _send_claimed(
                    delivery,
                    subscription=subscriptions.get(delivery.user_id),
                    content=contents[day],
                    connection=connection,
                    window=windows[day][delivery.user_id],
                )
            except Exception as exc:  # recorded on the delivery and logged by _send_claimed
                connection.close()
                outcomes[delivery_id] = exc
            attempting = None
    finally:
        connection.close()
        # Stopped early (the database went away, the worker is shutting down): what this batch
        # claimed and never tried goes back to pending at once, not after the claim timeout. The
        # one being sent when it stopped, if any, stays claimed: it may have gone.
        _release(held - set(outcomes) - {attempting}, claimed_at=claimed_at)
    return outcomes


def _release(delivery_ids: set[int], *, claimed_at: datetime.datetime) -> None:
    if not delivery_ids:
        return
    try:
        DigestDelivery.objects.filter(pk__in=delivery_ids, status=DigestDelivery.Status.SENDING, claimed_at=claimed_at).update(
            status=DigestDelivery.Status.PENDING, attempts=F("attempts") - 1, updated_at=timezone.now()
        )
    except DatabaseError:  # left claimed: sent once the claim goes stale
        logger.warning("Could not release %d digest deliveries this batch claimed and did not send.", len(delivery_ids))


def _outcome_line(delivery: DigestDelivery, outcome: DeliveryOutcome | None, exc, content: DigestContent, subscription=None) -> DigestLine | None:
    if exc is not None:
        return DigestLine(delivery.email, "FAILED", note=f"{type(exc).__name__}: {exc}; run again to retry")
    if outcome == DeliveryOutcome.SENT:
        if subscription is None:
            subscription = DigestSubscription.objects.prefetch_related("organisations", "reports").get(user_id=delivery.user_id)
        mine = _audience(subscription=subscription, content=content)
        note = ""
        if delivery.status == DigestDelivery.Status.SENDING:  # a stale claim, taken over
            note = (
                f"sent again with the same Message-ID: a worker claimed it {_when(delivery.claimed_at)} "
                "and stopped before recording it as sent"
            )
        return DigestLine(delivery.email, f"sent {mine.item_count} items", mine.counts, note=note)
    if outcome == DeliveryOutcome.SKIPPED:
        return DigestLine(delivery.email, "nothing sent (nothing to say, or unsubscribed)")
    return None  # BUSY (another worker claimed it meanwhile): listed by _in_flight_lines


def digest_send(*, today: datetime.date, dry_run: bool = False) -> list[DigestLine]:
    """Send this ISO week's digest to every subscriber who has not had it, one after another.

    A failed send is recorded, logged and reported, and the rest still go; running it again sends
    only what was not sent. A delivery another process claimed and has not finished (a worker
    killed mid-send) is listed as ``IN_FLIGHT`` until its claim goes stale, then sent again with
    the same Message-ID. With ``dry_run`` nothing is written or sent: it says who would get what.
    """
    content = digest_content(today=today)
    week_start = week_start_of(today)
    done = {
        d.user_id: d
        for d in DigestDelivery.objects.filter(
            week_start=week_start, status__in=[DigestDelivery.Status.SENT, DigestDelivery.Status.SKIPPED]
        )
    }
    if dry_run:
        in_flight = digest_in_flight(week_start=week_start)
        return _dry_run_lines(content, done, {d.user_id for d in in_flight}) + _in_flight_lines(in_flight)

    lines = [
        line
        for delivery, outcome, exc, subscription in _deliver_all(today, content)
        if (line := _outcome_line(delivery, outcome, exc, content, subscription)) is not None
    ]
    lines += [DigestLine(earlier.email, f"already {earlier.get_status_display().lower()} this week") for earlier in done.values()]
    return lines + _in_flight_lines(digest_in_flight(week_start=week_start))
