"""Settings for the real Celery worker the end-to-end test starts in its own process.

The test settings, plus what only that worker needs: email through real SMTP (to the server the
test started) rather than an in-memory outbox nobody could read from outside the process, the
queue the test sends to (so the worker never takes another run's tasks from a shared Redis), and
fast retries so a refused message is retried through the broker within the test.
"""

from tracker.settings.test import *  # noqa: F401,F403
from tracker.settings.test import env

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT")
EMAIL_USE_TLS = False
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE")
SITE_URL = env("SITE_URL")
DIGEST_RETRY_BACKOFF_SECONDS = 1
DIGEST_RETRY_BACKOFF_MAX_SECONDS = 1
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
