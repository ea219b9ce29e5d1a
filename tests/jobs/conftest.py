"""Fixtures for the Celery job tests: a real SMTP server, subscribers and the seed data.

The end-to-end test starts a worker in its own process, which must see the rows the test wrote:
``tests/conftest.py`` makes the SQLite test database a file for that.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from recommendations.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "fixtures" / "sources" / "manifest.json"
SITE_URL = "https://tracker.example.org"


# --- A real SMTP server ------------------------------------------------------------------------


@dataclass
class MailHandler:
    """Keeps every message the server accepted. Set ``accept`` to accept that many in all and
    refuse the rest with a temporary failure (a server that goes away part-way), or
    ``refuse_next`` to refuse only the next few (a server that hiccups)."""

    accept: int | None = None
    refuse_next: int = 0
    received: list = field(default_factory=list)
    refused: int = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next or (self.accept is not None and len(self.received) >= self.accept):
            self.refuse_next = max(0, self.refuse_next - 1)
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.received.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address: str) -> list:
        return [message for rcpts, message in self.received if address in rcpts]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 for the length of one test; yields (controller, handler)."""
    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), loop=asyncio.new_event_loop())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """Django's SMTP backend pointed at the test's own SMTP server; yields the server's handler."""
    controller, handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return handler


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL
    settings.DIGEST_SEND_WHEN_EMPTY = False
    return SITE_URL


# --- People and bodies -----------------------------------------------------------------------


@pytest.fixture
def actors(db):
    """The three bodies recommendations are addressed to, as the importer names them."""
    make = Organisation.objects.get_or_create
    return {
        "Mayor": make(short_name="Mayor", defaults={"name": "Mayor of London", "slug": "mayor-of-london", "kind": Organisation.Kind.MAYOR})[0],
        "MOPAC": make(short_name="MOPAC", defaults={"name": "Mayor's Office for Policing and Crime", "slug": "mopac", "kind": Organisation.Kind.MOPAC})[0],
        "Met": make(
            short_name="Met",
            defaults={"name": "Metropolitan Police Service", "slug": "metropolitan-police-service", "kind": Organisation.Kind.POLICE},
        )[0],
    }


@pytest.fixture
def subscriber(db, django_user_model):
    """make a subscribed user: subscriber("ann@example.org", organisations=[...])."""
    from responses.services import digest_subscription_update

    def make(address: str, *, organisations=(), subscribed: bool = True):
        user = django_user_model.objects.create_user(username=address.split("@")[0], email=address, password="x" * 16)
        digest_subscription_update(user=user, subscribed=subscribed, organisations=organisations)
        return user

    return make


@pytest.fixture
def seed_data(db):
    """The five source documents imported as `import_sources --commit` would."""
    from importer.services import sources_import

    sources_import(manifest=MANIFEST, commit=True)
