"""Settings for chainparty. Every value that differs between machines comes from the environment
(read through chainparty.env); the defaults are the embedded development set-up: SQLite, Celery on
kombu's filesystem transport, console e-mail."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from chainparty.env import env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CHAINPARTY_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "chainparty.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "guardian",
    "chainparty.apps.AxesConfig",  # django-axes, named in Chinese
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "chainparty",  # the project package as an app: its seed_demo command sees every app
    "accounts",
    "chains",
    "secretaries",
    "dashboards",
    "workdays",
    "inbox",
    "issues",
    "partyorgs",
    "meetings",
]

MIDDLEWARE = [
    # Outermost: every error answer under /api/ in the documented JSON shape, DEBUG or not.
    "chainparty.middleware.ApiErrorsMiddleware",
    # First: refuses an over-large body before anything reads it.
    "chainparty.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view (a refused sign-in is counted before it is tried).
    "chainparty.middleware.ThrottleMiddleware",
    "accounts.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.security.NoStoreMiddleware",
    "accounts.security.IdleTimeoutMiddleware",
    "accounts.security.TwoFactorMiddleware",
    "accounts.security.PasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chainparty.urls"
WSGI_APPLICATION = "chainparty.wsgi.application"

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
                "accounts.context_processors.navigation",
                "inbox.context_processors.inbox",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chainparty.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The web server and the Celery worker share one file: wait for a lock rather than fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- identity -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.passwords.NoUsernameValidator"},
    {"NAME": "accounts.passwords.HistoryValidator", "OPTIONS": {"count": 5}},
]
# A password older than this must be changed at the next request (0: never).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# Signed out after this many seconds without a request (beside SESSION_COOKIE_AGE, the absolute limit).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
# An API token stops working this many days after it was issued (0: never).
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 90)
# The second factor (TOTP, django-otp; accounts.twofactor): required of district staff, the security
# and audit administrators and every account with admin access, optional for everyone else (who use it
# once they enrol). Off only for development or a test that does not test it.
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "chainparty") or "chainparty"
# After a wrong code the next try waits 1, 2, 4, 8 ... seconds (django-otp's throttle).
OTP_TOTP_THROTTLE_FACTOR = 1
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- transport and headers (MLPS 2.0 level 3: confidentiality in transit, intrusion prevention) ---
# TLS ends at the reverse proxy, which tells the app with a header, e.g.
# SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https" (the proxy must overwrite it, never pass it on).
_proxy_ssl = env_str("SECURE_PROXY_SSL_HEADER", "") or ""
if _proxy_ssl:
    _header, _sep, _value = _proxy_ssl.partition(":")
    if not _sep or not _header.strip() or not _value.strip():
        raise ImproperlyConfigured(
            f'SECURE_PROXY_SSL_HEADER must look like "X-Forwarded-Proto: https", got {_proxy_ssl!r}'
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer's probe speaks plain HTTP inside
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and images from this server only, no inline
# script or style anywhere (templates load static/js/*.js), no framing, forms post here only.
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

# django-axes: lock the (username, IP) pair, not the IP alone: a whole office shares one NAT address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address behind AXES_PROXY_COUNT trusted reverse proxies, read by django-ipware for
# the lockout and the audit trail alike (accounts.audit.client_ip). Each proxy appends the address it
# saw to X-Forwarded-For, so the client is the AXES_PROXY_COUNT-th entry from the right: whatever a
# client puts in the header itself stays to the left and is never read. ipware counts the entries
# after the client (one less than the proxies, the last proxy being REMOTE_ADDR) and, not strict,
# accepts a longer, forged chain. Without a proxy the header is ignored: the peer is the client.
REVERSE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
if REVERSE_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AXES_PROXY_COUNT must be 0 or more")
AXES_IPWARE_PROXY_COUNT = REVERSE_PROXY_COUNT - 1 if REVERSE_PROXY_COUNT else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if REVERSE_PROXY_COUNT else ["REMOTE_ADDR"]
IPWARE_STRICT = False

# The audit trail is kept this many days before `manage.py purge_audit` may delete it (at least 180).
AUDIT_KEEP_DAYS = env_int("AUDIT_KEEP_DAYS", 180)
if AUDIT_KEEP_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_KEEP_DAYS must be at least 180 (MLPS 2.0 level 3)")

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# --- language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files: served by the app itself (intranets have no CDN) -----------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- REST ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "chainparty.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "chainparty.schema.AutoSchema",
    "EXCEPTION_HANDLER": "chainparty.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "chainparty.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# The largest request body read at all (chainparty.middleware): ten attachments of 20 MB and the form.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 210 * 1024 * 1024)
# The most of one uploaded file kept while the body streams in (chainparty.uploads); the services
# refuse a larger file by name: an attachment may be this size, a spreadsheet to import 10 MB. Not
# from the environment: a smaller cap would hand a service a cut-short file of a size it accepts.
MAX_FILE_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "chainparty.uploads.FileSizeCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Issues one account may submit in an hour (complaint-session entries aside); beyond: 429 / a message.
ISSUE_SUBMIT_LIMIT_PER_HOUR = env_int("ISSUE_SUBMIT_LIMIT_PER_HOUR", 30)
# What one address may ask without signing in (chainparty.middleware.ThrottleMiddleware), as "60/min"
# (s, min, h, d) or "off". Behind a reverse proxy set AXES_PROXY_COUNT, or every client shares the
# proxy's address and so one count.
RATE_LIMITS = {
    "login": env_rate("RATE_LIMIT_LOGIN", "30/min"),
    "api_anonymous": env_rate("RATE_LIMIT_API_ANONYMOUS", "60/min"),
    "calendar_feed": env_rate("RATE_LIMIT_CALENDAR_FEED", "60/min"),
    "set_language": env_rate("RATE_LIMIT_SET_LANGUAGE", "30/min"),
}
# Limits of a JSON body on the API (chainparty.parsers.JSONParser): a larger or deeper one is a 400.
JSON_MAX_BYTES = env_int("JSON_MAX_BYTES", 2 * 1024 * 1024)
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 20)
SPECTACULAR_SETTINGS = {
    "TITLE": "chainparty API",
    "DESCRIPTION": "链长制党建工作平台 REST API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and its docs describe every route: signed-in users only, except in development.
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny" if DEBUG else "rest_framework.permissions.IsAuthenticated"
    ],
    # Several resources have a `kind` field with their own choices; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "accounts.models.UnitKind",
        "ParkKindEnum": "chains.models.ParkKind",
        "FacilityKindEnum": "chains.models.FacilityKind",
        "EnterpriseKindEnum": "chains.models.EnterpriseKind",
        "MeasureKindEnum": "chains.models.MeasureKind",
        "IssueStatusEnum": "issues.models.Status",
        # The actions a person takes on an issue: allowed_actions and blocked_actions share the set.
        "IssueActionEnum": "issues.workflow.PEOPLE_ACTIONS",
        "ShareStatusEnum": "issues.models.ShareStatus",
        "ExtensionStatusEnum": "issues.models.ExtensionStatus",
        "CategoryKindEnum": "issues.models.CategoryKind",
        "ChainMasterStatusEnum": "chains.models.ChainMasterStatus",
        "MeasureStatusEnum": "chains.models.MeasureStatus",
        "PostingKindEnum": "secretaries.models.PostingKind",
        "OrgKindEnum": "partyorgs.models.OrgKind",
        "OrgMeetingKindEnum": "partyorgs.models.MeetingKind",
        "MeetingStatusEnum": "meetings.models.Status",
        "PostingStatusEnum": "secretaries.models.PostingStatus",
        "WorkLogKindEnum": "secretaries.models.WorkLogKind",
    },
}

FILTERS_EMPTY_CHOICE_LABEL = _("All")

# The dashboards' figures, kept for the minute they may be served again (dashboards.figures.current):
# in each process's memory, so nothing else has to run and nothing is lost when something is down;
# each process computes a dashboard at most once a minute.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chainparty"}}

# --- background jobs -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_QUEUE_DIR = VAR_DIR / "celery-queue"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # Embedded default: kombu's filesystem transport, so `make run` needs no Redis and the worker
    # (with embedded beat) really runs the scheduled jobs.
    CELERY_BROKER_URL = "filesystem://"
    for _folder in ("processed", "control"):
        (CELERY_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "chainparty")

# Quarterly chain meetings: invitees are reminded this many working days before the date.
MEETING_REMINDER_WORKING_DAYS = env_int("MEETING_REMINDER_WORKING_DAYS", 3)
if not 0 <= MEETING_REMINDER_WORKING_DAYS <= 20:
    raise ImproperlyConfigured("MEETING_REMINDER_WORKING_DAYS must be between 0 and 20")

# --- postings (secretaries) -----------------------------------------------------------------
# Whether the district lets one cadre serve several enterprises at once as first secretary or
# instructor (issue 8: "only where the district allows it").
SECRETARIES_MULTIPLE_ENTERPRISES = env_bool("SECRETARIES_MULTIPLE_ENTERPRISES", False)

# --- e-mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other; set one.")
# A mail server that stops answering must not hold the outbox for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "chainparty@localhost")

# --- logs: one JSON-ish line per record, to stdout ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {"format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
