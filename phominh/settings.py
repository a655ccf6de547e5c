"""Settings for Phổ Minh Thi đua, configured from the environment.

DJANGO_ENV=production switches on the production defaults (DEBUG off, secrets and hosts required,
secure cookies, HSTS). Anything else is development: an SQLite file unless DATABASE_URL is set.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    DEBUG = env_bool("DJANGO_DEBUG", False)
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random string of 50+ characters.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the portal's host names.")
else:
    DEBUG = env_bool("DJANGO_DEBUG", True)
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "development-only-key-not-secret-phominh-thi-dua-2024-xxxxxxxxxxxx"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

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
    "crispy_bootstrap5",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "csp",
    "campaigns",
    "indicators",
    "awards",
    "django_tasks",
    "django_tasks_db",
    "jobs",
]

MIDDLEWARE = [
    # First: X-Forwarded-* count only when our own proxy sent them (DJANGO_BEHIND_PROXY=1 and the peer is
    # one of DJANGO_TRUSTED_PROXIES); from anyone else they are dropped before anything reads them.
    "phominh.middleware.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before anything reads the body: refuses an oversized or anonymous upload from its headers.
    "phominh.middleware.UploadGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "phominh.middleware.RefuseNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "phominh.language.UserLanguageMiddleware",
    # Django's LoginRequiredMiddleware; an expired session's POST is sent back to its form after login.
    "phominh.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "phominh.middleware.AbsoluteSessionLimitMiddleware",
    "phominh.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "phominh.urls"

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
                "indicators.context_processors.role",
                "campaigns.context_processors.ward",
            ],
        },
    },
]

WSGI_APPLICATION = "phominh.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The document worker (jobs/) writes to the same file as runserver: a writer waits for the other's
    # lock (up to 20 s) instead of failing with "database is locked", and a transaction takes the write
    # lock when it starts, so that two never deadlock upgrading a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "phominh.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 wrong passwords for one user name from one address lock that pair
# out for 15 minutes (HTTP 429 and registration/lockout.html); other addresses, and other user names
# from the same address, still log in, so a guesser cannot lock a colleague out of the ward office.
# Every login, logout and failure is kept in axes' tables (AccessLog, AccessFailureLog) as the audit.
AUTHENTICATION_BACKENDS = [
    "phominh.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("PHOMINH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PHOMINH_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "phominh.auth.lockout_response"
AXES_USERNAME_CALLABLE = "phominh.auth.login_username"
AXES_COOLOFF_MESSAGE = _("Tạm khóa đăng nhập do nhập sai mật khẩu nhiều lần. Hãy thử lại sau ít phút.")
# The address axes counts (phominh.auth.client_ip): the peer's, or behind DJANGO_PROXY_COUNT reverse
# proxies (DJANGO_BEHIND_PROXY=1) the X-Forwarded-For entry the outermost of them appended, read only
# when the peer is one of DJANGO_TRUSTED_PROXIES; what the client wrote further left never counts.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
PHOMINH_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1")) if BEHIND_PROXY else 0
PHOMINH_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "phominh.auth.client_ip"

# Vietnamese first; English arrives with its translation catalogue.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Figures go through the `so` filter (force_grouping); plain integers such as years stay ungrouped.
USE_THOUSAND_SEPARATOR = False
# Django's own "vi" formats set the separators but no grouping; ours add it (4.176, 6.599.100.000).
FORMAT_MODULE_PATH = ["phominh.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Award evidence (PDF, JPEG, PNG) lives under MEDIA_ROOT, which no URL serves: the files are sent only
# through the permission-checked view in awards.views.
EVIDENCE_ROOT = Path(os.environ.get("PHOMINH_EVIDENCE_ROOT", MEDIA_ROOT / "evidence"))
EVIDENCE_MAX_BYTES = int(os.environ.get("PHOMINH_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Long documents (jobs/) are built off the request path by Django's Tasks framework (the django-tasks
# backport; Django 6 has it built in, but needs Python 3.12) with its database backend: the queue is a
# table of the portal's own database, SQLite or PostgreSQL, worked by `manage.py db_worker` (scripts/run
# starts one; production runs as many as wanted, PostgreSQL hands each task to one of them with SKIP
# LOCKED). The tests run tasks at once (ImmediateBackend, tests/conftest.py).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PHOMINH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The portal's public address, printed under the QR code of every certificate (awards-verify): the
# address the public reaches, whatever host the clerk who printed it used.
PHOMINH_PUBLIC_URL = os.environ.get("PHOMINH_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Finished documents (jobs.DocumentJob.result), under MEDIA_ROOT, served only through the owner's view.
JOBS_ROOT = Path(os.environ.get("PHOMINH_JOBS_ROOT", MEDIA_ROOT / "jobs"))
# Where the nightly backup (deploy/backup/phominh-backup.sh) writes; the operations page (/van-hanh/) shows
# its newest file and how old it is.
BACKUP_DIR = Path(os.environ.get("PHOMINH_BACKUP_DIR", "/var/backups/phominh"))
BACKUP_MAX_AGE_DAYS = 2

# Roll-ups are cached per plan, quarter and units while the data behind them is unchanged
# (indicators.rollup.data_fingerprint); plan definitions edited in the admin show within this time.
ROLLUP_CACHE_SECONDS = int(os.environ.get("PHOMINH_ROLLUP_CACHE_SECONDS", "60"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "thidua@phominh.local")
# The SMTP backend's server (deploy/phominh.env.example); Django's defaults when unset.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))

# Excel uploads (indicators/excel.py): the entry template and the admin's master-data import.
# A unit's quarter is a few kilobytes and the whole ward's template well under 1 MB, so 2 MB leaves
# room while keeping a stray photo or export out. Before openpyxl opens a file, its zip entries may
# not inflate to more than 20 MB in all, nor (above 1 MB) more than 100 times their packed size: a
# zip bomb is refused, not unpacked. The proxy in front (nginx client_max_body_size) should allow a
# little more than EXCEL_UPLOAD_MAX_BYTES so that the portal, not the proxy, explains the refusal.
EXCEL_UPLOAD_MAX_BYTES = int(os.environ.get("EXCEL_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024)))
EXCEL_UNZIPPED_MAX_BYTES = int(os.environ.get("EXCEL_UNZIPPED_MAX_BYTES", str(20 * 1024 * 1024)))
EXCEL_MAX_COMPRESSION_RATIO = 100
EXCEL_MAX_ZIP_ENTRIES = 2000

# django-import-export (master data in the admin): every import is first a dry run in a transaction
# that is rolled back, shown as a preview; importing needs the "change" permission of the model,
# exporting the "view" permission.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

# The read-only JSON API for the higher level (campaigns/api/): bearer tokens of API clients only,
# never the portal's session (not even for the schema); reading only; JSON only (no browsable API);
# described by drf-spectacular at /api/v1/schema/. DRF exempts its views from LoginRequiredMiddleware.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["campaigns.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["campaigns.api.permissions.IsApiClient"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng thi đua — API đọc số liệu",
    "DESCRIPTION": "Kế hoạch, chỉ tiêu, kết quả thực hiện theo quý và theo đơn vị, sổ khen thưởng (chỉ đọc).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["campaigns.api.permissions.IsApiClient"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "TargetKindEnum": "indicators.models.Target.Kind",
        "UnitKindEnum": "indicators.models.Unit.Kind",
    },
}

SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 3600)))
# Office computers are shared: closing the browser ends the session, and a session left open ends
# 8 hours after login all the same (the server-side expiry is SESSION_COOKIE_AGE).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "phominh.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): every script, style, font and image comes from the portal itself
# (Bootstrap's icons are data: images); no inline script or style exists, and
# tests/test_security_headers.py keeps it that way.
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Form posts: the largest, a unit's quarter, has 2 fields per data element (49 in the 2024 plan) and
# the longest texts are 20,000 characters; file uploads (Excel, evidence) are not counted here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# A request body larger than the largest upload (evidence 10 MB, Excel 2 MB) plus 1 MB of fields is
# refused with 413 before it is read, and from nobody signed in anything larger than a login form
# (phominh.middleware.UploadGuardMiddleware). Files above 1 MB are streamed to temporary files in
# MEDIA_ROOT/tmp (phominh.uploads), ours to clean (`manage.py clean_uploads`), not in the system's
# temporary folder.
PHOMINH_MAX_UPLOAD_BYTES = int(
    os.environ.get(
        "PHOMINH_MAX_UPLOAD_BYTES", str(max(EVIDENCE_MAX_BYTES, EXCEL_UPLOAD_MAX_BYTES) + 1024 * 1024)
    )
)
PHOMINH_ANONYMOUS_MAX_BYTES = 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
PHOMINH_UPLOAD_TEMP_DIR = Path(os.environ.get("PHOMINH_UPLOAD_TEMP_DIR", MEDIA_ROOT / "tmp"))
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "phominh.uploads.OwnFolderTemporaryFileUploadHandler",
]

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    # Off unless asked for (issue 17): a ward's portal usually lives on a sub-domain of a domain the
    # ward does not own (thidua.<ward>.<province>.gov.vn); includeSubDomains would force https on the
    # owner's other hosts, and the preload list cannot be left quickly. Django's deploy check warns
    # about both; the warnings are silenced only while they are off on purpose.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
    ]
    if BEHIND_PROXY:
        # Read only from the trusted proxy: phominh.middleware.TrustedProxyHeadersMiddleware drops the
        # header of any other peer.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_403": {"()": "phominh.log_filters.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A 403 is one line with the path and the user's id, not a traceback (phominh/log_filters.py).
    "loggers": {"django.request": {"filters": ["one_line_403"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
