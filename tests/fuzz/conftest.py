"""Shared by the hostile-input tests: how a request is made and judged.

Every request runs in its own savepoint: on PostgreSQL a failed statement would otherwise poison
the test's transaction and every later request would fail for that reason instead of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client


@dataclass
class Answer:
    status: int
    body: bytes
    response: HttpResponseBase

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def fetch(client: Client, url: str, *, method: str = "get", data=None) -> Answer:
    """The answer to ``url`` with its whole body read: a streamed feed that fails part-way is a
    broken download for the visitor, so it counts as a server error (500) here."""
    with transaction.atomic():
        response = getattr(client, method)(url, data=data or {})
        try:
            body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as error:  # noqa: BLE001 (reported as the failure it is)
            return Answer(500, f"the body failed part-way: {error!r}".encode(), response)
    return Answer(response.status_code, body, response)


@pytest.fixture
def anonymous():
    """A visitor who is not signed in. A server error comes back as a 500 response, as a visitor
    would see it, not as an exception in the test."""
    return Client(raise_request_exception=False)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="a-long-test-passphrase-41", email="root@example.org")


@pytest.fixture
def staff(superuser):
    """Signed in as an administrator (every staff page and the Django admin)."""
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client
