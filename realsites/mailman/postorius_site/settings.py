"""Minimal Django project serving Postorius (unmodified, from PyPI) for the journeytest real-site corpus.

Everything machine-specific comes from the environment that start.sh sets:
REALSITE_STATE (state folder), PORT (this web UI), SMTP_PORT (journeytest's SMTP sink),
MAILMAN_REST_PORT (Mailman core's REST API). sqlite only; 127.0.0.1 only.
"""

import os
from pathlib import Path

STATE = Path(os.environ.get("REALSITE_STATE", "/tmp/realsites/mailman"))
PORT = int(os.environ.get("PORT", "18300"))
REST_PORT = int(os.environ.get("MAILMAN_REST_PORT", "18301"))

SECRET_KEY = (STATE / "django-secret").read_text().strip() if (STATE / "django-secret").exists() else "journeytest-local-only"
DEBUG = os.environ.get("POSTORIUS_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "postorius",
    "django_mailman3",
    "django_gravatar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_mailman3.middleware.TimezoneMiddleware",
    "postorius.middleware.PostoriusMiddleware",
]

ROOT_URLCONF = "postorius_site.urls"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.i18n",
        "django.template.context_processors.media",
        "django.template.context_processors.static",
        "django.template.context_processors.tz",
        "django.template.context_processors.csrf",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "django_mailman3.context_processors.common",
        "postorius.context_processors.postorius",
    ]},
}]

WSGI_APPLICATION = "postorius_site.wsgi.application"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(STATE / "postorius.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTHENTICATION_BACKENDS = (
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(STATE / "static")

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "list_index"
LOGOUT_URL = "account_logout"

# Mailman core, as the mailman.cfg that start.sh writes configures it.
MAILMAN_REST_API_URL = f"http://127.0.0.1:{REST_PORT}"
MAILMAN_REST_API_USER = "restadmin"
MAILMAN_REST_API_PASS = "restpass"
POSTORIUS_TEMPLATE_BASE_URL = f"http://127.0.0.1:{PORT}"

# Django's own mail (django-allauth sign-up verification, password reset) goes to the same sink
# as Mailman core's: plain SMTP to 127.0.0.1:$SMTP_PORT.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("SMTP_PORT", "25"))
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = "postorius@example.com"
SERVER_EMAIL = "root@example.com"

# django-allauth, as the mailman-suite example project sets it: mandatory email verification.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SOCIALACCOUNT_PROVIDERS = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": str(STATE / "django.log")}},
    "root": {"handlers": ["file"], "level": "INFO"},
}
