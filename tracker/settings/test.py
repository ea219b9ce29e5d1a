"""Test settings. External side effects are switched off here, and tests that need a real part
(PostgreSQL, Redis, SMTP, a browser) start or select it explicitly.

- DATABASE_URL still decides the database, so .ci/run runs the suite on PostgreSQL and on SQLite.
- Email goes to Django's in-memory outbox unless a test points it at its own SMTP server.
- Celery tasks run eagerly in-process unless a test starts a real worker.
- A fast password hasher: tests create many users; hashing strength is not under test.
"""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"  # noqa: S105 (tests only)
DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process's memory (tests clear it before each test); CACHE_URL still wins, e.g. for Redis.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
LOGGING = {"version": 1, "disable_existing_loggers": False}
