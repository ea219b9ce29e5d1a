"""The real SMTP server and the bodies from the job tests, and a link reader for the emails."""

import re

import pytest

from tests.jobs.conftest import actors, site_url, smtp, smtp_server  # noqa: F401 (fixtures)


def link_in(message, path_start: str) -> str:
    """The path of the first link in an email's text that starts with ``path_start``."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"https://tracker\.example\.org(" + re.escape(path_start) + r"\S+)", body)
    assert found, f"no {path_start} link in: {body}"
    return found.group(1)


@pytest.fixture
def user_agent(client):
    return client
