"""filmstudio settings: one file, driven by the environment.

Defaults run embedded (SQLite and a unix-socket Redis under var/); production sets DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from filmstudio import embedded_redis

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FILMSTUDIO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _private_dir(path: Path) -> None:
    """var/ holds the database, the secret key, Redis's files and media: for the studio's user only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def _private_file(path: Path) -> None:
    """A file only its owner reads; SQLite gives its -wal and -shm files the same mode."""
    if path.exists():
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


_private_dir(VAR_DIR)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "filmstudio",
    "projects",
    "generation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "filmstudio.csp.StudioCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a login from an address that failed too often, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "filmstudio.urls"
ASGI_APPLICATION = "filmstudio.asgi.application"

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
            # Stage packages are not apps of their own, so their tag libraries are named here.
            "libraries": {
                "jobs": "projects.jobs.templatetags.jobs",
                "screenplay": "projects.script.templatetags.screenplay",
            },
        },
    }
]

# --- Database: SQLite under var/ unless DATABASE_URL says otherwise ---------------------------
_sqlite_path = VAR_DIR / "filmstudio.sqlite3"
DATABASES = {"default": dj_database_url.config(env="DATABASE_URL", default=f"sqlite:///{_sqlite_path}", conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let the web server and the worker write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so worker and server processes in tests see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    if DATABASES["default"]["NAME"] not in ("", ":memory:") and Path(DATABASES["default"]["NAME"]).parent.is_dir():
        _private_file(Path(DATABASES["default"]["NAME"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, in the database): failures count per username *and* address, so
# guessing from one place never locks the account for its owner elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=env_float("LOGIN_COOLOFF_MINUTES", 15.0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "filmstudio.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "projects.teams.views.login_locked_out"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Converted model weights (e.g. GGUF -> safetensors, done once per install).
MODEL_CACHE_DIR = Path(os.environ.get("MODEL_CACHE_DIR", VAR_DIR / "models"))
# Media is served only through a view that checks project membership. In production the view
# hands the file to the front server: "x-accel" (nginx, internal location MEDIA_ACCEL_PREFIX) or
# "x-sendfile" (Apache, lighttpd, Caddy). Empty: Django streams the file itself.
MEDIA_ACCEL = os.environ.get("MEDIA_ACCEL", "")
MEDIA_ACCEL_PREFIX = os.environ.get("MEDIA_ACCEL_PREFIX", "/protected-media/")

# Request bodies: uploads go through FILE_UPLOAD_*; other bodies are small forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# Bodies (and uploaded files) past this go to temporary files on disk, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# Training sets: many images in one upload (or send a zip).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
# Project archives: the zip itself (what it unpacks to is ARCHIVE_MAX_BYTES, 2 GiB by default).
ARCHIVE_MAX_UPLOAD_BYTES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_BYTES", str(512 * 1024**2)))
# The most a request body may hold, refused before it is read (filmstudio/body_limits.py): by URL
# name for the upload pages (their form's own limit plus room for the multipart framing), else
# REQUEST_BODY_MAX_BYTES; and never more than REQUEST_BODY_ANONYMOUS_MAX_BYTES without a logged-in session.
REQUEST_BODY_ANONYMOUS_MAX_BYTES = 64 * 1024
REQUEST_BODY_MAX_BYTES = 2 * 1024**2
REQUEST_BODY_ROUTE_MAX_BYTES = {
    "projects:script-import": 6 * 1024**2,  # scripts up to 5 MB
    "projects:import": ARCHIVE_MAX_UPLOAD_BYTES + 1024**2,
    "jobs:model-train": 501 * 1024**2,  # training sets up to 500 MiB
    "projects:animatic-music": 51 * 1024**2,  # a music track up to 50 MiB
}

# --- Redis: embedded unix-socket server unless REDIS_URL says otherwise ----------------------
REDIS_URL = embedded_redis.from_env(VAR_DIR)

# Pub/sub: one Redis message per event per server process, fanned out in memory to its sockets.
# Live updates are at-most-once by design; pages re-read state when their socket reconnects.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [embedded_redis.client_url(REDIS_URL)],
            "prefix": os.environ.get("CHANNELS_PREFIX", "filmstudio"),
        },
    }
}

# --- Jobs and Celery ---------------------------------------------------------------------------
JOB_HEARTBEAT_SECONDS = env_float("JOB_HEARTBEAT_SECONDS", 5.0)
JOB_STALE_AFTER_SECONDS = env_float("JOB_STALE_AFTER_SECONDS", 30.0)
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
JOB_PROGRESS_MIN_INTERVAL = 0.1  # at most 10 progress messages a second per job
JOB_REAPER_INTERVAL_SECONDS = env_float("JOB_REAPER_INTERVAL_SECONDS", 15.0)
JOB_LONGEST_SECONDS = 2 * 60 * 60
# How often each web process checks that Redis (live updates) is up and the same server.
LIVE_WATCH_SECONDS = env_float("LIVE_WATCH_SECONDS", 2.0)
# A screenplay import over any of these is parsed and written by a worker (an `import_script` job), not
# in the web request: Fountain text bytes, Final Draft bytes (its XML is about twice as long), scene headings.
SCRIPT_IMPORT_SYNC_MAX_BYTES = int(os.environ.get("SCRIPT_IMPORT_SYNC_MAX_BYTES", str(256 * 1024)))
SCRIPT_IMPORT_SYNC_MAX_FDX_BYTES = int(os.environ.get("SCRIPT_IMPORT_SYNC_MAX_FDX_BYTES", str(512 * 1024)))
SCRIPT_IMPORT_SYNC_MAX_SCENES = int(os.environ.get("SCRIPT_IMPORT_SYNC_MAX_SCENES", "2000"))
# Breakdown rows written per transaction: short enough that other writers never wait long for SQLite's lock.
SCRIPT_BREAKDOWN_BATCH = int(os.environ.get("SCRIPT_BREAKDOWN_BATCH", "250"))
# Test-only job kinds exist only where this is set (the test suite and its worker processes).
FILMSTUDIO_TEST_JOB_KINDS = env_bool("FILMSTUDIO_TEST_JOB_KINDS", False)

CELERY_BROKER_URL = embedded_redis.celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"generation.run_job": {"queue": "gpu"}}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the longest job, so a slow job is never handed to a second worker meanwhile.
    "visibility_timeout": JOB_LONGEST_SECONDS + 3600,
    "global_keyprefix": os.environ.get("CELERY_KEYPREFIX", ""),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE = {
    "reap-stale-jobs": {
        "task": "generation.reap_stale_jobs",
        "schedule": JOB_REAPER_INTERVAL_SECONDS,
    },
    # Script edits stored while the queue was down (their settle never got sent) settle here.
    "settle-pending-scripts": {
        "task": "projects.settle_pending_scripts",
        "schedule": JOB_REAPER_INTERVAL_SECONDS,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule"))

# --- Security: strict unless DEBUG -------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Scripts come only from our own static files (htmx, its ws extension, the editor bundle, static/js):
# no inline code, no handlers, no eval (htmx's allowEval is off in base.html). Styles allow inline:
# CodeMirror and the collaborators' cursors set style attributes and <style> elements at run time,
# and templates size bars and timeline clips with style="" (a style can't run code). connect-src
# gets this host's ws:// and wss:// per request (filmstudio.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        "django.channels": {"level": "WARNING"},
        # django-axes logs every successful login at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
        # Celery logs every task at INFO, the 15-second reaper included; jobs log their own lines.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        "celery.beat": {"level": "WARNING"},
    },
}
