"""Settings of the demo identity provider (not madoguchi's). What differs between machines
comes from the environment that ``python -m madoguchi.demo_idp.prepare`` prints and
bin/run exports; the key and the database live in ``DEMO_IDP_DIR`` (var/demo_idp)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent
FOLDER = Path(os.environ.get("DEMO_IDP_DIR") or Path(
    os.environ.get("MADOGUCHI_VAR_DIR") or HERE.parents[1] / "var") / "demo_idp")

if os.environ.get("SECURE_COOKIES", "").strip().lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("The demo identity provider never runs in production "
                               "(SECURE_COOKIES is on).")

SECRET_KEY = os.environ.get("DEMO_IDP_SECRET_KEY", "demo-identity-provider-only")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"
LANGUAGE_CODE = "ja"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "madoguchi.demo_idp.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "DIRS": [HERE / "templates"], "APP_DIRS": True,
              "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ.get("DEMO_IDP_DATABASE",
                                                str(FOLDER / "provider.sqlite3")),
                         "OPTIONS": {"timeout": 20}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/login/"
# madoguchi and the provider share the host 127.0.0.1 (cookies ignore the port).
SESSION_COOKIE_NAME = "demo_idp_session"
CSRF_COOKIE_NAME = "demo_idp_csrftoken"
SESSION_COOKIE_AGE = 600


def _key() -> str:
    key = os.environ.get("DEMO_IDP_RSA_PRIVATE_KEY", "")
    path = FOLDER / "key.pem"
    if not key and path.exists():
        key = path.read_text()
    return key


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _key(),
    "OIDC_ISS_ENDPOINT": os.environ.get("DEMO_IDP_ISSUER", ""),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "name": "氏名", "address": "住所",
               "birthdate": "生年月日", "gender": "性別"},
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "madoguchi.demo_idp.validator.DemoValidator",
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
