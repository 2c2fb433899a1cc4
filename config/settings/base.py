"""Settings shared by every environment. Configuration comes from the environment with
defaults that work on a laptop: SQLite and no Redis unless DATABASE_URL / REDIS_URL say so."""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("APP_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-only-key")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "django_fsm",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    # Before the project's apps: its user_login_failed receiver must have counted the attempt
    # (and flagged a lockout) when the audit receiver in municipalities reads the request.
    "axes",
    "core",
    "audit",
    "municipalities",
    "procurement",
    "benefits",
    "contracts",
    "comments",
    "tendering",
    "evaluation",
    "api",
    "notifications",
    "meetings",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into the response.
    "axes.middleware.AxesMiddleware",
]

# Every environment sends the same policy, so an inline script or style that slips into a
# template breaks in development and in the browser tests, not first in production.
# Nothing inline is allowed: scripts and styles come from static files only, and htmx is told
# not to inject its indicator <style> (templates/base.html). img-src also allows data: URIs
# because Designsystemet draws its alert and validation icons as data: SVG masks in its CSS;
# an image cannot run script, so this does not reopen what the policy closes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "font-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "procurement.context_processors.may_report_need",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start's web server and Celery worker processes write to one file: a writer
    # takes the lock when its transaction begins and the others wait for it, instead of
    # failing with "database is locked" when a reader turns into a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "judgements": the cases' verdicts (procurement.verdicts), and "pages": the main part of the
# procurement pages and lists as HTML (procurement.page_cache), both keyed by what they were
# drawn from, so an entry is never stale and needs no invalidation; each process keeps its
# own. A page is tens of kilobytes: 1 000 of them are at most about 100 MB.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "judgements": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "judgements",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("JUDGEMENT_CACHE_ENTRIES", "20000"))},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "1000"))},
    },
}

