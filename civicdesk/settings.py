"""CivicDesk settings: one module, driven by the environment.

Every knob is an environment variable with a safe development default, so a fresh clone runs with no
configuration at all (SQLite under var/, console e-mail, an embedded job queue). `CIVICDESK_ENV=production`
switches on the hardening that `civicdesk check --deploy` looks for, and refuses to start with a default secret.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.getenv("CIVICDESK_HOME", BASE_DIR.parent))
VAR_DIR = Path(os.getenv("CIVICDESK_VAR", PROJECT_DIR / "var"))


def env(name, default=""):
    """A string from the environment; a `NAME_FILE` variable points at a file holding the secret."""
    file_path = os.getenv(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.getenv(name, default)


def envbool(name, default):
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = env(name, "")
    return int(value) if value.strip() else default


def envlist(name, default):
    value = env(name, "")
    if not value.strip():
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


CIVICDESK_ENV = env("CIVICDESK_ENV", "development")
PRODUCTION = CIVICDESK_ENV == "production"
# pytest sets CIVICDESK_TESTING through tests/conftest.py; the module check covers a bare `pytest` run.
TESTING = envbool("CIVICDESK_TESTING", "pytest" in sys.modules)

DEFAULT_SECRET_KEY = "civicdesk-development-secret-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    # Refuse to start rather than sign sessions and tokens with a key that is in a public repository.
    raise ImproperlyConfigured(
        "CIVICDESK_ENV=production requires SECRET_KEY (or SECRET_KEY_FILE) of at least 50 random characters."
    )

DEBUG = envbool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The public address for links opened outside the app (QR codes, e-mails, chat replies). Empty: each request's own
# address, so a QR printed by a server opens that server (core/links.py). Set it in production: e-mails sent by
# the worker have no request.
SITE_URL = env("SITE_URL", "").rstrip("/")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("CIVICDESK_ENV=production requires ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs' Swagger UI from its own static files (no CDN; allowed by the CSP)
    "civicdesk.geo",
    "civicdesk.core",
    "civicdesk.handbook",
    "civicdesk.assistant",
    "civicdesk.hotline",
    "civicdesk.servicedesk",
    "civicdesk.community",
    "civicdesk.outreach",
    "civicdesk.volunteers",
    "civicdesk.mobile",
    "civicdesk.staffing",
    "civicdesk.impact",
    "civicdesk.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicdesk.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "civicdesk.core.middleware.RequestContextMiddleware",
    "civicdesk.core.middleware.ControlCharactersMiddleware",
    "civicdesk.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "civicdesk.urls"
WSGI_APPLICATION = "civicdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicdesk.core.context_processors.navigation",
            ],
        },
    }
]

# Databases: SQLite under var/ by default, anything dj-database-url understands via DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME", "") or None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "civicdesk.sqlite3",
            "OPTIONS": {
                # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis when REDIS_URL is set (several app servers share login throttling), else the database.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "civicdesk_cache"}
    }

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing strength is not what the test suite measures; keep it fast.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Language access (community/coverage.py): one official or volunteer who speaks a minority language is wanted per this
# many people speaking it in the commune's hamlets (a planning choice of the province, not a legal norm).
COMMUNITY_PEOPLE_PER_SPEAKER = envint("COMMUNITY_PEOPLE_PER_SPEAKER", 1000)
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), e.g. "127.0.0.1" behind the
# documented nginx on the same host. Empty: REMOTE_ADDR is the client (core/clients.py).
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])
LOGIN_LOCKOUT_SECONDS = envint("LOGIN_LOCKOUT_SECONDS", 15 * 60)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Sliding expiry: an idle session ends after SESSION_COOKIE_AGE, an active one is renewed.
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["civicdesk.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Development serves static files from the app directories through whitenoise too (no CDN anywhere).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: console in development; SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CivicDesk <no-reply@civicdesk.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security hardening; every value can be tuned by environment, production defaults are strict.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files: no inline script and no eval anywhere (htmx's allowEval is off). Inline
# style attributes remain in a few templates and htmx's indicator style, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
if envbool("BEHIND_PROXY", PRODUCTION):
    # nginx terminates TLS and sets X-Forwarded-Proto (see docs/deploy/nginx.conf).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Background jobs (huey): an embedded SQLite queue by default, Redis in production.
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", TESTING)
if REDIS_URL and not HUEY_IMMEDIATE:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "civicdesk",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": envint("WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "civicdesk",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": envint("WORKERS", 2), "worker_type": "thread"},
    }

# Backups (core/backup, docs/deploy/backup.md): `civicdesk backup --to DIR` by hand; with BACKUP_DIR set the worker
# makes one a day from BACKUP_HOUR (Vietnam time) and keeps the newest BACKUP_KEEP there. Empty: no daily backup.
BACKUP_DIR = env("BACKUP_DIR", "")
BACKUP_KEEP = envint("BACKUP_KEEP", 7)
BACKUP_HOUR = envint("BACKUP_HOUR", 2)
if BACKUP_KEEP < 1 or not 0 <= BACKUP_HOUR <= 23:
    raise ImproperlyConfigured("BACKUP_KEEP must be at least 1 and BACKUP_HOUR between 0 and 23.")

# Working calendar: office hours as "HH:MM-HH:MM" periods.
WORKCAL_OFFICE_HOURS = env("WORKCAL_OFFICE_HOURS", "07:30-11:30,13:30-17:00")

DEMO_PASSWORD = env("DEMO_PASSWORD", "civicdesk-demo")
# The day the demo is laid out around (YYYY-MM-DD); empty: the day it is first loaded. See core/demo.py.
DEMO_ANCHOR = env("DEMO_ANCHOR", "")

# Handbook: a record not verified for this many months is flagged stale in the editor's queue.
HANDBOOK_STALE_MONTHS = envint("HANDBOOK_STALE_MONTHS", 12)

# Personal data (issue 21): every handler masks CCCD numbers, phone numbers and e-mail addresses
# (privacy/logfilter.py). Django's own loggers are named so that the handlers Django gives them by default (which
# would not mask) are replaced: "django" writes through the root's console, the development server's request lines
# through a handler of their own. No e-mail of errors: ADMINS is not set (a traceback mailed would not be masked).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "civicdesk.privacy.logfilter.MaskPersonalData"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "WARNING"},
    },
}
# The key of the pseudonyms that replace citizens' names past retention (kernel/personal_data.py); empty: derived from
# SECRET_KEY. One person gets one pseudonym while the key stays (distinct people can still be counted); whoever holds
# the key and a CCCD can recompute its pseudonym, so keep it out of backups and exports. A new key makes the earlier
# pseudonyms unlinkable to later ones.
PRIVACY_PSEUDONYM_KEY = env("PRIVACY_PSEUDONYM_KEY", "")
