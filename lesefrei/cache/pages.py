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
- ``changed(*tags)`` (lesefrei/cache/__init__.py) makes every stored page carrying one
  of the tags stale. The state changes that alter what pages show call it (publishing,
  moderation, pledges).

Invalidation is by versions checked on read (versions.py), so no eviction, expiry or
restart of the store can bring an old page back: each tag has a version (the time of its
last change); a stored page records the versions of its tags, and a read serves it only
while all of them are unchanged. A version the store no longer has counts as changed.
A render that started before an invalidation of one of its tags is not stored, so a
page rendered from old data never outlives the change that made it old.

The store is Django's default cache: Redis in production (shared by all app processes;
an outage there makes every lookup a miss, see redis.py), the in-process
cache in the embedded profile.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date, parse_http_date_safe
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

from . import versions

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
INDEX_PREFIX = "pcx:"
# Every stored page carries the epoch as a version: a cache that lost everything
# (restart, flush) has a new one.
EPOCH_TAG = "*"
EPOCH_KEY = versions.key(EPOCH_TAG)
EPOCH_ENVIRON = "lesefrei.page_cache_epoch"
KNOWN_TAGS_ENTRIES = 20_000


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


class PageStore:
    """Pages and tag versions in Django's default cache (Redis in production, shared by
    all app processes; in-process in the embedded profile).

    Correctness rests on versions alone, never on the index: a page is served only while
    every tag it was stored with still has the version it had then, and a version the
    cache no longer has counts as changed. Versions are stored without expiry, so with
    ``maxmemory-policy volatile-lru`` Redis never evicts them (only pages and pieces,
    which expire); with ``allkeys-lru`` an evicted version still only turns hits into
    misses. The epoch (a version every page carries) is new whenever the cache starts
    empty (restart, flush), so a render that began before is not stored.

    The index of addresses per tag is best effort: it lets an invalidation delete old
    bodies early and tell a CDN which addresses to purge.
    """

    @staticmethod
    def name(key: str) -> str:
        """The cache key of an address key (hashed: addresses may be long or hold spaces)."""
        return KEY_PREFIX + hashlib.sha256(key.encode()).hexdigest()

    def epoch(self) -> int | None:
        """The store's epoch, created when missing; None when the cache is unreachable."""
        value = cache.get(EPOCH_KEY)
        if value is None:
            cache.add(EPOCH_KEY, time.time_ns(), None)
            value = cache.get(EPOCH_KEY)
        return value

    def __init__(self) -> None:
        # The tags each address was last stored with, as this process saw them: a hit
        # then reads the page and its versions in one round trip. Only a guess of which
        # versions to fetch; the page's own record is what is compared.
        self.known_tags: dict[str, tuple[str, ...]] = {}

    def lookup(self, key: str) -> tuple[Any | None, int | None]:
        """The data stored for `key` if still current, and the epoch (what a render that
        follows compares with when it stores). One round trip for a miss and, once this
        process knows the address's tags, for a hit."""
        name = self.name(key)
        guess = (versions.key(tag) for tag in self.known_tags.get(key, ()))
        keys = list(dict.fromkeys([name, EPOCH_KEY, *guess]))
        found = cache.get_many(keys)
        entry = found.pop(name, None)
        if not isinstance(entry, tuple) or len(entry) != 2:
            return None, found.get(EPOCH_KEY)
        stored_versions, data = entry
        wanted = [versions.key(tag) for tag in stored_versions]
        if set(wanted) - set(keys):
            if len(self.known_tags) >= KNOWN_TAGS_ENTRIES:
                self.known_tags.clear()
            self.known_tags[key] = tuple(stored_versions)
            found.update(cache.get_many([k for k in wanted if k not in keys]))
        for tag, key_ in zip(stored_versions, wanted, strict=True):
            if found.get(key_) != stored_versions[tag]:
                return None, found.get(EPOCH_KEY)  # invalidated or version gone: render
        return data, found.get(EPOCH_KEY)

    def get(self, key: str) -> Any | None:
        return self.lookup(key)[0]

    def set(
        self,
        key: str,
        data: Any,
        tags: Iterable[str],
        timeout: int,
        started: float,
        epoch: int | None = None,
    ) -> bool:
        """Store `data` rendered from a state read from `started` (epoch seconds) on,
        unless that state may be old: a tag was invalidated since `started`, or the store
        lost its contents since the render began (its epoch is not `epoch`, read before
        the render; None reads it now, for callers whose render had no lookup)."""
        if epoch is None:
            epoch = self.epoch()
        tags = set(tags)
        keys = {versions.key(tag): tag for tag in tags}
        found = cache.get_many([*keys, EPOCH_KEY])
        if epoch is None or found.pop(EPOCH_KEY, None) != epoch:
            return False
        if any(version >= started * 1e9 for version in found.values()):
            return False
        missing = [key_ for key_ in keys if key_ not in found]
        if missing:
            # Never set, or evicted (allkeys-lru). Whatever came before, pages stored from
            # now on record the new version, and a later invalidation changes it.
            now = versions.created()
            for key_ in missing:
                cache.add(key_, now, None)
            found.update(cache.get_many(missing))
            if len(found) < len(keys):
                return False  # the cache did not keep them (unreachable): nothing stored
        recorded = {tag: found[key_] for key_, tag in keys.items()} | {EPOCH_TAG: epoch}
        cache.set(self.name(key), (recorded, data), timeout)
        for tag in tags:
            index.add(tag, key, timeout)
        return True

    def invalidate(self, tags: Iterable[str]) -> set[str]:
        """New versions for `tags` (this alone makes every page carrying one stale), then
        drop the pages the index knows of; returns their keys."""
        tags = set(tags)
        versions.bump(tags)
        dropped: set[str] = set()
        for tag in tags:
            dropped |= index.pop(tag)
        if dropped:
            cache.delete_many([self.name(key) for key in sorted(dropped)])
        return dropped

    def clear(self) -> None:
        cache.clear()
        index.clear()


