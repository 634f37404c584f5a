"""One settings module, read from the environment; the defaults suit a developer's machine."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.shared import shared_dir

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env.str(name, default=default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} is {value!r}: set {name} to one of {', '.join(choices)}.")
    return value


# A developer's machine by default; the Docker image sets production, which refuses to start unsafe.
DJANGO_ENV = env_choice("DJANGO_ENV", ("development", "production"), default="development")
DEVELOPMENT = DJANGO_ENV == "development"
DEBUG = env.bool("DEBUG", default=DEVELOPMENT)
if DEBUG and not DEVELOPMENT:
    raise ImproperlyConfigured(
        "DEBUG is on with DJANGO_ENV=production: set DEBUG=false (debug pages show settings and code)."
    )
# The published development key is only good where nothing is served to others: development with DEBUG on.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key" if DEVELOPMENT and DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: set SECRET_KEY to a long random string, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS only, outside development (`check --deploy` passes with these defaults). Behind a proxy that ends
# TLS, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https so the redirect does not loop.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEVELOPMENT else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEVELOPMENT)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEVELOPMENT)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEVELOPMENT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEVELOPMENT)

# Scripts and styles from our own static files only, in development too, so a violation shows up early;
# Redoc's page relaxes its own policy (references/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the API documentation's icons are data: SVGs
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "references",
    "curation",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the form (CSRF's check is a view hook, so it runs later still).
    "config.middleware.RefuseOversizedPosts",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/curation")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Facets and ranking sort a whole selection in memory rather than on disk; with the data mostly cached, an
# index read costs about what a sequential one does, which lets the planner use the full-text index; and
# counting over most of the library is worth sharing among parallel workers (measured in bench.workspace;
# a search's own statements rule them out, with sequential scans: references.search.browse._searching).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = env.str(
    "DATABASE_SESSION_OPTIONS",
    default="-c work_mem=32MB -c random_page_cost=1.1 -c parallel_setup_cost=100 -c parallel_tuple_cost=0.01",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
    },
    # The list page's facet counts and first pages, by selection and index generation (references.search.browse).
    "facets": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "facets",
        "TIMEOUT": env.int("FACETS_CACHE_SECONDS", default=600),
    },
    # Each user's permissions, kept until who may do what changes (accounts.permissions).
    "permissions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "auth",
    },
}
# The longest a permission changed outside Django (by SQL) is still believed; changes made in Django count
# at once.
PERMISSIONS_CACHE_SECONDS = env.int("PERMISSIONS_CACHE_SECONDS", default=300)
AUTHENTICATION_BACKENDS = ["accounts.permissions.CachedPermissionsBackend"]
# How long cached counts stay in use after workers' changes to the index (references.search.browse).
FACETS_STALE_SECONDS = env.int("FACETS_STALE_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "references:work-list"
LOGOUT_REDIRECT_URL = "login"
# The library is private: reading (list, work pages, exports, searches, the API) takes one of the roles.
# On, everyone may read it, signed in or not, as a group that publishes its curation wants; writes never open.
PUBLIC_READ = env.bool("PUBLIC_READ", default=False)
# Past this many failed sign-ins for one user name from one address, that pair waits out the window.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)

# Password-reset mail: printed to the console in development, sent over SMTP in production.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")

# The read-only JSON API: read by members as on the web (everyone with PUBLIC_READ), signed in or with a
# personal token (listed first, so a request without credentials gets 401 and the scheme's name); no method
# writes; page-number pagination; an OpenAPI 3 schema with its documentation served from local assets.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["references.access.LibraryReaders"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ALL curation API",
    "DESCRIPTION": "Read-only access to the curated literature on infant and relapsed ALL.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["references.access.LibraryReaders"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: ids in, late acknowledgement, one message at a time, a visibility timeout longer than any task.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# A message a dead worker held is delivered again after the visibility timeout; workers look for such
# messages about every interval x throttle seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False

# Crossref. Without a mailto, requests go to the public pool and the throttle uses its lower limits.
CROSSREF_BASE_URL = env.str("CROSSREF_BASE_URL", default="https://api.crossref.org")
CROSSREF_MAILTO = env.str("CROSSREF_MAILTO", default="")
_polite = bool(CROSSREF_MAILTO)
# Published limits since December 2025: single records 10/s, lists 3/s, 3 in flight each (public: 5/s, 1/s, 1).
CROSSREF_SINGLE_RATE = env.float("CROSSREF_SINGLE_RATE", default=10 if _polite else 5)
CROSSREF_LIST_RATE = env.float("CROSSREF_LIST_RATE", default=3 if _polite else 1)
CROSSREF_SINGLE_CONCURRENCY = env.int("CROSSREF_SINGLE_CONCURRENCY", default=3 if _polite else 1)
CROSSREF_LIST_CONCURRENCY = env.int("CROSSREF_LIST_CONCURRENCY", default=3 if _polite else 1)
# The rate window is this fraction longer than the limit's, so jitter on the way cannot break the limit.
CROSSREF_RATE_MARGIN = env.float("CROSSREF_RATE_MARGIN", default=0.05)
CROSSREF_TIMEOUT = env.float("CROSSREF_TIMEOUT", default=10)
CROSSREF_MAX_TRIES = env.int("CROSSREF_MAX_TRIES", default=5)
CROSSREF_BACKOFF_SECONDS = env.float("CROSSREF_BACKOFF_SECONDS", default=1)
CROSSREF_BACKOFF_CAP_SECONDS = env.float("CROSSREF_BACKOFF_CAP_SECONDS", default=60)
CROSSREF_CACHE_SECONDS = env.int("CROSSREF_CACHE_SECONDS", default=7 * 24 * 3600)
# Redis keys of the shared throttle and of cached answers start with this.
CROSSREF_REDIS_PREFIX = env.str("CROSSREF_REDIS_PREFIX", default="crossref")
# A batch pauses itself once more than this share of its requests has failed (after a few requests).
CROSSREF_PAUSE_ERROR_RATIO = env.float("CROSSREF_PAUSE_ERROR_RATIO", default=0.10)
CROSSREF_PAUSE_MIN_REQUESTS = env.int("CROSSREF_PAUSE_MIN_REQUESTS", default=10)
ENRICH_AFTER_IMPORT = env.bool("ENRICH_AFTER_IMPORT", default=True)

# NCBI E-utilities (PubMed). Every request names the tool and an email; an API key raises the limit from
# 3 to 10 requests a second, per key, for every process together (the shared throttle keeps to it).
NCBI_ENRICH = env.bool("NCBI_ENRICH", default=True)
NCBI_BASE_URL = env.str("NCBI_BASE_URL", default="https://eutils.ncbi.nlm.nih.gov/entrez/eutils/")
NCBI_TOOL = env.str("NCBI_TOOL", default="leukemia-curation")
NCBI_EMAIL = env.str("NCBI_EMAIL", default="")
NCBI_API_KEY = env.str("NCBI_API_KEY", default="")
NCBI_RATE = env.float("NCBI_RATE", default=10 if NCBI_API_KEY else 3)
# NCBI sets no cap on requests in flight; enough to use the rate when answers take most of a second.
NCBI_CONCURRENCY = env.int("NCBI_CONCURRENCY", default=10)
# NCBI counts requests as they arrive: a busy worker can send a burst of granted requests ~100 ms late.
NCBI_RATE_MARGIN = env.float("NCBI_RATE_MARGIN", default=0.1)
NCBI_TIMEOUT = env.float("NCBI_TIMEOUT", default=30)
NCBI_MAX_TRIES = env.int("NCBI_MAX_TRIES", default=5)
NCBI_BACKOFF_SECONDS = env.float("NCBI_BACKOFF_SECONDS", default=1)
NCBI_BACKOFF_CAP_SECONDS = env.float("NCBI_BACKOFF_CAP_SECONDS", default=60)
# A 429 without Retry-After holds every process back this long (NCBI counts requests per second).
NCBI_PAUSE_SECONDS = env.float("NCBI_PAUSE_SECONDS", default=1.0)
NCBI_REDIS_PREFIX = env.str("NCBI_REDIS_PREFIX", default="ncbi")
# PubMed's half of an enrichment batch fetches its works in groups (one efetch of up to 200 PMIDs), as many
# groups at once as NCBI_CONCURRENCY, at most this many groups ahead of the works being written.
NCBI_GROUP_SIZE = env.int("NCBI_GROUP_SIZE", default=200)
NCBI_GROUPS_AHEAD = env.int("NCBI_GROUPS_AHEAD", default=50)

SHARED_DIR = shared_dir()
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_STAGING_SECONDS = env.int("IMPORT_STAGING_SECONDS", default=3600)
# What one import request may carry: its files together, and how many. A pasted list may be as large as a file.
IMPORT_MAX_REQUEST_BYTES = env.int("IMPORT_MAX_REQUEST_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_FILES = env.int("IMPORT_MAX_FILES", default=20)
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_MAX_FILES
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 64 * 1024
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    # runserver serves static files in development; WhiteNoise does it under gunicorn.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
