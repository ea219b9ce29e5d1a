"""Fixtures: the bodies and subscribers the job tests use."""

from tests.jobs.conftest import actors, site_url, smtp, smtp_server, subscriber  # noqa: F401 (fixtures)
