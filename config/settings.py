"""Settings for madoguchi: one module, driven by environment variables (see config/env.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("MADOGUCHI_VAR_DIR", str(BASE_DIR / "var"), "Folder for the SQLite database, "
                   "mail outbox, uploads and benchmark results."))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env("DEBUG", "false", "Django debug mode; never on in production.", bool)
SECRET_KEY = env(
    "SECRET_KEY",
    "insecure-embedded-default-change-me",
    "Django secret key; set a long random value in production.",
)
ALLOWED_HOSTS = env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]",
                    "Comma-separated host names the server answers to.", list)
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS", "",
                           "Comma-separated origins (https://…) trusted for POST.", list)
SECURE_COOKIES = env("SECURE_COOKIES", "false",
                     "Send session and CSRF cookies over HTTPS only (on in production).", bool)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "ninja",
    # Before django_tasks_db: core's db_worker (retry, lease, heartbeat; ADR 0025) replaces
    # the library's command of the same name.
    "madoguchi.core",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "madoguchi.organisation",
    "madoguchi.accounts",
    "madoguchi.audit",
    "madoguchi.people",
    "madoguchi.scheduling",
    "madoguchi.consultations",
    "madoguchi.notifications",
    "madoguchi.meetings",
    "madoguchi.files",
    "madoguchi.documents",
    "madoguchi.procedures",
    "madoguchi.portal",
    "madoguchi.applications",
    "madoguchi.assessment",
    "madoguchi.collaboration",
    "madoguchi.counter",
    "madoguchi.site",  # assembles the apps: front page, health, backup, demo (ADR 0034)
    "madoguchi.disaster",
    "madoguchi.signage",
    "madoguchi.guidance",
    "madoguchi.participation",
    "madoguchi.community",
    "madoguchi.opinions",
    "madoguchi.selfbook",
    "madoguchi.flyers",
    "madoguchi.news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "madoguchi.portal.session.PortalSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "madoguchi.core.middleware.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "madoguchi.core.middleware.UploadGateMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "madoguchi.accounts.middleware.TwoFactorRequiredMiddleware",
    "madoguchi.audit.denied.DeniedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "madoguchi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "madoguchi.accounts.context_processors.navigation",
                "madoguchi.disaster.context.disaster_mode",
            ],
            "builtins": ["madoguchi.core.templatetags.wareki"],
        },
    }
]

DATABASE_URL = env(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'madoguchi.sqlite3'}",
    "Database; SQLite file by default, postgres://user@host:5432/name in production.",
)
# No persistent connections: under ASGI every request runs in a thread of its own, so a
# kept connection is never reused and they pile up until PostgreSQL refuses new clients
# ("too many clients already" with 32 concurrent submissions, var/bench/procedures.json).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so that browser tests' ASGI server process shares the test data;
    # one per test process, so that two test runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DATABASE_POOL_SIZE = env(
    "DATABASE_POOL_SIZE", "0",
    "PostgreSQL only: share at most this many connections among the requests of one "
    "process (psycopg_pool); 0: a connection per request. Without it, N concurrent "
    "requests open N connections (var/bench/participation.json).", int)
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 120}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session expires this many seconds after the last request.
SESSION_COOKIE_AGE = env("SESSION_IDLE_SECONDS", "1800",
                         "Idle session timeout for staff, in seconds.", int)
SESSION_SAVE_EVERY_REQUEST = True
# The database store, with writes that only push the expiry forward at most once a minute
# (ADR 0065).
SESSION_ENGINE = "madoguchi.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AXES_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT", "5",
                         "Failed logins before an account is locked.", int)
AXES_COOLOFF_TIME = env("LOGIN_LOCKOUT_MINUTES", "30",
                        "Minutes an account stays locked after too many failures.", int) / 60
# Lock by staff ID only: every counter of the ward reaches the server through the same
# few gateway addresses, so locking by IP would lock out whole offices.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "madoguchi"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "madoguchi" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "madoguchi" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend",
                       "Django Tasks backend (the database backend by default)."),
        "QUEUES": ["default"],
    }
}
TASKS_LEASE_SECONDS = env(
    "TASKS_LEASE_SECONDS", "45",
    "Seconds without a heartbeat after which a worker counts as dead: its running task is "
    "run again and /healthz reports it (ADR 0025).", int)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend",
    "Mail backend: file outbox under var/mail by default; "
    "django.core.mail.backends.smtp.EmailBackend in production.",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env("EMAIL_HOST", "localhost", "SMTP host.")
EMAIL_PORT = env("EMAIL_PORT", "25", "SMTP port.", int)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "", "SMTP user name.")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "", "SMTP password.")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "false", "Use STARTTLS for SMTP.", bool)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "madoguchi@city.setagaya.example",
                         "Sender address of the ward's mail.")

# Events and registrations (ADR 0039): how long a registration's personal data is kept
# after the event's last session, and the cancel page's address for mails sent by the
# sweep (lottery results), where no request tells the site's address.
PARTICIPATION_RETENTION_DAYS = env("PARTICIPATION_RETENTION_DAYS", "90",
                                   "Days a registration's personal data is kept after the "
                                   "event.", int)
# Residents' mail (ADR 0054): the site's public address for the stop links the worker
# writes (no request tells it), and the local time of the daily digest.
NOTIFICATIONS_PUBLIC_ORIGIN = env("NOTIFICATIONS_PUBLIC_ORIGIN", "http://localhost:8000",
                                  "Public address of the site in residents' mail links.")
NOTIFICATIONS_DIGEST_AT = env("NOTIFICATIONS_DIGEST_AT", "07:30",
                              "Local time (HH:MM) the daily digest of notices is sent.")
PARTICIPATION_CANCEL_BASE = env("PARTICIPATION_CANCEL_BASE",
                                "http://localhost:8000/events/cancel/",
                                "Public address of the registration cancel page.")
# Reminders before sessions (ADR 0060): sent by the daily job (participation_remind) to
# confirmed registrants of the sessions held within this many days.
PARTICIPATION_REMIND_DAYS = env("PARTICIPATION_REMIND_DAYS", "1",
                                "Days before a session its confirmed registrants get a "
                                "reminder with the .ics (0: no reminders).", int)

REDIS_URL = env("REDIS_URL", "", "Redis for the Channels layer and cache; empty for one process.")

# Signaling and chat of the video rooms: in memory (one process) unless Redis is configured,
# then any number of ASGI workers serve one room.
if REDIS_URL:
    # channels-redis blocks 5 s per receive (BZPOPMIN); redis-py 8 cuts any read after 5 s
    # by default, which dropped every idle socket. The read timeout stays well above the
    # blocking receive, keepalive and a health check find a dead connection (ADR 0025).
    REDIS_CONNECTION = {"socket_timeout": 30, "socket_connect_timeout": 5,
                        "socket_keepalive": True, "health_check_interval": 15,
                        "retry_on_timeout": True}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                  "CONFIG": {"hosts": [{"address": REDIS_URL,
                                                        **REDIS_CONNECTION}]}}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_timeout": 5, "socket_connect_timeout": 5}}}
else:
    # Channels' in-memory layer, minus its per-message expiry sweep (see the module).
    CHANNEL_LAYERS = {"default": {"BACKEND": "madoguchi.meetings.channel_layer.LocalChannelLayer"}}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS behind a reverse proxy (ADR 0023): HSTS and the proxy's scheme header are on by
# default when SECURE_COOKIES=true, and each can be set on its own.
SECURE_HSTS_SECONDS = env(
    "SECURE_HSTS_SECONDS", "31536000" if SECURE_COOKIES else "0",
    "Strict-Transport-Security max-age in seconds; default one year when "
    "SECURE_COOKIES=true, otherwise 0 (off).", int)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "false",
    "Add includeSubDomains to the HSTS header (only if every subdomain serves HTTPS).", bool)
_PROXY_SSL_HEADER = env(
    "SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if SECURE_COOKIES else "",
    "Header by which the reverse proxy says the request came over HTTPS (its value must be "
    "https); default X-Forwarded-Proto when SECURE_COOKIES=true, empty = not behind a proxy. "
    "Set it only when the proxy always sets or strips this header.")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
    if _PROXY_SSL_HEADER else None)
# Largest request body taken at all, refused by its Content-Length before it is read; never
# below what the largest file purpose needs (madoguchi.core.middleware.request_limit).
REQUEST_MAX_MB = env("REQUEST_MAX_MB", "50",
                     "Largest multipart request accepted, in MB (all files of one form "
                     "together; at least the largest file purpose's limit and its form, "
                     "ADR 0056); larger ones are refused before the body is read.", int)

LOG_LEVEL = env("LOG_LEVEL", "INFO", "Log level of the madoguchi loggers.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "madoguchi.core.logredact.RedactPathSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["redact"]}},
    "loggers": {
        "madoguchi": {"handlers": ["console"], "level": LOG_LEVEL},
        "django.request": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Demo data is loaded by `make run`; these accounts never exist unless that command ran.
DEMO_PASSWORD = env("DEMO_PASSWORD", "madoguchi-demo-2026",
                    "Password given to the demo accounts created by `make run`.")

# Video providers ---------------------------------------------------------------------------
# Which media path a call takes (madoguchi/meetings/providers), the ICE servers of the
# built-in WebRTC mesh, and the recording policy's key and retention
# (madoguchi/meetings/recording/). Secrets have empty defaults: a provider that needs one
# refuses to mint tokens until it is set.
MEETINGS_PROVIDER = env("MEETINGS_PROVIDER", "builtin",
                        "Video provider: builtin (browser WebRTC, peer to peer), jitsi or livekit.")
MEETINGS_ICE_SERVERS_JSON = env(
    "MEETINGS_ICE_SERVERS", "[]",
    'STUN/TURN servers for the built-in provider as a JSON list of RTCIceServer objects, '
    'e.g. [{"urls": ["stun:turn.example.jp:3478"]}]; empty list on a local network.')
try:
    MEETINGS_ICE_SERVERS = json.loads(MEETINGS_ICE_SERVERS_JSON)
except ValueError as error:
    raise ImproperlyConfigured(f"MEETINGS_ICE_SERVERS is not valid JSON: {error}") from None
MEETINGS_TURN_URLS = env(
    "MEETINGS_TURN_URLS", "",
    "Comma-separated turn:/turns: URLs of a coturn server using use-auth-secret; the built-in "
    "provider mints time-limited credentials for them (see docs/coturn.md).", list)
MEETINGS_TURN_SECRET = env("MEETINGS_TURN_SECRET", "",
                           "coturn static-auth-secret shared with the TURN server.")
MEETINGS_TURN_TTL_SECONDS = env("MEETINGS_TURN_TTL_SECONDS", "14400",
                                "Lifetime of minted TURN credentials, in seconds.", int)
MEETINGS_JITSI_URL = env("MEETINGS_JITSI_URL", "",
                         "Base URL of the Jitsi Meet server, e.g. https://meet.example.jp.")
MEETINGS_JITSI_APP_ID = env("MEETINGS_JITSI_APP_ID", "madoguchi",
                            "Jitsi JWT issuer (iss): the app id configured in Prosody.")
MEETINGS_JITSI_AUDIENCE = env("MEETINGS_JITSI_AUDIENCE", "jitsi",
                              "Jitsi JWT audience (aud) the server expects.")
MEETINGS_JITSI_SUBJECT = env("MEETINGS_JITSI_SUBJECT", "*",
                             "Jitsi JWT subject (sub): the XMPP domain, or * for any.")
MEETINGS_JITSI_ALGORITHM = env("MEETINGS_JITSI_ALGORITHM", "HS256",
                               "Jitsi JWT signing algorithm: HS256 (shared secret) or RS256.")
MEETINGS_JITSI_SECRET = env("MEETINGS_JITSI_SECRET", "",
                            "Jitsi app secret for HS256 tokens.")
MEETINGS_JITSI_PRIVATE_KEY_FILE = env(
    "MEETINGS_JITSI_PRIVATE_KEY_FILE", "",
    "Path of the PEM private key for RS256 Jitsi tokens.")
MEETINGS_JITSI_KEY_ID = env("MEETINGS_JITSI_KEY_ID", "",
                            "Key id (kid) of RS256 Jitsi tokens, as on the ASAP key server.")
MEETINGS_LIVEKIT_URL = env("MEETINGS_LIVEKIT_URL", "",
                           "WebSocket URL of the LiveKit server, e.g. wss://livekit.example.jp.")
MEETINGS_LIVEKIT_API_KEY = env("MEETINGS_LIVEKIT_API_KEY", "", "LiveKit API key.")
MEETINGS_LIVEKIT_API_SECRET = env("MEETINGS_LIVEKIT_API_SECRET", "", "LiveKit API secret.")
MEETINGS_RECORDING_KEY = env(
    "MEETINGS_RECORDING_KEY", "",
    "Fernet key(s) encrypting call recordings, comma-separated, newest first; "
    "recordings are refused while unset.", list)
MEETINGS_RECORDING_DIR = Path(env("MEETINGS_RECORDING_DIR", str(VAR_DIR / "recordings"),
                                  "Folder of the encrypted call recordings."))
MEETINGS_RECORDING_RETENTION_DAYS = env(
    "MEETINGS_RECORDING_RETENTION_DAYS", "30",
    "Days a call recording is kept before the sweep deletes it.", int)
# End of video providers --------------------------------------------------------------------

# Files -------------------------------------------------------------------------------------
# Uploaded files (madoguchi/files): bytes on disk under FILES_DIR, never in the database;
# scanned by clamd when CLAMD_ADDRESS is set (madoguchi/contrib/clamav).
FILES_DIR = Path(env("FILES_DIR", str(VAR_DIR / "files"),
                     "Folder of uploaded files (documents shared into consultation records, "
                     "application attachments); kept outside the database."))
FILES_MAX_MB = env("FILES_MAX_MB", "10",
                   "Largest file accepted, in MB (per file), for the purposes without a limit "
                   "of their own (signage's videos take 50 MB, ADR 0056).", int)
FILES_ENCRYPTION_KEY = env(
    "FILES_ENCRYPTION_KEY", "",
    "Fernet key(s) encrypting stored files at rest, comma-separated, newest first; empty = "
    "a key derived from SECRET_KEY (set your own in production).", list)
FILES_FREE_WARN_PERCENT = env(
    "FILES_FREE_WARN_PERCENT", "10",
    "manage.py check --deploy and /healthz warn when less than this share (in %) of the "
    "disk holding FILES_DIR is free.", int)
# Files over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled encrypted under FILES_DIR/.tmp, never
# in plain to the system's temporary folder (madoguchi/files/upload_handler.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "madoguchi.files.upload_handler.EncryptedUploadHandler",
]
CLAMD_ADDRESS = env("CLAMD_ADDRESS", "",
                    "clamd that scans every uploaded file: unix:///run/clamav/clamd.ctl or "
                    "tcp://host:3310; empty = no virus scanning.")
# End of files ------------------------------------------------------------------------------

# District news (madoguchi/news, ADR 0044) ----------------------------------------------------
# LINE Messaging API: the outbox sends through line-bot-sdk to NEWS_LINE_API_BASE (the local
# stand-in in tests and the bench); without a channel token nothing is queued for LINE.
NEWS_LINE_API_BASE = env("NEWS_LINE_API_BASE", "https://api.line.me",
                         "Base URL of the LINE Messaging API (the real host in production).")
NEWS_LINE_CHANNEL_TOKEN = env("NEWS_LINE_CHANNEL_TOKEN", "",
                              "Channel access token of the ward's LINE official account; "
                              "empty: district news is not sent to LINE.")
NEWS_LINE_CHANNEL_SECRET = env("NEWS_LINE_CHANNEL_SECRET", "",
                               "Channel secret that signs LINE webhook calls; empty: every "
                               "webhook call is refused.")
NEWS_LINE_TIMEOUT_SECONDS = env("NEWS_LINE_TIMEOUT_SECONDS", "10",
                                "Timeout of one request to the LINE Messaging API.", float)
NEWS_LINE_THREADS = env("NEWS_LINE_THREADS", "8",
                        "Requests to LINE the outbox task makes at the same time.", int)
NEWS_LINE_MAX_ATTEMPTS = env("NEWS_LINE_MAX_ATTEMPTS", "8",
                             "Tries of one LINE message before it is shown as failed.", int)
NEWS_LINE_BACKOFF_SECONDS = env("NEWS_LINE_BACKOFF_SECONDS", "2",
                                "First pause before a LINE message is tried again; doubled "
                                "at each try (at most 10 minutes).", float)
NEWS_CONFIRM_DAYS = env("NEWS_CONFIRM_DAYS", "3",
                        "Days a newsletter confirmation link stays usable.", int)
# End of district news ------------------------------------------------------------------------

# Community (madoguchi/community, ADR 0040, 0050) -------------------------------------------
# A circular without a due date: days after it was posted before the households that have
# not read it are reminded (once) by mail.
COMMUNITY_CIRCULAR_REMIND_DAYS = env("COMMUNITY_CIRCULAR_REMIND_DAYS", "7",
                                     "Days after posting a circular without a due date "
                                     "before unread households are reminded (once).", int)
COMMUNITY_PUBLIC_ORIGIN = env("COMMUNITY_PUBLIC_ORIGIN", "http://localhost:8000",
                              "Public address of the site (https://…) in the links of "
                              "circular reminders, which the worker sends without a request.")
# End of community ----------------------------------------------------------------------------

# Printed documents ---------------------------------------------------------------------------
# The ward's names on decision notices and the file of the standard appeal text
# (madoguchi/documents, ADR 0016).
DOCUMENTS_WARD_NAME = env("DOCUMENTS_WARD_NAME", "世田谷区",
                          "Name of the ward printed on notices (letterhead, defendant in court).")
DOCUMENTS_MAYOR_TITLE = env("DOCUMENTS_MAYOR_TITLE", "世田谷区長",
                            "Title of the ward mayor, who issues decision notices.")
DOCUMENTS_MAYOR_NAME = env("DOCUMENTS_MAYOR_NAME", "",
                           "Name of the ward mayor printed after the title on decision "
                           "notices; empty prints the title alone.")
DOCUMENTS_WARD_PHONE = env("DOCUMENTS_WARD_PHONE", "03-5432-1111",
                           "The ward office's main phone number, printed on notices where the "
                           "section has no number of its own.")
DOCUMENTS_APPEAL_TEXT_FILE = env(
    "DOCUMENTS_APPEAL_TEXT_FILE", "",
    "UTF-8 file with the standard appeal instructions (教示文) of decision notices; empty uses "
    "madoguchi/documents/data/appeal.txt.")
# The ward's LINE official account, printed as a QR code on the district flyers for newcomers
# (madoguchi/flyers, ADR 0045); empty leaves that QR code out (no address is made up).
LINE_ACCOUNT_URL = env("LINE_ACCOUNT_URL", "",
                       "Address of the ward's LINE official account (https://lin.ee/… or "
                       "https://line.me/R/ti/p/@…), printed as a QR code on the district flyers; "
                       "empty prints no LINE code.")
# End of printed documents --------------------------------------------------------------------

# Residents' portal (madoguchi/portal) ------------------------------------------------------
# Residents log in apart from staff (own cookie and idle timeout), by an e-mail one-time
# link or through an OpenID Connect provider for a strong identity (see ADR 0017).
PORTAL_SESSION_IDLE_SECONDS = env("PORTAL_SESSION_IDLE_SECONDS", "1800",
                                  "Idle timeout of a resident's portal login, in seconds.", int)
PORTAL_EMAIL_LINK_MINUTES = env("PORTAL_EMAIL_LINK_MINUTES", "30",
                                "Minutes a mailed one-time login link stays usable.", int)
PORTAL_EMAIL_LIMIT_PER_ADDRESS = env(
    "PORTAL_EMAIL_LIMIT_PER_ADDRESS", "5",
    "Login mails one e-mail address may be sent per window.", int)
PORTAL_EMAIL_LIMIT_PER_IP = env(
    "PORTAL_EMAIL_LIMIT_PER_IP", "30",
    "Login mails that may be asked for from one network address per window.", int)
PORTAL_EMAIL_LIMIT_WINDOW_MINUTES = env(
    "PORTAL_EMAIL_LIMIT_WINDOW_MINUTES", "60",
    "Length of the window of the two login-mail limits, in minutes.", int)
PORTAL_OIDC_ISSUER = env(
    "PORTAL_OIDC_ISSUER", "",
    "OpenID Connect issuer of the strong (My Number Card) login, e.g. https://idp.example.jp; "
    "empty: the strong login says it is not available yet.")
PORTAL_OIDC_DISCOVERY_URL = env(
    "PORTAL_OIDC_DISCOVERY_URL", "",
    "Discovery document URL; empty: <issuer>/.well-known/openid-configuration.")
PORTAL_OIDC_CLIENT_ID = env("PORTAL_OIDC_CLIENT_ID", "",
                            "Client id registered at the OpenID Connect provider.")
PORTAL_OIDC_CLIENT_SECRET = env("PORTAL_OIDC_CLIENT_SECRET", "",
                                "Client secret registered at the OpenID Connect provider.")
PORTAL_OIDC_SCOPES = env("PORTAL_OIDC_SCOPES", "openid",
                         "Space-separated scopes to ask for (openid is always added).")
PORTAL_OIDC_ACR_VALUES = env(
    "PORTAL_OIDC_ACR_VALUES", "",
    "acr_values sent with the authorization request (space-separated), e.g. the provider's "
    "value for a My Number Card authentication.")
PORTAL_OIDC_STRONG_ACR = env(
    "PORTAL_OIDC_STRONG_ACR", "",
    "Comma-separated acr values accepted as a strong identity; empty: every login at the "
    "configured provider counts as strong.", list)
PORTAL_OIDC_USERINFO = env("PORTAL_OIDC_USERINFO", "false",
                           "Also ask the provider's userinfo endpoint for the name and "
                           "address.", bool)
PORTAL_OIDC_TIMEOUT_SECONDS = env("PORTAL_OIDC_TIMEOUT_SECONDS", "10",
                                  "Timeout of each request to the OpenID Connect provider.", int)
PORTAL_OIDC_DEMO = env(
    "PORTAL_OIDC_DEMO", "false",
    "The configured provider is the demo identity provider of make run (bin/run sets it); "
    "madoguchi refuses to start with it when SECURE_COOKIES is on, SECRET_KEY is set or the "
    "provider is not on this machine (ADR 0027).", bool)
# Authlib logs the PKCE verifier at DEBUG: keep it quiet whatever LOG_LEVEL says.
LOGGING["loggers"]["authlib"] = {"handlers": ["console"], "level": "WARNING"}
# End of residents' portal ------------------------------------------------------------------
