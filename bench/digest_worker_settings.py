"""Settings for the Celery workers bench/digest_fanout.py starts: production-like (local settings,
real SMTP to the bench's sink, the bench's queue), with everything read from the environment."""

from tracker.settings.local import *  # noqa: F401,F403
from tracker.settings.local import env

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT")
EMAIL_USE_TLS = False
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "WARNING"}}