AUTH_USER_MODEL = "municipalities.Person"
# Guardian looks for its own backend by name; core.permissions.ObjectPermissionsBackend is
# that backend, able to read a screen's object permissions once.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before any password is checked:
    # a correct password does not get in during the cool-off. It needs the request, so
    # authenticate() outside a request (the test client's login()) must pass one.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "core.permissions.ObjectPermissionsBackend",  # guardian's, able to read a screen's permissions once
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors get nothing
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failures within the cool-off, the
# username is locked from every address, and the address is locked for every username; each
# lock lasts LOGIN_COOLOFF_MINUTES after the last failure. A successful login clears the
# failures of its username and address. One limit serves both locks (axes has one), so an
# office behind one NAT address shares it. Every attempt is in the admin (access attempts and
# the failure log) and each failure in the audit log (municipalities/receivers.py).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "core.views.login.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none and
# uses the connection's address. Only correct when the app cannot be reached around them.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from the npm lock file; only their built files are served.
    ("vendor/designsystemet-css", BASE_DIR / "node_modules/@digdir/designsystemet-css/dist/src"),
    ("vendor/designsystemet-theme", BASE_DIR / "node_modules/@digdir/designsystemet-theme/brand"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded documents live outside the web root and are only served through a view that
# checks permission and writes the download to the audit log. MEDIA_URL is never routed.
MEDIA_ROOT = Path(os.environ.get("APP_MEDIA_ROOT", VAR_DIR / "uploads"))
MEDIA_URL = "/_protected_media_is_not_served/"
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(25 * 1024 * 1024)))
UPLOAD_ALLOWED_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "pptx", "odt", "ods", "txt", "png", "jpg"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "anskaffelser@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # links in e-mails

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # kombu's filesystem transport does not create its folders itself.
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Records the reminders that have come due; each exists once (its outbox key), however
    # often this runs.
    "reminders-sweep": {"task": "notifications.sweep_reminders", "schedule": 15 * 60},
    # Sends what is due in the outbox: new rows, retries after their back-off, rows a dead
    # worker held once their lease has run out, events whose own task was lost.
    "outbox-dispatch": {"task": "notifications.dispatch", "schedule": 60},
    # Minutes that no correction arrived for by the 4th working day before the next meeting.
    "minutes-approve": {"task": "meetings.approve_minutes", "schedule": 60 * 60},
}
# Reminders: days before a deadline (negative: after it, overdue); each is sent once.
REMINDER_OFFSETS = [int(days) for days in os.environ.get("REMINDER_OFFSETS", "7,1,0,-1").split(",") if days.strip()]
# Deadlines overdue longer than this get no reminder any more (and are not read by the sweep).
REMINDER_OVERDUE_DAYS = int(os.environ.get("REMINDER_OVERDUE_DAYS", "14"))
# Kinds of deadline whose reminders start earlier than REMINDER_OFFSETS: a contract that runs
# out or an option that lapses needs its first reminder five months (150 days) ahead, time
# for a new procurement or a decision. REMINDER_CONTRACT_FIRST_DAYS moves that first one.
_CONTRACT_FIRST = int(os.environ.get("REMINDER_CONTRACT_FIRST_DAYS", "150"))
REMINDER_OFFSETS_BY_KIND = {
    "contract_expiry": [_CONTRACT_FIRST, 60, 30, 7, 0, -1],
    "contract_option": [_CONTRACT_FIRST, 60, 30, 7, 0, -1],
    "acceptance_test": [14, 7, 1, 0, -1],
    # A joining round's deadline: two weeks to get an agreement signed, and no reminder after
    # it (joining is refused then).
    "joining": [14, 7, 1, 0],
}
# The buyer's deadline to answer a complaint to it (contracts: a derived deadline, reminded
# to the coordinator and the regional buyer). The project's legal notes give no figure: the
# procurement regulation sets the buyer no deadline, but an open complaint blocks signing,
# so it must be answered before the contract can go ahead. 10 working days (two weeks) is
# the default [check], a setting so each installation can set its own practice.
COMPLAINT_ANSWER_WORKING_DAYS = int(os.environ.get("COMPLAINT_ANSWER_WORKING_DAYS", "10"))
REMINDER_SOURCES = [
    "procurement.notifications.deadline_reminders",
    "meetings.reminders.minutes_reminders",
    "procurement.escalations.signoff_escalations",
]
# A sign-off step that has waited this many days is escalated to the coordinators, once per
# step and document version (procurement/escalations.py).
SIGNOFF_ESCALATION_DAYS = int(os.environ.get("SIGNOFF_ESCALATION_DAYS", "7"))
# The outbox (notifications/services.py). The lease must outlast a send (EMAIL_TIMEOUT).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_RETRY_BASE_SECONDS = 60  # then 2, 4, 8 ... minutes
OUTBOX_RETRY_MAX_SECONDS = 6 * 60 * 60
OUTBOX_DISPATCH_BATCH = 500

# Rows per page of the procurement lists (dashboard, "my tasks"): each page judges only its
# own rows, so this bounds the work of a request whatever the number of procurements.
PROCUREMENT_PAGE_SIZE = 25
# Meetings per page of a meeting list (a collaboration's network meets for years).
MEETINGS_PAGE_SIZE = 25

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {"TITLE": "Felles anskaffelser API", "VERSION": "0.1.0"}

# The certificate the signed copies of contracts and data processing agreements are sealed
# with (PAdES, pyHanko): a PKCS#12 file and its passphrase. Unset, a self-signed demo
# certificate is made at first use under $APP_VAR_DIR/agreements/ (never in production).
AGREEMENTS_SIGNING_PKCS12 = os.environ.get("AGREEMENTS_SIGNING_PKCS12", "")
AGREEMENTS_SIGNING_PASSPHRASE = os.environ.get("AGREEMENTS_SIGNING_PASSPHRASE", "")
AGREEMENTS_DEMO_CERTIFICATE = True
# The signing step (agreements.signing.PdfSigner); a BankID or other provider replaces it here.
AGREEMENTS_PDF_SIGNER = "agreements.signing.InstallationCertificateSigner"

# The local login page lists the demo accounts; production never does.
SHOW_DEMO_LOGINS = False
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-passord-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
