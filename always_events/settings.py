"""Settings for the Always Events service, all read from the environment.

Every variable is listed, with its default, in README.md and .env.example.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_dates, env_int, env_list, env_rate, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Processes that serve people (gunicorn through wsgi.py, Celery, runserver) refuse to
# start without a SECRET_KEY when DEBUG is off. One-off management commands such as
# `makemigrations --check` sign nothing that outlives them, so they get a random key.
SERVING = (
    os.environ.get("ALWAYS_EVENTS_SERVING") == "1"  # set by wsgi.py
    or "runserver" in sys.argv
    or any(Path(arg).name == "celery" for arg in sys.argv[:3])  # celery worker and beat
)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and SERVING:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = (
        "insecure-key-for-local-development-only"  # noqa: S105
        if DEBUG
        else secrets.token_urlsafe(50)
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "csp",
    "django_celery_beat",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "nhsuk",
    "accounts",
    "programmes",
    "coproduction",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "always_events.middleware.CurrentOrganisationMiddleware",
    "always_events.middleware.PermissionsPolicyMiddleware",
    # A database connection error in a view becomes the 503 "try again" page.
    "always_events.database_unavailable.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "always_events.urls"
WSGI_APPLICATION = "always_events.wsgi.application"

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
                "always_events.context_processors.service",
            ],
        },
    },
]

# Database: SQLite by default so `make run` needs no server; PostgreSQL in tests
# and production. Persistent connections matter for throughput behind gunicorn.
DATABASE_URL = env_url(
    "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", ("sqlite", "postgres", "postgresql")
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The covering index on answers uses PostgreSQL's INCLUDE; SQLite (make run) builds it
# without the extra columns, which is fine at demo size.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for one
# email address from one network address, that pair is locked for SIGN_IN_LOCKOUT_MINUTES.
# Locking the pair, not the address alone, keeps a trust's shared network usable.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("SIGN_IN_LOCKOUT_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Two-factor sign-in (TOTP, django-otp) for executives, organisation admins, programme
# admins and Django admin users. On unless DEBUG, so the demo served by `make run`
# signs in with a password alone.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Always Events"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Tests and `make run` serve static files straight from the finders, unhashed;
# production serves the hashed, compressed copies that collectstatic made.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MANIFEST_STRICT = False

# Redis: when REDIS_URL is unset, tasks run in process and the cache is local, so
# `make run` needs no server. When set, it is Celery's broker and result store and
# the shared cache.
REDIS_URL = env_str("REDIS_URL").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis:// or rediss://; got {REDIS_URL!r}"
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "always_events.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is away: callers fall back (rate limits fail open).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 60 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 30)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died unacknowledged goes back on the queue after the visibility
# timeout; kombu looks for such tasks every tenth of it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    "unacked_restore_interval": max(1, CELERY_TASK_TIME_LIMIT // 5),
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Beat copies these into the database scheduler at start; admins can change them there.
CELERY_BEAT_SCHEDULE = {
    "sweep-new-responses": {
        "task": "evaluation.tasks.sweep_new_responses",
        "schedule": 60.0,
    },
    "recompute-all-outcome-summaries": {
        "task": "evaluation.tasks.recompute_all_outcome_summaries",
        "schedule": crontab(hour=2, minute=30),
    },
    # After the nightly recompute: alerts for outcome measures with no data last month.
    "check-alerts-no-data": {
        "task": "evaluation.tasks.check_alerts_no_data",
        "schedule": crontab(hour=6, minute=0),
    },
}
HEALTH_WORKER_TIMEOUT = env_int("HEALTH_WORKER_TIMEOUT", 3, minimum=1)

# Email
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Always Events <noreply@always-events.nhs.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS and security headers. HTTPS is on unless DEBUG is on or HTTPS=false is set
# (the test suite's live server speaks plain HTTP on localhost).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Forms: our own NHS.UK template pack (app `nhsuk`).
CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"

SERVICE_NAME = "Always Events"
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "always-events-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# evaluation: the public feedback form (Feedback forms)
# Rates ("count/period", period s, m, h or d) of POSTs per distribution point
# and per client (its address hashed with a daily salt kept only in memory). A hospital's
# guest Wi-Fi puts many phones behind one address, so the client limit is generous.
FEEDBACK_RATE_LIMIT_PER_POINT = env_rate("FEEDBACK_RATE_LIMIT_PER_POINT", "600/h")
FEEDBACK_RATE_LIMIT_PER_CLIENT = env_rate("FEEDBACK_RATE_LIMIT_PER_CLIENT", "120/h")
# How long a form page's one-time submission key is accepted, in seconds.
FEEDBACK_SUBMISSION_MAX_AGE = env_int("FEEDBACK_SUBMISSION_MAX_AGE", 60 * 60 * 12, minimum=60)
# Ward tablets: seconds before the thank-you page returns to a fresh form, and before a
# half-filled form is cleared.
FEEDBACK_KIOSK_REFRESH_SECONDS = 8
FEEDBACK_KIOSK_IDLE_SECONDS = 90
# Months before free-text answers are blanked by the daily `purge_free_text` task; the
# scored answers stay, so outcome measures never change.
FEEDBACK_FREE_TEXT_RETENTION_MONTHS = env_int(
    "FEEDBACK_FREE_TEXT_RETENTION_MONTHS", 24, minimum=1
)
CELERY_BEAT_SCHEDULE.update({
    "purge-free-text": {
        "task": "evaluation.tasks.purge_free_text",
        "schedule": crontab(hour=3, minute=45),
    },
})
# Months before the quotes and notes of programme evaluation interviews are blanked by
# the daily `purge_interview_text` task: the interviewee's own words, scrubbed but still
# free text, kept as long as feedback's; organisation, date, role and themes stay, so the
# evaluation's interview count and theme ranking never change.
INTERVIEW_TEXT_RETENTION_MONTHS = env_int("INTERVIEW_TEXT_RETENTION_MONTHS", 24, minimum=1)
CELERY_BEAT_SCHEDULE.update({
    "purge-interview-text": {
        "task": "evaluation.tasks.purge_interview_text",
        "schedule": crontab(hour=3, minute=55),
    },
})

# Co-production (app `coproduction`)
PARTNER_RETENTION_MONTHS = env_int("PARTNER_RETENTION_MONTHS", 12, minimum=1)
"""Months after a co-design partner leaves before their personal details (name, contact,
consent wording, access needs, payments) are removed by `purge_partner_details` and the
daily task; anonymous counts (kind, dates, attendance) are kept."""
CELERY_BEAT_SCHEDULE.update({
    "purge-partner-details": {
        "task": "coproduction.tasks.purge_partner_details",
        "schedule": crontab(hour=3, minute=15),
    },
})
CHECK_IN_COMMENT_RETENTION_MONTHS = env_int("CHECK_IN_COMMENT_RETENTION_MONTHS", 24, minimum=1)
"""Months before the comments of experience check-ins are blanked by the daily
`purge_check_in_comments` task: anonymous free text, kept as long as feedback's
(FEEDBACK_FREE_TEXT_RETENTION_MONTHS); the four answers stay, so the check-in figures
never change."""
CELERY_BEAT_SCHEDULE.update({
    "purge-check-in-comments": {
        "task": "coproduction.tasks.purge_check_in_comments",
        "schedule": crontab(hour=3, minute=30),
    },
})
ENGAGEMENT_QUOTE_RETENTION_MONTHS = env_int("ENGAGEMENT_QUOTE_RETENTION_MONTHS", 24, minimum=1)
"""Months after a "What matters to you?" engagement before its quotes are deleted by the
daily `purge_engagement_quotes` task: patients' own words, anonymised but still free
text, kept as long as feedback's (FEEDBACK_FREE_TEXT_RETENTION_MONTHS); the engagement
and its themes stay, so what the team learned, and how often, is kept."""
CELERY_BEAT_SCHEDULE.update({
    "purge-engagement-quotes": {
        "task": "coproduction.tasks.purge_engagement_quotes",
        "schedule": crontab(hour=3, minute=50),
    },
})

# Monthly oversight reports (evaluation/reports.py, docs/adr/010-oversight-reports.md)
# Bank holidays in England and Wales, as ISO dates: the reports are built and emailed on
# the first working day of each month (not a weekend, not one of these). Extend the list
# each year from https://www.gov.uk/bank-holidays.
OVERSIGHT_REPORT_BANK_HOLIDAYS = env_dates("OVERSIGHT_REPORT_BANK_HOLIDAYS", ",".join([
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
    "2026-12-25", "2026-12-28",
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
    "2027-12-27", "2027-12-28",
    "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28",
    "2028-12-25", "2028-12-26",
]))
CELERY_BEAT_SCHEDULE.update({
    # Daily; the task itself does nothing except on the first working day of a month.
    "send-monthly-oversight-reports": {
        "task": "evaluation.tasks.send_monthly_oversight_reports",
        "schedule": crontab(hour=7, minute=0),
    },
})
