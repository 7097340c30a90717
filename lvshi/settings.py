"""Settings for the Lawyer Service Platform.

Everything that differs between a laptop and production comes from the
environment through the typed helpers in ``lvshi.core.env``. The settings
fail closed: ``DEBUG`` is off unless the environment turns it on (``make``
does, for ``make run`` and ``make test``), and with it off every key must be
given; the development keys below exist only with ``DEBUG=1``. Other defaults
suit a laptop: SQLite, console SMS and e-mail.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from lvshi.core.env import env_bool, env_database, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LVSHI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
_DEV_ONLY = " (for development, set DEBUG=1 as `make run` does)"
_DEV_SECRET = "dev-only-insecure-key-change-me-9f3c1b7e2d"
SECRET_KEY = env_secret("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" + _DEV_ONLY)

# Keys for personal data. Separate from SECRET_KEY so that rotating the
# session key never makes stored identity numbers unreadable.
FIELD_ENCRYPTION_KEY: str = (
    env_secret("FIELD_ENCRYPTION_KEY", "dev-field-key-0123456789abcdef" if DEBUG else None) or ""
)
BLIND_INDEX_KEY: str = env_secret("BLIND_INDEX_KEY", "dev-blind-index-key-fedcba9876543210" if DEBUG else None) or ""
AUDIT_CHAIN_KEY: str = env_secret("AUDIT_CHAIN_KEY", "dev-audit-chain-key-5a5a5a5a5a5a" if DEBUG else None) or ""
if not (FIELD_ENCRYPTION_KEY and BLIND_INDEX_KEY and AUDIT_CHAIN_KEY):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY and AUDIT_CHAIN_KEY must be set when DEBUG is off" + _DEV_ONLY
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "js_lib_htmx",
    "template_partials",
    "ninja",
    "axes",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "lvshi.core",
    "lvshi.orgs",
    "lvshi.accounts",
    "lvshi.audit",
    "lvshi.notify",
    "lvshi.calendar",
    "lvshi.visits",
    "lvshi.courts",
    "lvshi.laws",
    "lvshi.bureau",
    "lvshi.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lvshi.core.middleware.ClientIPMiddleware",
    "lvshi.core.middleware.PrivateResponseMiddleware",
    "lvshi.core.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lvshi.site.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lvshi.accounts.middleware.SessionSecurityMiddleware",
    "lvshi.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lvshi.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "lvshi.site.middleware.ErrorPagesMiddleware",
    "lvshi.core.middleware.PageRefusalMiddleware",
]
# Django's technical 404/500 pages instead of the site's (development only).
DEBUG_ERROR_PAGES = DEBUG and env_bool("DEBUG_ERROR_PAGES", False)

ROOT_URLCONF = "lvshi.urls"
WSGI_APPLICATION = "lvshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lvshi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lvshi.site.context_processors.shell",
            ],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", sqlite_path=VAR_DIR / "lvshi.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lvshi"}}

# --- Background work (Django's Tasks API) ----------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "notify"]}}
elif TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "notify"]}}
    RQ_QUEUES = {q: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"} for q in ("default", "notify")}
elif TASKS_BACKEND == "immediate":
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "notify"]}
    }
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be database, rq or immediate")

# --- Accounts and security ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "lvshi.accounts.backends.IdentityBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("name", "email", "mobile")},
    },
    {"NAME": "lvshi.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lvshi.accounts.passwords.ComplexityValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "lvshi.accounts.passwords.PersonalDataValidator"},
]

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)  # seconds of inactivity
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# Login throttling: 5 failures lock the account and, separately, the client
# address for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
# Only a complete sign-in clears the account's counter, never the address's
# counter for other accounts: lvshi.accounts.security.reset_account_failures.
AXES_RESET_ON_SUCCESS = False
# Attempts during a lock-out do not extend it, so "retry after HH:MM" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "lvshi.accounts.security.lockout_response"
AXES_USERNAME_CALLABLE = "lvshi.accounts.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "lvshi.accounts.security.axes_client_ip"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app whose X-Forwarded-For is to be
# believed. 0 → the peer address is the client address, whatever headers say.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

CAPTCHA_TEST_MODE = env_bool("CAPTCHA_TEST_MODE", False)

# Court fees: "simulated" plays WeChat Pay and Alipay with signed callbacks
# (development and tests; ``check --deploy`` warns while it is on).
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "simulated")
PAYMENT_MERCHANTS = {
    "wechat": env_str("PAYMENT_WECHAT_MCHID", "1900000109"),
    "alipay": env_str("PAYMENT_ALIPAY_APP_ID", "2021000000000001"),
}
# How long a payment QR code stays valid.
PAYMENT_QR_MINUTES = env_int("PAYMENT_QR_MINUTES", 30)
# Travel time between places, in minutes, where no pair is set (calendar.TravelTime).
TRAVEL_MINUTES_SAME_CITY = env_int("TRAVEL_MINUTES_SAME_CITY", 60)
TRAVEL_MINUTES_OTHER = env_int("TRAVEL_MINUTES_OTHER", 180)
# Working days after which a lawyer's unanswered message stands out on the judge's workbench (C10).
COURT_MESSAGE_REPLY_DAYS = env_int("COURT_MESSAGE_REPLY_DAYS", 3)
# Training hours a lawyer completes each year; the annual assessment shows it (A7).
BAR_TRAINING_HOURS = env_int("BAR_TRAINING_HOURS", 40)
# Public lookups (lawyers, firms, letters) one client address may make per minute.
PUBLIC_LOOKUP_PER_MINUTE = env_int("PUBLIC_LOOKUP_PER_MINUTE", 30)
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5  # minutes
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
CAPTCHA_LETTER_ROTATION = (-25, 25)

OTP_TOTP_ISSUER = "律师服务平台"
SMS_CODE_TTL_SECONDS = 600
SMS_CODE_MAX_TRIES = 5

API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 12)

# --- Audit -------------------------------------------------------------------
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
AUDIT_MIN_RETENTION_DAYS = 184
AUDIT_CHAIN_SHARDS = env_int("AUDIT_CHAIN_SHARDS", 16)
if AUDIT_RETENTION_DAYS < AUDIT_MIN_RETENTION_DAYS:
    raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS must be at least {AUDIT_MIN_RETENTION_DAYS}")
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Notifications -----------------------------------------------------------
SMS_BACKEND = env_str("SMS_BACKEND", "lvshi.notify.sms.ConsoleSmsBackend")
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(VAR_DIR / "sms")))
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "律师服务平台 <noreply@lvshi.example.cn>")

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lvshi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages (htmx) are Python packages installed by pip with the rest
# (docs/decisions/0003); their static files are found by the app finder.
STATICFILES_DIRS = [
    BASE_DIR / "lvshi" / "static",
]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security headers ----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from csp.constants import NONCE, NONE, SELF  # noqa: E402

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

# --- Logging: one JSON object per line in production ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "lvshi.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"explained_refusals": {"()": "lvshi.core.logging.SkipExplainedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain" if DEBUG else "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["explained_refusals"]},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []
