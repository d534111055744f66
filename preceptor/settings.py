"""Settings for Preceptor, read from the environment (see README, "Configuration").

Development (``DEBUG`` true, the default) needs no configuration at all: SQLite and the
secret key live under ``var/``. Production (``DEBUG=false``) requires ``SECRET_KEY`` and
``ALLOWED_HOSTS``, turns on the HTTPS-only protections that ``check --deploy`` asks for,
and ``check --deploy`` also wants ``SITE_URL`` (core.E001). What several machines must
share is in docs/deploy.md: the database (sessions, rate limits, login throttling, tasks
live there), the cache (``CACHE_URL``) and the letter vault.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from preceptor.lib import cache_url, queues
from preceptor.lib.env import env, env_bool, env_int, env_list, generated_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("PRECEPTOR_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", True)

_secret = env("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    _secret = generated_secret(VAR_DIR / "secret_key")
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
# Whether SITE_URL was given: production must say where it is (preceptor/core/checks.py).
SITE_URL_CONFIGURED = bool(env("SITE_URL"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "ninja",
    "preceptor.accounts",
    "preceptor.core",
    "preceptor.mentors",
    "preceptor.letters",
    "preceptor.writers",
    "preceptor.notify",
    "preceptor.smartpick",
    "preceptor.portability",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise so that static files get the headers too.
    "preceptor.lib.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "preceptor.lib.multipart.MultipartCheckMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "preceptor.accounts.middleware.UserTimezoneMiddleware",
    # Axes must come last so that it sees the outcome of the login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "preceptor.urls"
FORM_RENDERER = "preceptor.lib.forms.FormRenderer"
WSGI_APPLICATION = "preceptor.wsgi.application"

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
                "preceptor.core.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'preceptor.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout
        # instead of one failing with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if str(DATABASES["default"]["NAME"]).startswith(str(VAR_DIR)):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database (Django's default, said here on purpose): any web process
# on any machine reads any session, so a load balancer needs no sticky sessions.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The cache must be shared by every web process too (the visitors' API throttle counts in
# it): the database by default in production, Redis or memcached when CACHE_URL says so
# (preceptor/lib/cache_url.py). Its table is created by migrate (preceptor/core/apps.py)
# and by `manage.py release`. Rate limits and login throttling count in the database.
CACHES = {"default": cache_url.parse(env("CACHE_URL") or ("locmem://" if DEBUG else "db://"))}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading the profile with the user (one query, not two).
    "preceptor.accounts.backends.ProfileBackend",
    # Kept so that sessions signed in before ProfileBackend existed stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling, two limits (preceptor/accounts/throttle.py):
# - five wrong passwords for one account from one address lock that account from that
#   address for 15 minutes. Keyed on both so that an attacker cannot lock a user out from
#   elsewhere;
# - 30 wrong passwords from one address, over any accounts, lock that address out of every
#   account for the same 15 minutes: one address cannot try a password on many accounts.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "preceptor.accounts.throttle.AccountAndAddressHandler"
# The login form's field is called "username" even though it holds the email address.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "preceptor.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE") or "UTC"
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise from the web processes (compressed, hashed names,
# cached for a year), so the proxy needs no copy of them and every machine is alike;
# `collectstatic` (run by `manage.py release`) gathers them into STATIC_ROOT.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    # WhiteNoise serves from the finders in development but warns when the root is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Email: SMTP when EMAIL_HOST is set; otherwise every message is written to a file under
# var/mail/ (EMAIL_BACKEND=console prints them instead), so development never sends mail.
EMAIL_HOST = env("EMAIL_HOST") or ""
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or "Preceptor <noreply@preceptor.invalid>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_backend = (env("EMAIL_BACKEND") or ("smtp" if EMAIL_HOST else "file")).lower()
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = VAR_DIR / "mail"

# Background work: django-tasks with its database backend; `manage.py worker` runs it.
# Two queues (preceptor/lib/queues.py): "default" for email and anything a person waits
# for, "simulations" for SmartPick's runs, each with its own worker.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND") or "django_tasks_db.DatabaseBackend",
        "QUEUES": list(queues.ALL),
    }
}
# SmartPick simulations one user may have waiting or running at once.
SIMULATIONS_PER_OWNER = env_int("SIMULATIONS_PER_OWNER", 3)
# A worker that has not written a heartbeat for this long is reported stale by /healthz.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 60)
# Set by `manage.py serve` for its children: the file where it records restarts (/healthz).
SERVE_STATE_FILE = env("PRECEPTOR_SERVE_STATE") or ""

# Uploaded PDFs are parsed in a child process with this budget (CPU seconds, and the
# wall clock plus two) and address-space cap; a file over either is refused as too complex.
PDF_CHECK_SECONDS = env_int("PDF_CHECK_SECONDS", 10)
PDF_CHECK_MEMORY_MB = env_int("PDF_CHECK_MEMORY_MB", 1024)

# Account imports ("Your data", preceptor/portability): the largest export ZIP accepted,
# and the most its members may unpack to in all (a zip bomb stops at either).
PORTABILITY_MAX_ARCHIVE_MB = env_int("PORTABILITY_MAX_ARCHIVE_MB", 100)
PORTABILITY_MAX_UNPACKED_MB = env_int("PORTABILITY_MAX_UNPACKED_MB", 400)

# Content-Security-Policy and Permissions-Policy on every response (preceptor/lib/headers.py):
# scripts and styles from this origin only, no inline script, style or event handler.
# CONTENT_SECURITY_POLICY / PERMISSIONS_POLICY replace the defaults; CSP_PATH_POLICIES maps
# a path prefix to a policy of its own.

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer probes the web processes directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Production logs go to standard output, for the supervisor, systemd's journal or the
# container runtime to collect, one JSON object per line (preceptor/lib/logformat.py).
# Development keeps plain messages on standard error. LOG_FORMAT=json|text chooses.
_log_format = (env("LOG_FORMAT") or ("text" if DEBUG else "json")).lower()
if _log_format not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={_log_format!r}: use json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "preceptor.lib.logformat.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if _log_format == "json" else "ext://sys.stderr",
            "formatter": _log_format,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL") or "WARNING"},
}
