"""Production profile: secrets and hosts must come from the environment.

It refuses to start with DEBUG on or with the development secret key, so a
half-configured server fails at once instead of running insecurely.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, INSECURE_SECRET_KEY, REDIS_URL, SECRET_KEY, mailers, tasks
from .environment import env, env_bool, env_int

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=0).")
if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 32 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not env("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names, comma-separated.")

SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Reader pages come from the page cache, by default whenever Redis is there: the store
# must be shared by all app processes, or an invalidation would reach only one of them.
# PAGE_CACHE=1 without Redis is for a single app process only.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", bool(REDIS_URL))
TASKS = tasks(default="database")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
# With Redis shared by all app processes, a logged-in reader's session is read from the
# cache (written through to the database, so a cache restart logs nobody out).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
MAILERS = mailers(default="smtp")
