"""devboard settings, all read from the environment (see the README's table)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from devboard import logs
from devboard.sso import config as sso_config

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default)
    if value.lower() not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value.lower() == "true"


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = envbool("DEBUG", "false")

_INSECURE_KEY = "insecure-devboard-development-key"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=true for local development).")
    SECRET_KEY = _INSECURE_KEY
elif SECRET_KEY == _INSECURE_KEY and not DEBUG:
    raise ImproperlyConfigured("Set a real SECRET_KEY when DEBUG is off.")
# Old keys still accepted for sessions and links while a new SECRET_KEY takes over (docs/operations.md).
SECRET_KEY_FALLBACKS = [k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "devboard",
    "devboard.accounts",
    "devboard.board",
    "devboard.programs",
    "devboard.twofactor",
    "devboard.sso",
    "djangosaml2",
    "roles",
    "worksheets",
]

MIDDLEWARE = [
    "devboard.health.health_check_middleware",
    "devboard.logs.request_id_middleware",
    "devboard.pagecache.stamps_middleware",  # the request's stamps read once (kept pages)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "devboard.twofactor.middleware.OTPMiddleware",  # django-otp's, with the session's device kept
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "devboard.twofactor.middleware.StaffSecondFactorMiddleware",
    "devboard.sso.oidc.refresh_middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "devboard.accounts.middleware.session_activity_middleware",
    "devboard.accounts.middleware.private_responses_middleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "devboard.urls"
WSGI_APPLICATION = "devboard.wsgi.application"

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
                "devboard.programs.context_processors.programs",
                "devboard.sso.context_processors.sign_in",
                "devboard.context_processors.site",
            ],
            "builtins": ["roles.templatetags.guidance", "devboard.templatetags.design"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail a request (and /readyz) within seconds when the database host is unreachable.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process and host (throttling counts live here). Redis when
# REDIS_URL is set; otherwise a database table that `migrate` creates (devboard/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "devboard.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "devboard_cache"}}
# Whole signed-in pages kept until what they show changes (devboard/pagecache.py). Their version
# stamps must be shared by every worker: Redis in production; without it, only a single process
# (DEBUG's runserver) may keep them, in memory.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
)
PAGE_CACHE = envbool("PAGE_CACHE", "true") and (bool(REDIS_URL) or DEBUG)
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "600")

AUTH_USER_MODEL = "devboard.User"
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "devboard.sso.backends.LocalPasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
    "devboard.sso.oidc.ProviderBackend",
    "devboard.sso.saml.SAMLBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-step sign-in (devboard/twofactor): staff who sign in with a password need it for the admin
# and program pages. Sign-ins through these backends come from the institution's identity
# provider, which does its own second factor; every other backend counts as a local sign-in.
SSO_AUTHENTICATION_BACKENDS = ["devboard.sso.oidc.ProviderBackend", "devboard.sso.saml.SAMLBackend"]
OTP_TOTP_ISSUER = "devboard"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "worksheets:list"
LOGOUT_REDIRECT_URL = "landing"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Who runs this devboard: shown in the bar and the footer.
INSTITUTION_NAME = os.environ.get("INSTITUTION_NAME", "").strip()
# A logo inside the static files (e.g. "brand/logo.svg"), never a remote address: every asset is served from here.
INSTITUTION_LOGO_URL = os.environ.get("INSTITUTION_LOGO_URL", "").strip()
if ":" in INSTITUTION_LOGO_URL or INSTITUTION_LOGO_URL.startswith("/") or ".." in INSTITUTION_LOGO_URL:
    raise ImproperlyConfigured("INSTITUTION_LOGO_URL must be a path inside the static files, e.g. brand/logo.svg.")
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "").strip()
# Leave empty to use the built-in accessibility statement at /accessibility/.
ACCESSIBILITY_URL = os.environ.get("ACCESSIBILITY_URL", "").strip()

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "devboard <devboard@localhost>")
# Invitations and password resets must reach people: with DEBUG off, devboard refuses to start
# without a mail server rather than print working set-password links into the log.
# EMAIL_BACKEND=console prints emails to stdout all the same, on purpose (a trial, a demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
_EMAIL_CHOICE = os.environ.get("EMAIL_BACKEND", "")
if _EMAIL_CHOICE not in ("", "console", "smtp"):
    raise ImproperlyConfigured(f"EMAIL_BACKEND must be smtp or console, not {_EMAIL_CHOICE!r}")
if _EMAIL_CHOICE == "console" or (DEBUG and not EMAIL_HOST and not _EMAIL_CHOICE):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
else:
    raise ImproperlyConfigured(
        "No mail server: set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) so "
        "invitations and password resets reach people, or set EMAIL_BACKEND=console to print every "
        "email, set-password links included, to the log on purpose."
    )

# Hospital workstations are shared: a sign-in lasts a working day, not Django's two weeks.
SESSION_COOKIE_AGE = envint("SESSION_HOURS", "12") * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# ...and a browser left alone is signed out sooner (devboard/accounts/middleware.py).
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "60")
X_FRAME_OPTIONS = "DENY"
# HTTPS, once TLS is in place (docs/operations.md): HSTS, redirect plain HTTP, and trust the
# proxy's X-Forwarded-Proto only when a proxy we run sits in front (anyone can send the header).
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
BEHIND_PROXY = envbool("BEHIND_PROXY", "false")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# devboard usually runs on one host name of a university domain whose other subdomains are not
# ours to commit to HTTPS, and the browsers' preload list is a commitment for years: both are
# decisions for the operator (SECURE_HSTS_INCLUDE_SUBDOMAINS), not warnings on every deploy.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Institutional sign-in (docs/sso.md). Off unless providers are configured.
LOCAL_LOGIN = envbool("LOCAL_LOGIN", "true")
try:
    SSO_OIDC_PROVIDERS = sso_config.oidc_providers(os.environ)
    SSO_SAML = sso_config.saml_settings(os.environ)
except sso_config.SSOConfigError as error:
    raise ImproperlyConfigured(str(error)) from None
# How often an OpenID Connect sign-in is re-checked with its provider (silently).
SSO_REFRESH_SECONDS = envint("SSO_REFRESH_SECONDS", "900")
SAML_CONFIG_LOADER = "devboard.sso.saml.sp_config"
SAML_CSP_HANDLER = ""  # devboard's own CSP (below) covers the SAML views; djangosaml2 need not change it
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
# The IdP posts back from its own site: over HTTPS the SAML session cookie must be SameSite=None.
SAML_SESSION_COOKIE_SAMESITE = "None" if envbool("SECURE_COOKIES", "false") else "Lax"
# Background work (bulk invitations, reminder emails) through Django's tasks API: the database
# backend, run by `manage.py db_worker`, in production; at once, inside the request, with DEBUG.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# The program dashboard reads figures the worker counted (devboard/programs/figures.py): older
# than REFRESH_AFTER seconds, they are shown and counted again in the background; older than
# MAX_AGE (a worker down), or from last month, the page counts them itself before answering.
PROGRAM_FIGURES_REFRESH_AFTER = envint("PROGRAM_FIGURES_REFRESH_AFTER", "600")
PROGRAM_FIGURES_MAX_AGE = envint("PROGRAM_FIGURES_MAX_AGE", "86400")

# One line per event on stdout: JSON for log collectors, text for a terminal (see devboard/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = logs.logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "WARNING"))

# Sign-in throttling (django-axes, counted in the database so every host agrees): five wrong
# passwords for one username from one address pause sign-in for that pair for 15 minutes, on the
# site and in the admin alike. A right password before that clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "devboard.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "devboard.audit.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in devboard's own audit log
AXES_VERBOSE = False

# Password-reset emails per address and per account, per hour (counted in the shared cache).
PASSWORD_RESET_LIMIT = envint("PASSWORD_RESET_LIMIT", "3")
# How long the audit log keeps an event; `manage.py prune_audit` (run daily) deletes older ones.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", "365")

# Content-Security-Policy: everything from our own origin, no inline script or style anywhere
# (templates load static/js and static/css only). CSP_REPORT_ONLY=true sends the same policy as
# Content-Security-Policy-Report-Only, to try a change without breaking pages.
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons (menu, select arrow, checks) as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
if envbool("CSP_REPORT_ONLY", "false"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
