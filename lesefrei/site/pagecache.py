"""Whole-page cache for readers, with exact invalidation by surrogate keys ("tags").

Reading pages are the same for every reader, so a rendered page is stored once and
served to everyone until something it shows changes:

- While a page renders, the code that puts something on it tags the request:
  ``add_cache_tags(request, "page:12", "list:section:3")`` (an article, a teaser list, the
  campaign figure, the most-commented list, a comment thread …).
- ``PageCacheMiddleware`` (Django) stores the finished response with its tags, an ETag
  and Last-Modified, when it is cacheable (GET, 200, HTML, tagged, no cookie set).
- ``PageCacheApp`` (WSGI, wraps Django in lesefrei/wsgi.py) answers later requests for
  the same address from the store without entering Django: no routing, no query. It
  answers conditional requests with 304.
- ``invalidate(*tags)`` drops every stored page carrying one of the tags. The state
  changes that alter what pages show call it (publishing, moderation, pledges).

A render that started before an invalidation of one of its tags is not stored, so a
page rendered from old data never outlives the change that made it old.

The store is Redis when the default cache is Redis (shared by all app processes), else
an in-process dictionary (the embedded profile: one process).
"""

from __future__ import annotations

import hashlib
import logging
import math
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date, parse_http_date_safe
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

logger = logging.getLogger(__name__)

TAGS_ATTRIBUTE = "_lesefrei_cache_tags"
STARTED_ATTRIBUTE = "_lesefrei_cache_started"
# Headers a stored page keeps; everything else (cookies, Vary …) is not replayed.
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "cross-origin-opener-policy",
    "content-security-policy",
}
CACHE_CONTROL = "public, max-age=0, must-revalidate"
KEY_PREFIX = "pc:"
REDIS_BACKENDS = {"lesefrei.site.cache.RedisCache", "django.core.cache.backends.redis.RedisCache"}


def add_cache_tags(request: HttpRequest | None, *tags: str) -> None:
    """Mark what the page being rendered for `request` shows. Pages without tags are not
    cached, so only pages that declare what they depend on can be served from the cache."""
    if request is None:
        return
    request.__dict__.setdefault(TAGS_ATTRIBUTE, set()).update(tags)


def request_tags(request: HttpRequest) -> set[str]:
    return set(request.__dict__.get(TAGS_ATTRIBUTE, ()))


@dataclass(frozen=True)
class StoredPage:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    last_modified: str


def cache_key(host: str, path: str, query: str) -> str | None:
    """The store key for an address, or None when the address is not cacheable (query
    parameters other than the known ones would let anyone fill the cache). The key is
    the address itself, so an invalidation knows which URLs to purge further out."""
    params = parse_qsl(query, keep_blank_values=True)
    allowed = set(settings.PAGE_CACHE_QUERY_PARAMETERS)
    if any(name not in allowed for name, _ in params):
        return None
    normal = urlencode(sorted(params))
    return f"{KEY_PREFIX}{host.lower()}{path}{'?' + normal if normal else ''}"


def url_of(key: str) -> str:
    scheme = urlsplit(settings.SITE_URL).scheme or "https"
    return iri_to_uri(f"{scheme}://{key.removeprefix(KEY_PREFIX)}")


class LocalStore:
    """One process's store (embedded profile)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: dict[str, tuple[float, bytes]] = {}
        self.tags: dict[str, set[str]] = {}
        self.invalidated: dict[str, float] = {}

    def get(self, key: str) -> bytes | None:
        entry = self.pages.get(key)
        if entry is None or entry[0] < time.time():
            return None
        return entry[1]

    def set(self, key: str, data: bytes, tags: Iterable[str], timeout: int, started: float) -> bool:
        with self.lock:
            if any(self.invalidated.get(tag, 0) >= started for tag in tags):
                return False
            self.pages[key] = (time.time() + timeout, data)
            for tag in tags:
                self.tags.setdefault(tag, set()).add(key)
        return True

    def invalidate(self, tags: Iterable[str]) -> set[str]:
        now = time.time()
        dropped: set[str] = set()
        with self.lock:
            for tag in tags:
                self.invalidated[tag] = now
                for key in self.tags.pop(tag, set()):
                    if self.pages.pop(key, None) is not None:
                        dropped.add(key)
        return dropped

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.tags.clear()
            self.invalidated.clear()


class RedisStore:
    """The store shared by all processes: page bodies, one set of page keys per tag, and
    the time of each tag's last invalidation."""

    def __init__(self, client_factory: Callable[[], Any], prefix: str) -> None:
        self.client_factory = client_factory
        self.prefix = prefix

    def _k(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def get(self, key: str) -> bytes | None:
        return self.client_factory().get(self._k(key))

    def set(self, key: str, data: bytes, tags: Iterable[str], timeout: int, started: float) -> bool:
        tags = list(tags)
        client = self.client_factory()
        stamps = client.mget([self._k(f"pci:{tag}") for tag in tags]) if tags else []
        if any(stamp is not None and float(stamp) >= started for stamp in stamps):
            return False
        pipe = client.pipeline()
        pipe.set(self._k(key), data, ex=timeout)
        for tag in tags:
            pipe.sadd(self._k(f"pct:{tag}"), key)
            pipe.expire(self._k(f"pct:{tag}"), timeout)
        pipe.execute()
        return True

    def invalidate(self, tags: Iterable[str]) -> set[str]:
        client = self.client_factory()
        now = repr(time.time())
        dropped: set[str] = set()
        for tag in tags:
            tag_key = self._k(f"pct:{tag}")
            client.set(self._k(f"pci:{tag}"), now, ex=settings.PAGE_CACHE_TIMEOUT)
            keys = [key.decode() for key in client.smembers(tag_key)]
            if keys:
                pipe = client.pipeline()
                for key in keys:
                    pipe.delete(self._k(key))
                dropped.update(key for key, gone in zip(keys, pipe.execute(), strict=True) if gone)
            client.delete(tag_key)
        return dropped

    def clear(self) -> None:
        client = self.client_factory()
        for name in client.scan_iter(match=self._k("*"), count=1000):
            client.delete(name)


_local_store = LocalStore()


def store() -> LocalStore | RedisStore:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in REDIS_BACKENDS:
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "lesefrei")
        return RedisStore(lambda: cache._cache.get_client(write=True), prefix)
    return _local_store


