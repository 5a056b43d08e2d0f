"""The one settings module, read from the environment.

Defaults give a working embedded install (SQLite under var/); production sets
LAYAN_SECRET_KEY, LAYAN_ALLOWED_HOSTS and DATABASE_URL and keeps LAYAN_HTTPS on.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("LAYAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("LAYAN_DEBUG", False)
# Demo mode: a banner on every page and the demo accounts may sign in.
# Outside demo mode demo accounts cannot sign in and `layan demo` refuses to run.
DEMO_MODE = env_bool("LAYAN_DEMO", False)
# Behind TLS in production; `make run` serves plain HTTP on loopback and turns it off.
HTTPS = env_bool("LAYAN_HTTPS", True)


def _secret_key() -> str:
    key = os.environ.get("LAYAN_SECRET_KEY")
    if key:
        return key
    # No key given: keep a generated one under var/ so sessions survive restarts
    # of a local install. Production must set LAYAN_SECRET_KEY.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("LAYAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("LAYAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # First, so its templates (admin/base_site.html, 404.html) win over Django's.
    "layan.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "layan.offices",
    "layan.catalogue",
    "layan.registry",
    "layan.cases",
    "layan.letters",
    "layan.public",
    "layan.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the whole body for its token.
    "layan.core.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "layan.urls"
WSGI_APPLICATION = "layan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "layan.core.context_processors.layan",
            ],
            # The name and time filters (person, local) are used on nearly every page.
            "builtins": ["layan.core.templatetags.layan"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'layan.sqlite3'}",
        conn_max_age=int(os.environ.get("LAYAN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while the single writer writes; IMMEDIATE takes the
    # write lock at BEGIN so concurrent writers queue instead of failing midway.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["layan.core.auth.LayanBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("LAYAN_TEST_LIGHT_ARGON2", False):
    # Tests only (set by layan/core/pytest_env.py): Argon2 still, with a small cost, so the
    # hundreds of users made and passwords checked do not cost ~0.2 s each.
    PASSWORD_HASHERS[0] = "layan.core.testing.LightArgon2PasswordHasher"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Serve static files from the apps' folders without collectstatic (tests only).
WHITENOISE_USE_FINDERS = env_bool("LAYAN_STATIC_FROM_APPS", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "LAYAN_STATIC_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. With LAYAN_HTTPS on (the default) cookies are secure and
# HSTS is sent; `make run` turns it off because it serves plain HTTP locally.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
# A form with a missing or stale token gets Layan's page, not Django's bare English one.
CSRF_FAILURE_VIEW = "layan.core.views_errors.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LAYAN_LOG_LEVEL", "INFO")},
}

# Background work (register imports) runs through Django's tasks API with a
# database-backed queue; `layan serve` starts the worker beside the web server.
TASKS = {
    "default": {"BACKEND": os.environ.get("LAYAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}
# A register file whose share of rejected rows passes this fails as a whole.
REGISTRY_MAX_REJECTED = float(os.environ.get("LAYAN_REGISTRY_MAX_REJECTED", "0.05"))
REGISTRY_MAX_UPLOAD_BYTES = int(os.environ.get("LAYAN_REGISTRY_MAX_UPLOAD_MB", "1024")) * 1_000_000
# PostgreSQL: whether a lookup waits for its log row to reach the disk before it
# answers. By default it does not: the flush is most of a lookup's time, and a
# crash of the database server loses at most the last ~0.6 s of log rows (three
# wal_writer_delay), never consistency. SQLite here (WAL, synchronous=NORMAL)
# makes the same trade for every write. A lookup inside a transaction (a case
# step's registry check) always waits, as the rest of that transaction does.
REGISTRY_LOOKUP_LOG_DURABLE = env_bool("LAYAN_LOOKUP_LOG_DURABLE", False)
# Uploads above this size are streamed to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5_000_000

# Largest scan of a requirement (PDF, JPEG, PNG) attached to a case.
CASE_MAX_ATTACHMENT_BYTES = int(os.environ.get("LAYAN_CASE_MAX_ATTACHMENT_MB", "10")) * 1_000_000
# Upload addresses (URL names) and the setting of their file's limit: a POST whose
# Content-Length passes it (plus the form around the file) is answered 413 before its
# body is read (layan.core.uploads.UploadLimitMiddleware).
UPLOAD_LIMITS = {
    "case-attachment-add": "CASE_MAX_ATTACHMENT_BYTES",
    "api:case_attachments": "CASE_MAX_ATTACHMENT_BYTES",
    "registry-upload-new": "REGISTRY_MAX_UPLOAD_BYTES",
    "letter-verify-home": "LETTER_MAX_VERIFY_BYTES",
    "api:letters_verify": "LETTER_MAX_VERIFY_BYTES",
}

# Letters: signers' private keys are stored encrypted under a key derived from
# this secret (default: the secret key). Changing it makes stored keys unusable.
LETTER_KEY_SECRET = os.environ.get("LAYAN_LETTER_KEY_SECRET") or SECRET_KEY
# The site's public address, printed in a letter's QR code (the verification page).
PUBLIC_URL = os.environ.get(
    "LAYAN_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")
# Largest PDF accepted for verification by upload.
LETTER_MAX_VERIFY_BYTES = int(os.environ.get("LAYAN_LETTER_MAX_VERIFY_MB", "20")) * 1_000_000

# Where the bundled service definitions and seed offices live.
SOPS_DIR = PACKAGE_DIR / "catalogue" / "sops"
OFFICES_SEED_DIR = PACKAGE_DIR / "offices" / "seed"
DEMO_PASSWORD = os.environ.get("LAYAN_DEMO_PASSWORD", "layan-demo")
# People in each demo office's synthetic register.
DEMO_REGISTER_SIZE = int(os.environ.get("LAYAN_DEMO_REGISTER_SIZE", "3000"))
