"""Settings shared by every environment; values come from the environment."""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_countries",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "taggit",
    # Our apps, each importing only those above it in this list (config/tests/test_import_graph.py).
    # Themes come before reminders so that, on a cancellation, themes let go of the meeting before
    # the change notice is queued (receivers run in the order the apps connect them).
    "community",
    "meetings",
    "themes",
    "meetings.reminders",
    "meetings.networking",
    "guide",
    "reports",
    "portal",
    "search",
]

MIDDLEWARE = [
    # Observability: first, so every log line of the request (and its tasks) carries the id.
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "community.security.ExactHostMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the query string or the form: NUL characters are dropped.
    "community.security.DropNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.MemberPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.security.IdleSessionMiddleware",
    # After the idle check: a session signed out for inactivity does not count as a visit.
    "community.visits.VisitClockMiddleware",
    "community.middleware.OnboardingReadMiddleware",
    "community.security.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.roles",
            ],
        },
    },
]

# The quick start runs on SQLite; production and the test suite use PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kip",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts: email is the login, verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Keep in Pact] "
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupExtraForm"
# Messages and emails name a member as the site does (display name), not by the URL handle.
ACCOUNT_USER_DISPLAY = str

LANGUAGE_CODE = "en"
# The guide chapter that the approval mail and a newcomer's first steps point to (by its slug:
# the community app links to it without importing the guide; nothing shows when it is missing).
ONBOARDING_CHAPTER_SLUG = "onboarding-new-colleagues"
# How long after approval a member sees their first steps on the dashboard (unless all are done).
FIRST_STEPS_DAYS = 60

LANGUAGES = [("en", _("English")), ("fr", _("French")), ("pt", _("Portuguese")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date styles per language (config/formats/<language>/formats.py) over Django's.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Keep in Pact <no-reply@keepinpact.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis broker, JSON only, beat schedule in the database.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Without a broker (quick start) tasks run inline so nothing else is needed.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders are never scheduled with a long ETA: this tick finds what is due and hands it out.
    "meeting-reminders": {
        "task": "meetings.reminders.tasks.dispatch_reminders",
        "schedule": 300.0,
        # A tick queued while every worker was down is useless once the next one is due.
        "options": {"expire_seconds": 240},
    },
}
# The application's logging configuration (JSON lines, request ids) applies in workers too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Meeting reminders (minutes). Defaults: 7 days and 1 day before the start.
REMINDER_DEFAULT_OFFSETS = [7 * 24 * 60, 24 * 60]
# A reminder whose moment passed by more than this (system down) is skipped, not sent late.
REMINDER_GRACE_MINUTES = env.int("REMINDER_GRACE_MINUTES", default=120)
# A delivery claimed by a sender that then died is handed out again after this long.
REMINDER_CLAIM_TIMEOUT_MINUTES = env.float("REMINDER_CLAIM_TIMEOUT_MINUTES", default=10)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=100)
# Send tasks handed out per meeting at most (they share the work through row claims).
REMINDER_SEND_TASKS = env.int("REMINDER_SEND_TASKS", default=4)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# No message begins later than this before the start (nor twice the slowest message so far).
REMINDER_START_MARGIN_SECONDS = env.float("REMINDER_START_MARGIN_SECONDS", default=10.0)
# A send task stops between two messages after this long and hands the rest to the next task,
# well before its own soft and hard time limits (seconds).
REMINDER_SEND_TIME_BUDGET = env.float("REMINDER_SEND_TIME_BUDGET", default=120.0)
REMINDER_SEND_SOFT_TIME_LIMIT = env.int("REMINDER_SEND_SOFT_TIME_LIMIT", default=240)
REMINDER_SEND_TIME_LIMIT = env.int("REMINDER_SEND_TIME_LIMIT", default=300)

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
TAGGIT_CASE_INSENSITIVE = True

# seed_demo refuses to run where this is False (production).
SEED_DEMO_ALLOWED = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security ------------------------------------------------------------------------------
# Kept together so the other settings blocks stay readable; the README's security section
# explains each choice.

# Nothing answers differently for an address that has an account: sign-up, login, password
# reset and email change behave the same, and the owner of a known address gets an email.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # Failed logins (and failed authenticator codes, which allauth counts the same way): 10 a
    # minute per client address, 5 per account in 5 minutes (keyed on the address alone, see
    # community.adapters.AccountAdapter._get_login_attempts_cache_key).
    "login_failed": "10/m/ip,5/5m/key",
    # Password checks on the account-deletion page count like failed logins of that account.
    "delete_account": "5/5m/user",
}

