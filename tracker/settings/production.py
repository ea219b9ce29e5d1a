"""Production: SECRET_KEY has no default (startup fails without it), DEBUG off, secure cookies,
https only (redirect and HSTS). `manage.py check --deploy` is clean with the README's environment."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = env("SECRET_KEY")  # required: raises ImproperlyConfigured when unset
DEBUG = env.bool("DEBUG", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Behind a TLS proxy set TRUSTED_PROXY_COUNT (base.py): only then is X-Forwarded-Proto believed.
# http is redirected to https, except /healthz and /livez so a load balancer or an orchestrator can check over plain http.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^livez/?$"]
# HSTS: browsers use only https for this long (one year). Subdomains and the preload list are off
# unless asked for: they reach beyond this site and are slow to undo, so their checks are silenced
# only while they are deliberately off.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    check
    for check, chosen in (("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS), ("security.W021", SECURE_HSTS_PRELOAD))
    if not chosen
]
