"""Settings for estate, read only from environment variables (see .env.example)."""

import re
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from estate.core.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

DEBUG = env.boolean("DEBUG", False)
SECRET_KEY = env.string("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise env.fail("SECRET_KEY", "must be set when DEBUG is false")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS", [])
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.boolean("BEHIND_HTTPS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page runs a script or applies a style it did not ship: no inline code, no other origin.
# Images and fonts may be data: URIs (Bootstrap draws its form controls with them).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "estate.core",
    "estate.accounts",
    "estate.properties",
    "estate.notifications",
    "estate.messaging",
    "estate.frontdesk",
    "estate.workorders",
    "estate.timerules",
    "estate.emergencies",
    "estate.visits",
    "estate.notices",
    "estate.language",
    "estate.knowledge",
    "estate.billing",
    "estate.invoicing",
    "estate.dunning",
    "estate.onlinepay",
    "estate.equipment",
    "estate.patrols",
    "estate.planned",
    "estate.community",
    "estate.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "estate.core.middleware.OfficeLanguageMiddleware",
    "estate.core.middleware.ApiQueryTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "estate.accounts.sessions.StaffSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "estate.core.middleware.OfficeTimezoneMiddleware",
    "estate.core.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "estate.urls"
WSGI_APPLICATION = "estate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "estate" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "estate.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.database("DATABASE_URL", "sqlite:///var/estate.sqlite3", base_dir=BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The figures' covering indexes carry extra columns on PostgreSQL only; SQLite builds the
# plain index and that is fine (decision 0007).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Staff sessions end after this long without a request, and this long after signing in
# whatever happens; residents' portal sessions last SESSION_COOKIE_AGE (a phone stays signed in).
SESSION_IDLE_MINUTES = env.integer("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_MAX_HOURS = env.integer("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_DAYS", 14, minimum=1) * 24 * 3600
API_TOKEN_DAYS = env.integer("API_TOKEN_DAYS", 30, minimum=1)
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = env.networks("TRUSTED_PROXIES", [])
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: Traditional Chinese is the default; Simplified Chinese and English follow.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [
    ("zh-hant", _("Traditional Chinese")),
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Shown times follow the office's own zone (OfficeTimezoneMiddleware); this is the fallback.
TIME_ZONE = env.timezone("TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / env.string("STATIC_ROOT", "var/static")  # an absolute path stays absolute
STATICFILES_DIRS = [BASE_DIR / "estate" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / env.string("MEDIA_ROOT", "var/media")  # an absolute path stays absolute
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {
    "default": {
        "BACKEND": env.choice(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            {"django_tasks_db.DatabaseBackend", "django.tasks.backends.immediate.ImmediateBackend"},
        ),
        "QUEUES": ["default"],
    }
}
# A task still RUNNING this long after a worker claimed it is taken to be orphaned (its worker
# was killed) and is queued again; tasks are idempotent, so a slow one run twice does no harm.
TASK_CLAIM_TIMEOUT = env.integer("TASK_CLAIM_TIMEOUT", 300, minimum=5)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a call without credentials is answered 401 with WWW-Authenticate.
        "estate.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["estate.core.permissions.IsStaffMember"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "estate.core.api.CursorPages",
    "DEFAULT_PARSER_CLASSES": [
        "estate.core.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "estate.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "estate API",
    "DESCRIPTION": "Service desk for property-management offices and campus service centres.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, so the schema (and clients generated from it) read well.
    "ENUM_NAME_OVERRIDES": {
        "WorkOrderKindEnum": "estate.workorders.choices.Kind",
        "WorkOrderStatusEnum": "estate.workorders.choices.Status",
        "PriorityEnum": "estate.workorders.choices.Priority",
        "EventChannelEnum": "estate.workorders.choices.EventChannel",
        "ReplyChannelEnum": "estate.workorders.choices.ReplyChannel",
        "ContactChannelEnum": "estate.frontdesk.choices.Channel",
        "VisitChannelEnum": "estate.visits.choices.VisitChannel",
        "OfficeKindEnum": "estate.properties.choices.OfficeKind",
        "HouseholdKindEnum": "estate.properties.choices.HouseholdKind",
        "RequesterKindEnum": "estate.properties.choices.RequesterKind",
        "ServiceUnitKindEnum": "estate.properties.choices.ServiceUnitKind",
        "UnitUseEnum": "estate.properties.choices.UnitUse",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
}

# Notifications outside the app. Email: console by default (printed by the server), or SMTP.
_EMAIL_BACKEND = env.choice(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    },
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env.string("EMAIL_HOST", "localhost"),
                "port": env.integer("EMAIL_PORT", 25, minimum=1),
                "username": env.string("EMAIL_HOST_USER", ""),
                "password": env.string("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env.boolean("EMAIL_USE_TLS", False),
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "estate@localhost")
SMS_GATEWAY = env.string("SMS_GATEWAY", "estate.messaging.sms.ConsoleSms")
# The mainland providers (estate/messaging/providers/, docs/operations.md "SMS providers"): each
# one's credentials are required when it is the gateway, so a missing key stops start-up.
ALIYUN_SMS_GATEWAY = "estate.messaging.providers.aliyun.AliyunSms"
TENCENT_SMS_GATEWAY = "estate.messaging.providers.tencent.TencentSms"
ALIYUN_SMS_ACCESS_KEY_ID = env.string("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = env.string("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_ENDPOINT = env.url("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
TENCENT_SMS_SECRET_ID = env.string("TENCENT_SMS_SECRET_ID", "")
TENCENT_SMS_SECRET_KEY = env.string("TENCENT_SMS_SECRET_KEY", "")
TENCENT_SMS_SDK_APP_ID = env.string("TENCENT_SMS_SDK_APP_ID", "")
TENCENT_SMS_REGION = env.string("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_ENDPOINT = env.url("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com")
SMS_TIMEOUT_SECONDS = env.integer("SMS_TIMEOUT_SECONDS", 10, minimum=1)
for _needed in {
    ALIYUN_SMS_GATEWAY: ("ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET"),
    TENCENT_SMS_GATEWAY: (
        "TENCENT_SMS_SECRET_ID",
        "TENCENT_SMS_SECRET_KEY",
        "TENCENT_SMS_SDK_APP_ID",
    ),
}.get(SMS_GATEWAY, ()):
    if not globals()[_needed]:
        raise env.fail(_needed, f"must be set when SMS_GATEWAY is {SMS_GATEWAY}")
# Who issues invoices (estate/invoicing/providers/, docs/decisions/0017-invoices.md): the console
# provider numbers and prints them itself; a tax-control service's adapter is named here.
INVOICE_PROVIDER = env.string(
    "INVOICE_PROVIDER", "estate.invoicing.providers.console.ConsoleProvider"
)
if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", INVOICE_PROVIDER):
    raise env.fail("INVOICE_PROVIDER", "must be a dotted path to a provider class")
# The secret in the address of the providers' callbacks (receipts, replies); without one the
# callbacks answer 404, so nobody can forge a receipt.
SMS_CALLBACK_TOKEN = env.string("SMS_CALLBACK_TOKEN", "")
if SMS_CALLBACK_TOKEN and len(SMS_CALLBACK_TOKEN) < 24:
    raise env.fail("SMS_CALLBACK_TOKEN", "must be at least 24 characters (a random string)")
# The office's WeChat service account (服務號): its API and the web-authorisation page. Only a
# test stub or a proxy changes them; the account's app id, secret and token are per office.
WECHAT_API_BASE = env.url("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_OPEN_BASE = env.url("WECHAT_OPEN_BASE", "https://open.weixin.qq.com")
# Email that comes in: the webhook's shared secret (empty: the webhook is off), the office of
# a message that is not a reply to one of estate's (empty: the only office), and the mailbox
# that `manage.py poll_mailbox` reads (empty host: nothing to poll).
INBOUND_EMAIL_TOKEN = env.string("INBOUND_EMAIL_TOKEN", "")
INBOUND_EMAIL_OFFICE = env.string("INBOUND_EMAIL_OFFICE", "")
INBOUND_EMAIL_MAX_BYTES = env.integer("INBOUND_EMAIL_MAX_BYTES", 30 * 1024 * 1024, minimum=1024)
IMAP_HOST = env.string("IMAP_HOST", "")
IMAP_PORT = env.integer("IMAP_PORT", 993, minimum=1)
IMAP_SECURITY = env.choice("IMAP_SECURITY", "ssl", {"ssl", "starttls", "none"})
IMAP_USER = env.string("IMAP_USER", "")
IMAP_PASSWORD = env.string("IMAP_PASSWORD", "")
IMAP_FOLDER = env.string("IMAP_FOLDER", "INBOX")
# The address staff reach the desk at, for links in emails.
SITE_URL = env.string("SITE_URL", "http://127.0.0.1:8000")

# Demo data and its single password; only used by `manage.py seed_demo`.
DEMO_PASSWORD = env.string("DEMO_PASSWORD", "estate-demo-2026")
