"""Settings shared by every profile. Every value an operator may change comes from
the environment, read through .environment; the table in README.md lists them.

The defaults describe the embedded profile: SQLite in the project folder, an
in-process cache and tasks run inline, so that the site runs with no other server.
Each domain's own settings are in a module of their own (accounts, comments, discovery,
support), imported here so that every profile has them; they import only .environment.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .accounts import *  # noqa: F403
from .comments import *  # noqa: F403
from .discovery import *  # noqa: F403
from .environment import (
    BASE_DIR,
    env,
    env_bool,
    env_choice,
    env_int,
    env_list,
)
from .support import *  # noqa: F403

PACKAGE_DIR = BASE_DIR / "lesefrei"

DEBUG = env_bool("DEBUG", False)
# Development placeholder; production.py refuses to start with it.
INSECURE_SECRET_KEY = "lesefrei-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public address of the site, used in mails, feeds and the CMS ("https://zeitung.example").
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = env("SITE_NAME", "lesefrei")
# allauth's mails (accounts.py has the rest of its configuration) name the site and link
# to it with the scheme of its address.
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{WAGTAIL_SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "http"

# Proxies in front of the app (nginx: 1). The rate limits (the API's, allauth's sign-up and
# login limits) then count the address the last proxy saw in X-Forwarded-For; with 0 they
# count REMOTE_ADDR, never a header a client could forge. Behind nginx with 0, every reader
# would share nginx's address and one limit.
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT = env_int("LESEFREI_TRUSTED_PROXIES", 0)

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while one writer commits; IMMEDIATE takes the write
    # lock at BEGIN, so concurrent writers wait (busy timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # An optimisation, not a dependency: while Redis is away, pages are rendered from the
    # database and rate limits fail open (lesefrei/cache/redis.py, docs/operations.md).
    CACHES = {
        "default": {
            "BACKEND": "lesefrei.cache.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "lesefrei"),
            "OPTIONS": {"RETRY_SECONDS": env_int("REDIS_RETRY_SECONDS", 5)},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lesefrei",
            # Pages, pieces and versions share it; evicting is safe (the page cache checks
            # versions on read), but Django's 300 would keep few pages.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

INSTALLED_APPS = [
    "lesefrei.site",
    "lesefrei.content",
    "lesefrei.accounts",
    "lesefrei.comments",
    "lesefrei.support",
    "lesefrei.discovery",
    "lesefrei.pages",
    "lesefrei.live",
    "lesefrei.demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
]
if USING_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    "lesefrei.cache.pages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lesefrei.site.security.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Routes reader pages by the route kept per content version (content/routing.py).
    "lesefrei.content.routing.KeptRouteMiddleware",
    # CMS writes to one page one after another (content/workflow.py).
    "lesefrei.content.workflow.SerializedPageWritesMiddleware",
]

ROOT_URLCONF = "lesefrei.urls"
WSGI_APPLICATION = "lesefrei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lesefrei.site.context_processors.site_context",
            ],
            # money, yes_no, or_empty, number: values in the site's language everywhere.
            "builtins": ["lesefrei.site.templatetags.formatting"],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One language for the whole site, readers and staff alike (no per-request switching):
# LESEFREI_LANGUAGE=de (the default) or en. Source strings are German; the catalogues in
# lesefrei/locale/ are compiled by `make install` (manage.py compilemessages).
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LANGUAGE_CODE = env_choice("LESEFREI_LANGUAGE", dict(LANGUAGES), "de")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates, numbers and money the way the language writes them (lesefrei/formats/<language>).
FORMAT_MODULE_PATH = ["lesefrei.formats"]
TIME_ZONE = env("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
# Staff see the site's language and local time too: no choice in their account settings.
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    (code, name) for code, name in LANGUAGES if code == LANGUAGE_CODE
]
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve uploaded media from the app itself (embedded profile); behind nginx, nginx does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Content Security Policy (Django's): reader pages load only this site's own files and run
# no inline script or style (JSON-LD is data, not script); forms post only here; no page
# may be framed. The Wagtail admin gets a looser policy (lesefrei/site/security.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# The admin (staff only) still has inline scripts and style attributes (Wagtail 8), data:
# icons, and image uploads preview from blob: addresses.
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-ancestors": [CSP.SELF],
}
# Wagtail's previews: what readers' browsers would allow, shown in the admin's frame.
PREVIEW_CSP = {**SECURE_CSP, "frame-ancestors": [CSP.SELF]}

# Wagtail
WAGTAILADMIN_PATH = "cms/"
WAGTAILIMAGES_IMAGE_MODEL = "content.CreditedImage"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: staff e-mail hashes stay in the house.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# (WAGTAILSEARCH_BACKENDS: discovery.py.)
WAGTAILEMBEDS_RESPONSIVE_HTML = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True

# Mail (Django's MAILERS): MAIL_BACKEND is "console" (the embedded default: mails are
# printed where the server runs), "file" (one file per mail in MAIL_FILE_PATH) or "smtp".
MAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}


def mailers(default: str) -> dict:
    """Django's MAILERS for MAIL_BACKEND; the profile gives the default."""
    kind = env_choice("MAIL_BACKEND", MAIL_BACKENDS, default)
    options: dict = {}
    if kind == "file":
        options = {"file_path": env("MAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
    elif kind == "smtp":
        options = {
            "host": env("SMTP_HOST", "localhost"),
            "port": env_int("SMTP_PORT", 587),
            "username": env("SMTP_USER"),
            "password": env("SMTP_PASSWORD"),
            "use_tls": env_bool("SMTP_STARTTLS", True),
            "timeout": 20,
        }
    return {"default": {"BACKEND": MAIL_BACKENDS[kind], "OPTIONS": options}}


MAILERS = mailers(default="console")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lesefrei <redaktion@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (Django's tasks framework): TASKS_BACKEND "immediate" runs a task at
# once inside the request (the embedded default, no worker needed); "database" stores it
# in the database for `manage.py db_worker` (the production profile), so a slow mail
# server never holds up a reader's request.
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks(default: str) -> dict:
    """Django's TASKS for TASKS_BACKEND; the profile gives the default."""
    kind = env_choice("TASKS_BACKEND", TASK_BACKENDS, default)
    return {"default": {"BACKEND": TASK_BACKENDS[kind]}}


TASKS = tasks(default="immediate")

# lesefrei's own settings
# An article shows "aktualisiert" only when its last update is at least this much
# later than its publication; fixing a typo right after publishing is not news.
LESEFREI_UPDATE_NOTICE_MINUTES = env_int("LESEFREI_UPDATE_NOTICE_MINUTES", 30)
LESEFREI_PAGE_SIZE = env_int("LESEFREI_PAGE_SIZE", 20)

# Whole-page cache for readers (lesefrei/cache/pages.py): pages are stored until
# something they show changes; nginx in front keeps them PAGE_CACHE_PROXY_SECONDS more.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", False)
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 24 * 3600)
PAGE_CACHE_PROXY_SECONDS = env_int("PAGE_CACHE_PROXY_SECONDS", 1)
# Query parameters that make a distinct cached page (others bypass the cache): pagination,
# comment order and the search form's fields.
PAGE_CACHE_QUERY_PARAMETERS = ["seite", "sortierung", "q", "ressort", "autor", "von", "bis"]
# A CDN or Varnish in front (optional): Wagtail's frontend cache sends it an HTTP PURGE
# for exactly the addresses the page cache drops. Other CDNs: set WAGTAILFRONTENDCACHE
# in a settings module of your own (Wagtail's documentation lists the backends).
if env("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
        }
    }

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "lesefrei": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
