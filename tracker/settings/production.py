"""Production: SECRET_KEY has no default (startup fails without it), DEBUG off, secure cookies."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = env("SECRET_KEY")  # required: raises ImproperlyConfigured when unset
DEBUG = env.bool("DEBUG", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