class TagIndex:
    """Which stored addresses carry a tag: a Redis set per tag through the cache backend
    when it offers sets (lesefrei.cache.redis.RedisCache), else a dictionary in this
    process (the embedded profile runs one)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.local: dict[str, set[str]] = {}

    def add(self, tag: str, key: str, timeout: int) -> None:
        add_to_set = getattr(cache, "add_to_set", None)
        if add_to_set is not None:
            add_to_set(f"{INDEX_PREFIX}{tag}", key, timeout)
            return
        with self.lock:
            self.local.setdefault(tag, set()).add(key)

    def pop(self, tag: str) -> set[str]:
        pop_set = getattr(cache, "pop_set", None)
        if pop_set is not None:
            return pop_set(f"{INDEX_PREFIX}{tag}")
        with self.lock:
            return self.local.pop(tag, set())

    def clear(self) -> None:
        with self.lock:
            self.local.clear()


index = TagIndex()
_store = PageStore()


def store() -> PageStore:
    return _store


def invalidate_now(tags: Iterable[str]) -> int:
    """New versions for `tags` and the pages the index knows of dropped, here and in a
    CDN configured through Wagtail's frontend cache (what `changed` runs after commit)."""
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
        if (
            settings.PAGE_CACHE_ENABLED
            and request.method == "GET"
            and not request.META.get(EPOCH_ENVIRON)
            and cache_key("", request.path, request.META.get("QUERY_STRING", "")) is not None
        ):
            # The store's epoch before anything is read (PageCacheApp's lookup read it
            # already): a store emptied during the render must not keep the page.
            request.META[EPOCH_ENVIRON] = store().epoch()
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
        tags, timeout = request_tags(request), settings.PAGE_CACHE_TIMEOUT
        epoch = request.META.get(EPOCH_ENVIRON)
        stored = epoch is not None and store().set(key, page, tags, timeout, started, epoch)
        response["ETag"] = page.etag
        response["Last-Modified"] = page.last_modified
        response["Cache-Control"] = CACHE_CONTROL
        response["X-Accel-Expires"] = accel_expires()
        if epoch is None:
            response["X-Page-Cache"] = "miss (cache unreachable)"
        else:
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
            page, environ[EPOCH_ENVIRON] = store().lookup(key)
        except Exception:  # a cache outage must not take reading down: render instead
            logger.exception("page cache: store unreachable")
            return None
        return page if isinstance(page, StoredPage) else None

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
