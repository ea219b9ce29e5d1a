"""Fixtures: the real SMTP server, bodies and subscribers of the job tests, and a user per role."""

from tests.editing.conftest import client_for, users  # noqa: F401 (one user per role, signed in)
from tests.jobs.conftest import actors, site_url, smtp, smtp_server, subscriber  # noqa: F401
