"""Issue 16 (the weekly digest at 250,000 recommendations): the digest run shares its work between
subscribers with the same choices. Each subscriber must still get exactly the email a digest made
for them alone would be: the same subject, text, HTML, addressee and headers, their own
unsubscribe and preferences links, over their own "since your last digest" window, once a week."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail, signing
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from recommendations.models import DatePrecision
from responses.digest import digest_content, digest_window_for
from responses.models import DigestDelivery, DigestSubscription
from responses.services import digest_send, digest_subject, preferences_url, unsubscribe_url
from responses.services.jobs import PREFERENCES_SALT, UNSUBSCRIBE_SALT
from tests.factories import CommitmentFactory, RecommendationFactory, ReportFactory, ResponseFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)  # a Monday


@pytest.fixture
def data(actors):
    """Overdue, newly overdue and due-soon items for each body, in two reports, and a reply."""
    domestic = ReportFactory(published=None, title="Domestic abuse")
    knife = ReportFactory(published=None, title="Knife crime")
    made = []
    for n, (report, body, deadline) in enumerate(
        [
            (domestic, "MOPAC", "2020-05-31"),
            (domestic, "Met", "2026-11-20"),
            (knife, "MOPAC", "2026-11-30"),
            (knife, "Mayor", "2019-01-31"),
            (knife, "Met", "2026-11-18"),
        ],
        start=1,
    ):
        rec = RecommendationFactory(
            report=report,
            number=n,
            text=f"{body} should act on item {n} ‘soon’ …",
            deadline=deadline,
            deadline_text="by then",
            deadline_precision=DatePrecision.DAY,
        )
        rec.addressees.set([body and actors[body]])
        made.append(rec)
    response = ResponseFactory(recommendation=made[0])
    CommitmentFactory(response=response, recommendation=made[0], owner=actors["Met"], due_date=datetime.date(2026, 11, 25))
    return {"reports": {"domestic": domestic, "knife": knife}, "recommendations": made}


@pytest.fixture
def readers(data, actors, subscriber):
    """Subscribers with different choices: everything, one body, two bodies, a report, a body and a
    report, and one whose last digest was three weeks ago (a longer window)."""
    everyone = subscriber("all@example.org")
    subscriber("all2@example.org")
    subscriber("mopac@example.org", organisations=[actors["MOPAC"]])
    subscriber("mopac2@example.org", organisations=[actors["MOPAC"]])
    subscriber("two@example.org", organisations=[actors["Met"], actors["Mayor"]])
    report = subscriber("knife@example.org")
    DigestSubscription.objects.get(user=report).reports.set([data["reports"]["knife"]])
    both = subscriber("both@example.org", organisations=[actors["Met"]])
    DigestSubscription.objects.get(user=both).reports.set([data["reports"]["domestic"]])
    DigestDelivery.objects.create(
        user=everyone,
        week_start=TODAY - datetime.timedelta(days=21),
        digest_date=TODAY - datetime.timedelta(days=21),
        email=everyone.email,
        status=DigestDelivery.Status.SENT,
        sent_at=datetime.datetime(2026, 11, 2, 8, tzinfo=datetime.UTC),
    )


LINK = re.compile(r"/preferences/(unsubscribe|link)/([^/\s\"<>]+)/")


def _links(text: str) -> str:
    """``text`` with each signed link replaced by whom it names: the signature carries the second it
    was made, so two correct links made a second apart differ."""

    def named(match: re.Match) -> str:
        salt = UNSUBSCRIBE_SALT if match.group(1) == "unsubscribe" else PREFERENCES_SALT
        return f"/preferences/{match.group(1)}/user-{signing.loads(match.group(2), salt=salt)['user']}/"

    return LINK.sub(named, text)


def _alone(subscription: DigestSubscription, today: datetime.date) -> tuple[str, str, str] | None:
    """The digest made for this one subscriber, the plain way: their window's content, narrowed to
    their choices, both templates rendered with their own links."""
    content = digest_content(today=today, window_days=digest_window_for(user_id=subscription.user_id, today=today))
    mine = content.for_choices(organisation_ids={o.pk for o in subscription.organisations.all()}, report_ids={r.pk for r in subscription.reports.all()})
    if mine.is_empty and not settings.DIGEST_SEND_WHEN_EMPTY:
        return None
    context = {
        "content": mine,
        "counts": mine.counts(),
        "narrowed_to": sorted(str(o) for o in subscription.organisations.all()) + sorted(f"the report {r.title}" for r in subscription.reports.all()),
        "unsubscribe_url": unsubscribe_url(subscription.user),
        "preferences_url": preferences_url(subscription.user),
        "site_url": settings.SITE_URL,
    }
    return digest_subject(mine), render_to_string("email/digest.txt", context), render_to_string("email/digest.html", context)


def test_each_subscriber_gets_the_digest_made_for_them_alone(readers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    expected = {s.user.email: _alone(s, TODAY) for s in DigestSubscription.objects.select_related("user")}

    digest_send(today=TODAY)

    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {address for address, made in expected.items() if made is not None}
    assert len(mail.outbox) == len(sent)  # one each
    assert len({made[1] for made in expected.values() if made}) >= 5  # the choices really differ
    for address, message in sent.items():
        subject, text, html = expected[address]
        assert (message.subject, _links(message.body), _links(message.alternatives[0][0])) == (subject, _links(text), _links(html)), address
        assert message.alternatives[0][1] == "text/html"
        user = DigestSubscription.objects.get(user__email=address).user
        assert _links(message.extra_headers["List-Unsubscribe"]) == f"<{settings.SITE_URL}/preferences/unsubscribe/user-{user.pk}/>"
        assert message.extra_headers["Message-ID"] == f"<digest.{user.pk}.2026-W48@tracker.example.org>"
        assert f"/preferences/unsubscribe/user-{user.pk}/" in _links(message.body)
        assert f"/preferences/link/user-{user.pk}/" in _links(message.alternatives[0][0])


def test_what_goes_over_smtp_is_the_email_made_for_each_subscriber(readers, smtp):
    expected = {s.user.email: _alone(s, TODAY) for s in DigestSubscription.objects.select_related("user")}

    lines = digest_send(today=TODAY)

    received = {rcpts[0]: message for rcpts, message in smtp.received}
    assert len(smtp.received) == len(received) == sum(1 for made in expected.values() if made)
    assert sorted(line.email for line in lines if line.outcome.startswith("sent")) == sorted(received)
    for address, message in received.items():
        subject, text, html = expected[address]
        user = DigestSubscription.objects.get(user__email=address).user
        assert message["To"] == address and message["Subject"] == subject
        assert message["Message-ID"] == f"<digest.{user.pk}.2026-W48@tracker.example.org>"
        assert _links(message["List-Unsubscribe"].strip()) == f"<{settings.SITE_URL}/preferences/unsubscribe/user-{user.pk}/>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Date"] is not None
        # SMTP carries lines ending CRLF
        assert _links(message.get_body(("plain",)).get_content().replace("\r\n", "\n")) == _links(text)
        assert _links(message.get_body(("html",)).get_content().replace("\r\n", "\n")) == _links(html)


def test_a_second_run_the_same_week_sends_nothing_again(readers, smtp):
    digest_send(today=TODAY)
    first = len(smtp.received)
    lines = digest_send(today=TODAY + datetime.timedelta(days=1))

    assert len(smtp.received) == first
    assert all(line.outcome.startswith("already") for line in lines)


def _run_queries(subscriber, actors, count: int, start: int) -> int:
    for n in range(start, start + count):
        subscriber(f"reader{n:03d}@example.org", organisations=[actors["MOPAC"]] if n % 2 else ())
    DigestDelivery.objects.all().delete()
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        lines = digest_send(today=TODAY)
    assert len(mail.outbox) == len(lines) == start + count
    return len(queries.captured_queries)


def test_each_more_subscriber_costs_a_fixed_few_queries(data, actors, subscriber, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    small = _run_queries(subscriber, actors, 4, 0)
    large = _run_queries(subscriber, actors, 8, 4)  # 12 subscribers in all

    per_subscriber = (large - small) / 8
    assert per_subscriber == int(per_subscriber) and per_subscriber <= PER_SUBSCRIBER


# Claiming the delivery and recording its outcome: nothing else is read again per subscriber.
PER_SUBSCRIBER = 2
