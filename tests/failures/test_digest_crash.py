"""The weekly digest after a crash: ``send_digest`` killed with SIGKILL mid-send, then run again.

The guarantee (ARCHITECTURE.md): every subscriber gets the week's digest; a crash can repeat at
most the one message that was in flight, and then with the same Message-ID; a rerun names the
digest left in flight until its claim goes stale, then sends it again.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from recommendations.dates import DatePrecision
from recommendations.models import Organisation
from responses.models import DigestDelivery
from responses.services import digest_subscription_update
from tests.factories import RecommendationFactory, ReportFactory

from .conftest import WAIT_SECONDS, run_command, start_command

MONDAY = "2026-12-07"
SITE_URL = "https://tracker.example.org"
ADDRESSES = [f"officer{n}@example.org" for n in range(5)]  # sent in this order


class HangingServer:
    """An SMTP server that hangs on the ``hang_on``-th message, before answering its DATA: having
    kept it (``accept_first``: the worst case, the mail is delivered and the sender never hears) or
    not. ``reached`` is set when it hangs; ``release`` lets it go on."""

    def __init__(self, *, hang_on: int, accept_first: bool) -> None:
        self.hang_on, self.accept_first = hang_on, accept_first
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.seen = 0
        self.reached, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        if self.seen == self.hang_on:
            if self.accept_first:
                self.received.append((envelope.rcpt_tos, message))
            self.reached.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 Too late"  # nobody is listening any more
        self.received.append((envelope.rcpt_tos, message))
        return "250 OK"

    def copies(self) -> Counter:
        return Counter(rcpt for rcpts, _ in self.received for rcpt in rcpts)

    def message_ids(self, address: str) -> list[str]:
        return [message["Message-ID"] for rcpts, message in self.received if address in rcpts]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hanging_server():
    """make(hang_on=N, accept_first=...) starts a HangingServer on 127.0.0.1 for the test; yields
    (server, its environment for a command)."""
    started = []

    def make(**kwargs):
        handler = HangingServer(**kwargs)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), loop=asyncio.new_event_loop())
        controller.start()
        started.append((controller, handler))
        return handler, {"EMAIL_HOST": controller.hostname, "EMAIL_PORT": str(controller.port), "SITE_URL": SITE_URL}

    yield make
    for controller, handler in started:
        handler.release.set()
        controller.stop()


@pytest.fixture
def subscribers(transactional_db, django_user_model):
    """Five subscribers, one recommendation overdue since May 2020 and its report's reply (overdue at the
    latest two months after that deadline), so each has a digest of two items."""
    mopac = Organisation.objects.create(short_name="MOPAC", name="Mayor's Office for Policing and Crime", slug="mopac", kind=Organisation.Kind.MOPAC)
    rec = RecommendationFactory(
        report=ReportFactory(published=None, title="Domestic abuse"), number=4,
        text="MOPAC should report back to this Committee, by May 2020, on training.",
        deadline="2020-05-31", deadline_text="by May 2020", deadline_precision=DatePrecision.MONTH,
    )
    rec.addressees.set([mopac])
    for address in ADDRESSES:
        user = django_user_model.objects.create_user(username=address.split("@")[0], email=address, password="x" * 16)
        digest_subscription_update(user=user, subscribed=True)
    return ADDRESSES


def _kill_mid_send(server: HangingServer, env: dict, test_database_url: str) -> None:
    process = start_command("send_digest", "--commit", "--today", MONDAY, DATABASE_URL=test_database_url, **env)
    try:
        if not server.reached.wait(timeout=WAIT_SECONDS):
            process.kill()
            raise AssertionError(f"send_digest never reached the message to hang on: {process.communicate()}")
        process.kill()  # SIGKILL: no cleanup, no chance to record anything
        process.wait()
    finally:
        server.release.set()
    assert process.returncode == -9


@pytest.mark.parametrize("accept_first", [True, False], ids=["server-kept-it", "server-never-had-it"])
def test_a_digest_run_killed_mid_send_reaches_everyone_repeating_at_most_the_one_in_flight(
    hanging_server, subscribers, test_database_url, accept_first
):
    server, env = hanging_server(hang_on=2, accept_first=accept_first)
    in_flight = ADDRESSES[1]

    _kill_mid_send(server, env, test_database_url)
    assert server.copies() == Counter({ADDRESSES[0]: 1} | ({in_flight: 1} if accept_first else {}))

    # Run again at once: the rest are sent, and the one left in flight is named, not sent.
    rerun = run_command("send_digest", "--commit", "--today", MONDAY, DATABASE_URL=test_database_url, **env)
    assert rerun.returncode == 0, rerun.stderr
    assert "1 digest was being sent when a worker stopped, or is still being sent: " in rerun.stdout
    assert f"{in_flight}, claimed " in rerun.stdout
    assert "sent again with the same Message-ID" in rerun.stdout and "DIGEST_CLAIM_TIMEOUT_SECONDS (900 s)" in rerun.stdout
    assert f"{in_flight}: being sent" in rerun.stdout
    assert all(f"{address}: sent 2 items" in rerun.stdout for address in ADDRESSES[2:])
    assert server.copies()[in_flight] == (1 if accept_first else 0)

    # Once the claim is stale (here: a timeout of 0 s), a rerun sends it again, with the same Message-ID.
    stale = run_command("send_digest", "--commit", "--today", MONDAY, DATABASE_URL=test_database_url, DIGEST_CLAIM_TIMEOUT_SECONDS="0", **env)
    assert stale.returncode == 0, stale.stderr
    assert f"{in_flight}: sent 2 items" in stale.stdout and "sent again with the same Message-ID" in stale.stdout
    assert "being sent when a worker stopped" not in stale.stdout

    copies = server.copies()
    assert set(copies) == set(ADDRESSES)
    assert all(copies[address] == 1 for address in ADDRESSES if address != in_flight)
    assert copies[in_flight] == (2 if accept_first else 1)
    ids = server.message_ids(in_flight)
    assert len(set(ids)) == 1 and ids[0].startswith("<digest.")  # mail clients show the repeat once
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {DigestDelivery.Status.SENT}

    # A further run sends nothing and names nothing in flight.
    again = run_command("send_digest", "--commit", "--today", MONDAY, DATABASE_URL=test_database_url, **env)
    assert server.copies() == copies and "being sent" not in again.stdout
