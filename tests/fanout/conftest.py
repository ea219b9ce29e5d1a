"""The real SMTP server, broker and Celery worker of tests/jobs, shared here."""

from tests.jobs.conftest import actors, site_url, smtp_server, subscriber  # noqa: F401
from tests.jobs.test_end_to_end import broker, worker  # noqa: F401