def invalidate(*tags: str) -> None:
    """Drop every stored page that shows one of `tags`, once the current transaction has
    committed (at once outside a transaction): a page rendered from the old data in
    between is then either dropped or, having started earlier, never stored."""
    if tags:
        transaction.on_commit(partial(invalidate_now, set(tags)))


def invalidate_now(tags: Iterable[str]) -> int:
    tags = set(tags)
    try:
        dropped = store().invalidate(tags)
    except Exception:
        logger.exception("page cache: could not invalidate %s", ", ".join(sorted(tags)))
        raise
    logger.info("page cache: invalidated %s (%d pages)", ", ".join(sorted(tags)), len(dropped))
    if dropped and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        # A CDN or Varnish configured through Wagtail's frontend cache drops exactly the
        # same addresses (nginx's one-second cache needs no purge: it revalidates).
        purge_urls_from_cache(sorted(url_of(key) for key in dropped))
    return len(dropped)


def clear() -> None:
    store().clear()


def accel_expires(now: float | None = None) -> str:
    """How long nginx may keep a page: `PAGE_CACHE_PROXY_SECONDS` (N), as the absolute
    second nginx keeps it through (`@<epoch>`). nginx counts whole seconds: a relative
    `X-Accel-Expires: 1` lets it keep a page for up to two seconds, depending on where in
    the second it was stored; rounding the absolute time keeps it N ± 0.5 seconds."""
    seconds = settings.PAGE_CACHE_PROXY_SECONDS
    if seconds <= 0:
        return "0"  # nginx does not store the page
    return f"@{math.floor((time.time() if now is None else now) + seconds - 0.5)}"


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class PageCacheMiddleware:
    """Stores cacheable reader pages after Django rendered them. Place it first in
    MIDDLEWARE, so it sees the final response (with the security headers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, STARTED_ATTRIBUTE, time.time())
        response = self.get_response(request)
        if settings.PAGE_CACHE_ENABLED and self.cacheable(request, response):
            self.store(request, response)
        return response

    @staticmethod
    def cacheable(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and bool(request_tags(request))
            and response.get("Content-Type", "").startswith("text/html")
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
            and "cookie" not in response.get("Vary", "").lower()
        )

    def store(self, request: HttpRequest, response: HttpResponse) -> None:
        key = cache_key(request.get_host(), request.path, request.META.get("QUERY_STRING", ""))
        if key is None:
            return
        body = response.content
        page = StoredPage(
            status=200,
            headers=[(k, v) for k, v in response.items() if k.lower() in KEPT_HEADERS],
            body=body,
            etag=etag_for(body),
            last_modified=http_date(),
        )
        started = request.__dict__[STARTED_ATTRIBUTE]
        stored = store().set(
            key, pickle.dumps(page), request_tags(request), settings.PAGE_CACHE_TIMEOUT, started
        )
        response["ETag"] = page.etag
        response["Last-Modified"] = page.last_modified
        response["Cache-Control"] = CACHE_CONTROL
        response["X-Accel-Expires"] = accel_expires()
        response["X-Page-Cache"] = "miss" if stored else "miss (changed while rendering)"


def not_modified(page: StoredPage, environ: dict) -> bool:
    """Whether a conditional request may be answered with 304 (RFC 9110: If-None-Match
    wins over If-Modified-Since)."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        candidates = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in candidates or page.etag in candidates
    if_modified_since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    last_modified = parse_http_date_safe(page.last_modified)
    return bool(if_modified_since and last_modified and last_modified <= if_modified_since)


class PageCacheApp:
    """WSGI front of Django: serves stored pages without entering Django."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if settings.PAGE_CACHE_ENABLED and method in ("GET", "HEAD"):
            page = self.lookup(environ)
            if page is not None:
                return self.respond(page, environ, start_response, head=method == "HEAD")
        return self.application(environ, start_response)

    @staticmethod
    def lookup(environ: dict) -> StoredPage | None:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = environ.get("PATH_INFO", "/")
        try:
            path = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None
        key = cache_key(host, path, environ.get("QUERY_STRING", ""))
        if key is None:
            return None
        try:
            data = store().get(key)
        except Exception:  # a cache outage must not take reading down: render instead
            logger.exception("page cache: store unreachable")
            return None
        return pickle.loads(data) if data else None

    @staticmethod
    def respond(
        page: StoredPage, environ: dict, start_response: Callable, head: bool
    ) -> Iterable[bytes]:
        headers = [
            *page.headers,
            ("ETag", page.etag),
            ("Last-Modified", page.last_modified),
            ("Cache-Control", CACHE_CONTROL),
            ("X-Accel-Expires", accel_expires()),
            ("X-Page-Cache", "hit"),
        ]
        if not_modified(page, environ):
            start_response("304 Not Modified", [h for h in headers if h[0] != "Content-Type"])
            return [b""]
        headers.append(("Content-Length", str(len(page.body))))
        start_response("200 OK", headers)
        return [b""] if head else [page.body]