# Two factors: an authenticator app (TOTP) and recovery codes; required for staff,
# facilitators and guide editors (community.security.RequireTwoFactorMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Keep in Pact"
MFA_ADAPTER = "community.adapters.MFAAdapter"
# One 30-second step either side: a phone's clock a little off still works (each code once).
MFA_TOTP_TOLERANCE = 1

# Sessions: stored in the database (any web node reads them), ended after this much
# inactivity; a member sees and ends their other sessions (allauth.usersessions).
# With Redis they are read from the cache and written through to the database: a page costs no
# session query once the cache holds it, and a flushed cache loses no one's sign-in. Without it
# (the quick start) the cache is per process, and one process would keep a session another ended.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
USERSESSIONS_TRACK_ACTIVITY = False

# The client's address: behind N trusted reverse proxies, the N-th address from the right of
# X-Forwarded-For is the client's (rate limits per IP then count visitors, not the proxy).
# Production refuses a Host header that is not exactly one of ALLOWED_HOSTS (no port variants).
EXACT_ALLOWED_HOSTS = False

TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Content Security Policy: our own files only, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# ---- Observability: logs, request ids, metrics, error reporting ---------------------------------
# LOG_FORMAT=json writes one JSON object per line (production default); "text" reads better locally.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
# Take the request id from this header only when the load balancer in front sets it (and strips
# what clients send); otherwise every request gets a fresh one. Either way it is returned.
REQUEST_ID_TRUST_HEADER = env.bool("REQUEST_ID_TRUST_HEADER", default=False)
# /metrics answers only a request with "Authorization: Bearer <METRICS_TOKEN>" or from one of
# these addresses or networks (e.g. 10.0.0.0/8); with neither set it does not exist (404).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        # Members' names and addresses stay here.
        send_default_pii=False,
    )


# ---- Uploads: an S3-compatible bucket when one is named, the local disk otherwise ---------------
# Every read and write goes through the storage API, so web nodes share the bucket. The bucket is
# private: members-only files are streamed by members-only views, never linked to the bucket.
def bucket_storage(variables) -> dict:
    """The default storage for the bucket that ``variables`` (the environment) name."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": variables["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": variables.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": variables.get("AWS_S3_REGION_NAME") or None,
            "access_key": variables.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": variables.get("AWS_SECRET_ACCESS_KEY") or None,
            # "path" for MinIO, Ceph and most self-hosted services; "virtual" or unset for AWS.
            "addressing_style": variables.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": variables.get("AWS_LOCATION", ""),
            "signature_version": "s3v4",
            # No ACL on objects: they stay as private as the bucket.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(variables.get("AWS_QUERYSTRING_EXPIRE") or 300),
            # Two nodes saving the same name must not overwrite each other (as on the local disk).
            "file_overwrite": False,
        },
    }


AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = bucket_storage(os.environ)

# ---- Celery queues: reminders and change notices never wait behind other work -------------------
CELERY_TASK_DEFAULT_QUEUE = "celery"
REMINDERS_QUEUE = "reminders"
CELERY_TASK_ROUTES = {"meetings.reminders.tasks.*": {"queue": REMINDERS_QUEUE}}


# ---- PostgreSQL through a pooler ----------------------------------------------------------------
def database_for_pooler(database: dict, pooler: str) -> dict:
    """Adapt a database setting to the pooler in front of PostgreSQL (DATABASE_POOLER).

    PgBouncer in transaction mode hands each transaction to any server connection: server-side
    cursors (which outlive a transaction) must be off; prepared statements are already off in
    Django's psycopg settings. Django's own connection to PgBouncer may stay open (CONN_MAX_AGE):
    it costs PgBouncer a client slot, not a PostgreSQL backend.
    """
    if pooler not in ("", "pgbouncer"):
        raise ValueError(f"DATABASE_POOLER must be empty or 'pgbouncer', not {pooler!r}.")
    if pooler == "pgbouncer":
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        if database.get("OPTIONS", {}).get("pool"):
            raise ValueError("Django's connection pool and PgBouncer do not go together: use one.")
    return database


DATABASE_POOLER = env("DATABASE_POOLER", default="")
DATABASES["default"] = database_for_pooler(DATABASES["default"], DATABASE_POOLER)
