"""Settings for the management commands the tests in this folder run in their own processes.

The test settings, plus what only such a process needs: email through real SMTP to the server the
test started (an in-memory outbox could not be read from outside the process) and the site address.
"""

from tracker.settings.test import *  # noqa: F401,F403
from tracker.settings.test import env

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_USE_TLS = False
SITE_URL = env("SITE_URL", default="https://tracker.example.org")
