"""Test profile: the database and cache still come from the environment, so the same
suite runs on SQLite and on PostgreSQL + Redis (see the Makefile's `test` target)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES
from .environment import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / str(os.getpid())
WHITENOISE_AUTOREFRESH = True

# Parallel runs (several checkouts on one machine) can each name their own test database.
if env("TEST_DATABASE_NAME") and not DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
# (SQLite tests use an in-memory database, private to each run anyway.)
