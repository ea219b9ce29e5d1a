"""Settings shared by every environment. Every value is read from the environment through ``env``.

The defaults are the embedded ones a newcomer's machine needs: SQLite and a filesystem Celery
broker under ``var/``, email written to files in ``var/mail/``. ``README.md`` lists every variable.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
# A developer's own overrides; never committed (see .gitignore).
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("TRACKER_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "tracker.admin_apps.TrackerAdminConfig",  # django.contrib.admin, with fixes for hostile input
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",  # who changed what, when: every change to recommendations, replies, commitments
    "axes",  # locks out repeated failed sign-ins
    "csp",  # Content-Security-Policy header (its checks catch settings in the pre-4.0 format)
    "recommendations",
    "responses",
    "pages",  # the public site: lists, search, exports, feeds, the dashboard (reads both apps above)
    "importer",  # reading documents and saving what was read (depends on recommendations and responses)
    "followup",  # chasers, the same ask across documents, status history as open data (issue 17)
    "alerts",  # subscribing by email (double opt-in) and watching one recommendation or report
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tracker.middleware.ReadPagesLoginMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out users before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
# None: signing out shows registration/logged_out.html ("You have signed out") instead of redirecting.
LOGOUT_REDIRECT_URL = None
# Scrutiny is public: read pages need no sign-in unless this is set.
READ_PAGES_REQUIRE_LOGIN = env.bool("READ_PAGES_REQUIRE_LOGIN", default=False)
# Sign-in lockout: this many failures for a username from an IP address locks it for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Proxies and browser security headers ------------------------------------------------------
# How many reverse proxies (TLS terminator, load balancer) stand in front of the web server. 0: none,
# so X-Forwarded-For and X-Forwarded-Proto are ignored (anyone can send them). N >= 1: the request is
# https when the proxy says so, and the Nth address from the right of X-Forwarded-For is the client's
# (tracker/client_ip.py), which django-axes counts failed sign-ins against.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT > 0 else None
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Every environment sends the same policy, so developers see a violation before production does.
# No inline scripts, styles, style attributes or event handlers anywhere: JavaScript and CSS are
# files under static/. "data:" images: the empty favicon in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env.bool("POSTGRES_JIT", default=False):
    # PostgreSQL's JIT compiles any query its planner costs high (our pages' correlated subqueries at
    # 250,000 rows): 250 ms of compiling for a query that runs in 10 ms (bench/NOTES.md, issue 16).
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------------------------
# Rendered dashboard and list content (tracker/pagecache.py). Shared by every process that reads
# or writes (web workers, the Celery worker): files under var/cache by default; in a deployment
# e.g. CACHE_URL=rediscache://127.0.0.1:6379/1.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}?max_entries=5000")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis that stops answering costs a request at most this long, not a hung worker (then the
    # page cache leaves it alone a few seconds); ?socket_timeout=... on CACHE_URL overrides it.
    for _option in ("socket_connect_timeout", "socket_timeout"):
        CACHES["default"].setdefault("OPTIONS", {}).setdefault(_option, env.float("CACHE_TIMEOUT_SECONDS", default=1.0))
# How long a page's content is kept at most (it is never shown after the data changes); 0: off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 60 * 60)
# How long the lists' filter choices (reports, bodies, chapters) are kept at most: they are thrown
# away by any write to reports, recommendations or bodies, not by replies (tracker/pagecache.py); 0: off.
FILTER_CHOICES_CACHE_SECONDS = env.int("FILTER_CHOICES_CACHE_SECONDS", default=24 * 60 * 60)
# The code's release (e.g. the git commit a deployment built), part of every kept page's key so a
# deploy never serves pages worked out by the old code. Empty: `git rev-parse HEAD`, read once, or
# without git a fingerprint of the code and templates; with DEBUG on, always that fingerprint,
# taken per request, so template edits under `make run` show at once (tracker/pagecache.py).
RELEASE = env("RELEASE", default="")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Deadlines are London dates: "today" is always the date in Europe/London (tracker.clock.today).
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# --- Email -------------------------------------------------------------------------------------
# Default: each message written to a file in var/mail/. For real use set EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and the EMAIL_HOST* variables.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail")))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Recommendation tracker <tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ------------------------------------------------------------------------------------
# Default broker: kombu's filesystem transport under var/celery (no server). redis://... uses Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Crontabs are in CELERY_TIMEZONE (Europe/London), so 06:00 stays 06:00 across the clock change.
CELERY_BEAT_SCHEDULE = {
    "flag-overdue-daily": {
        "task": "responses.flag_overdue",
        "schedule": crontab(hour=6, minute=0),
    },
    "send-digest-weekly": {
        "task": "responses.send_weekly_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    # After the flags: watchers hear of items that became overdue, and of any change whose email
    # was lost while the broker was down (each change still goes once).
    "sweep-watchers-daily": {
        "task": "alerts.sweep_watchers",
        "schedule": crontab(hour=6, minute=30),
    },
}
if CELERY_BROKER_URL.startswith("filesystem:"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }

# --- The tracker's own rules -------------------------------------------------------------------
# There is no statutory deadline for the Mayor's reply to a committee report; UK select committees
# expect a government reply within two months of publication. Override per report in the admin.
RESPONSE_DUE_MONTHS = env.int("RESPONSE_DUE_MONTHS", default=2)
# "Due soon" on pages and in filters: a deadline within this many days of today.
DUE_SOON_DAYS = env.int("DUE_SOON_DAYS", default=30)
# The items compared for "the same ask across documents" (followup): at most this many of each kind, the newest.
SIMILARITY_MAX_ITEMS = env.int("SIMILARITY_MAX_ITEMS", default=3000)
# A chaser letter names at most this many overdue items, the longest overdue, and says how many more
# there are with links to the full lists (followup.selectors.chase_draft).
CHASER_MAX_ITEMS = env.int("CHASER_MAX_ITEMS", default=50)
# The iCalendar feeds hold events from this many calendar months before today onwards (what is
# coming and what recently passed); a feed's ?from=YYYY-MM-DD starts it on another day.
CALENDAR_PAST_MONTHS = env.int("CALENDAR_PAST_MONTHS", default=12)
# Every imported document is read (text and parsing) once, in a child process with these limits;
# one that needs more time, memory or pages is refused (importer/reading.py).
# The wall time stays below gunicorn's worker --timeout (30 s), so the editor sees the refusal.
IMPORT_PARSE_SECONDS = env.float("IMPORT_PARSE_SECONDS", default=20.0)
IMPORT_PARSE_MEMORY_MB = env.int("IMPORT_PARSE_MEMORY_MB", default=512)
IMPORT_PARSE_MAX_PAGES = env.int("IMPORT_PARSE_MAX_PAGES", default=1000)

# --- Overdue flags and the weekly digest ------------------------------------------------------------
# Links in emails are absolute: the address people reach the tracker at.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# "This week" for newly overdue items and replies received: the N days ending on the digest's day.
DIGEST_WINDOW_DAYS = env.int("DIGEST_WINDOW_DAYS", default=7)
# "Due in the next N days" section.
DIGEST_DUE_WITHIN_DAYS = env.int("DIGEST_DUE_WITHIN_DAYS", default=14)
# The longest "since your last digest" window, for a subscriber whose last digest is long ago.
DIGEST_MAX_WINDOW_DAYS = env.int("DIGEST_MAX_WINDOW_DAYS", default=35)
# The most items one digest email lists one by one: past it, each body's sections are cut alike
# and the rest counted in "N more" lines linking to them all (a long email is clipped by mail
# clients, Gmail past 102 KB, hiding the rest and the unsubscribe link).
DIGEST_MAX_ITEMS = env.int("DIGEST_MAX_ITEMS", default=100)
# Send a digest even when it has nothing to say (it then says so).
DIGEST_SEND_WHEN_EMPTY = env.bool("DIGEST_SEND_WHEN_EMPTY", default=False)
# SMTP failures: retried with exponential backoff from this many seconds, up to the maximum.
DIGEST_MAX_RETRIES = env.int("DIGEST_MAX_RETRIES", default=8)
DIGEST_RETRY_BACKOFF_SECONDS = env.int("DIGEST_RETRY_BACKOFF_SECONDS", default=60)
DIGEST_RETRY_BACKOFF_MAX_SECONDS = env.int("DIGEST_RETRY_BACKOFF_MAX_SECONDS", default=1800)
# A delivery claimed by a worker that went quiet this long is sent again (with the same Message-ID).
DIGEST_CLAIM_TIMEOUT_SECONDS = env.int("DIGEST_CLAIM_TIMEOUT_SECONDS", default=900)
# The weekly digest is queued as batches of this many deliveries: each batch task builds the week's
# content once and sends over one SMTP session; batches spread across the workers.
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=100)
# Where the preferences page sends people who are not signed in: the tracker's own sign-in page.
DIGEST_LOGIN_URL = env("DIGEST_LOGIN_URL", default="login")
# Subscribing and watching by email (alerts/): how long a confirmation link works, and how many
# confirmation emails one address, or one client, can ask for in an hour.
ALERTS_CONFIRM_HOURS = env.int("ALERTS_CONFIRM_HOURS", default=72)
ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR = env.int("ALERTS_REQUESTS_PER_ADDRESS_PER_HOUR", default=3)
ALERTS_REQUESTS_PER_CLIENT_PER_HOUR = env.int("ALERTS_REQUESTS_PER_CLIENT_PER_HOUR", default=20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals_in_one_line": {"()": "tracker.logfilters.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Django's records through this one handler only (its default console handler printed each
    # again): a 403 is one line (tracker/logfilters.py).
    "loggers": {"django": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO"), "propagate": False}},
}
