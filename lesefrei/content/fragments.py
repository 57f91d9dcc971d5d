"""Rendered pieces of reader pages, kept under the versions of what they show.

A render with the page cache missing (or off) should not build the same HTML again: the
article's body, the head metadata, the comment section, the support box and the
"meistkommentiert" list only change when something they show changes. Each piece is
stored under a key that contains the *version* of its data:

- ``content``: bumped by every change of published content (publishing, unpublishing,
  moving, deleting a page, renaming a topic, saving an image, the site settings or a
  site, view restrictions): content/caching.py and content/signals.py;
- the comment lists and the ranking (comments/caching.py) and the campaign figure
  (support/selectors.py) keep their own versions.

A version is a timestamp set on change, never counted up, so a version key that was
evicted can never bring back an old piece; a piece rendered from old data before a
change lands under the old version, which nobody reads any more. Because a key names
exactly one state of the data, pieces are also kept in the process (a small LRU in
front of the shared cache): only the versions are asked from the shared cache on each
request, in one round trip.

Page-cache tags (lesefrei/site/pagecache.py) added while a piece renders are stored with
it and added again whenever it is reused, so the page cache still knows what a page shows.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.translation import get_language

from lesefrei.site.pagecache import TAGS_ATTRIBUTE, add_cache_tags

CONTENT = "content:version"
VERSIONS_ATTRIBUTE = "_lesefrei_versions"
LOCAL_ENTRIES = 2000


@dataclass(frozen=True)
class Fragment:
    html: str
    tags: frozenset[str]


class LocalFragments:
    """The process's own copy of recently used pieces (least recently used dropped)."""

    def __init__(self, max_entries: int = LOCAL_ENTRIES) -> None:
        self.max_entries = max_entries
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, key: str) -> Any | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: Any, timeout: int) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + timeout, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


local = LocalFragments()


# Versions


def read_versions(keys: Iterable[str]) -> dict[str, int]:
    """The current value of each version key, creating missing ones (one round trip
    when they all exist)."""
    keys = list(dict.fromkeys(keys))
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            stamp = time.time_ns()
            found[key] = stamp if cache.add(key, stamp, None) else cache.get(key, stamp)
    return found


def versions(request: HttpRequest | None, *keys: str) -> list[int]:
    """The versions of `keys`, read once per request: a page's pieces all see the same
    state, and the shared cache is asked once for the keys announced with `expect`."""
    if request is None:
        known = read_versions(keys)
        return [known[key] for key in keys]
    known = request.__dict__.setdefault(VERSIONS_ATTRIBUTE, {})
    missing = [key for key in keys if key not in known]
    if missing:
        pending = request.__dict__.pop("_lesefrei_expected_versions", set())
        known.update(read_versions([*missing, *(key for key in pending if key not in known)]))
    return [known[key] for key in keys]


def expect(request: HttpRequest | None, *keys: str) -> None:
    """Announce version keys the page will need, so the first read fetches them all."""
    if request is not None:
        request.__dict__.setdefault("_lesefrei_expected_versions", set()).update(keys)


# Version keys of pieces on many reader pages (the campaign figure, the ranking), and
# of pieces about one page (its comments): other apps register theirs, and a reader
# page reads them all with the content version, in one round trip.
SHARED_VERSION_KEYS: set[str] = set()
PAGE_VERSION_KEYS: list[Callable[[int], str]] = []


def expect_for_page(request: HttpRequest, page_id: int | None) -> None:
    keys = [CONTENT, *SHARED_VERSION_KEYS]
    if page_id is not None:
        keys += [key_for(page_id) for key_for in PAGE_VERSION_KEYS]
    expect(request, *keys)


def bump(*keys: str) -> None:
    for key in keys:
        cache.set(key, time.time_ns(), None)


def content_changed() -> None:
    """Published content changed: a new content version now and once the transaction
    has committed (a render that read the old rows in between stored its pieces under
    the version set now)."""
    bump(CONTENT)
    transaction.on_commit(lambda: bump(CONTENT))


# Pieces


def fragment_key(name: str, version_values: Iterable[int], vary: Iterable[Any]) -> str:
    parts = [name, get_language() or "", *map(str, version_values), *map(str, vary)]
    return "fragment:" + ":".join(parts)


def cached(
    request: HttpRequest | None,
    key: str,
    render: Callable[[], str],
    timeout: int | None = None,
) -> str:
    """The piece stored under `key`, or `render()` stored there (with the page-cache tags
    the render added) for `timeout` seconds."""
    timeout = timeout or settings.PAGE_CACHE_TIMEOUT
    fragment = local.get(key)
    if fragment is None:
        fragment = cache.get(key)
        if fragment is not None:
            local.set(key, fragment, timeout)
    if fragment is not None:
        add_cache_tags(request, *fragment.tags)
        return fragment.html
    html, tags = render_collecting_tags(request, render)
    fragment = Fragment(html=str(html), tags=frozenset(tags))
    cache.set(key, fragment, timeout)
    local.set(key, fragment, timeout)
    return html


def render_collecting_tags(
    request: HttpRequest | None, render: Callable[[], str]
) -> tuple[str, set[str]]:
    """Render with the request's tag set swapped out, so exactly the tags the piece adds
    are known; the page keeps all of them."""
    if request is None:
        return render(), set()
    outer = request.__dict__.pop(TAGS_ATTRIBUTE, None)
    try:
        html = render()
    finally:
        inner = request.__dict__.pop(TAGS_ATTRIBUTE, set())
        request.__dict__[TAGS_ATTRIBUTE] = (outer or set()) | inner
    return html, inner


def cached_value(key: str, compute: Callable[[], Any], timeout: int | None = None) -> Any:
    """A small computed value (a route, a list of links) kept like a piece: in the
    process and in the shared cache. `key` must contain the versions it depends on.
    None is never kept, so keys built from what anyone can request stay bounded."""
    timeout = timeout or settings.PAGE_CACHE_TIMEOUT
    value = local.get(key)
    if value is not None:
        return value[0]
    value = cache.get(key)
    if value is None:
        computed = compute()
        if computed is None:
            return None  # nothing to keep (e.g. an address without a page): not stored
        value = (computed,)
        cache.set(key, value, timeout)
    local.set(key, value, timeout)
    return value[0]


def content_version(request: HttpRequest | None) -> int:
    return versions(request, CONTENT)[0]


def kept(key: str, version: int, compute: Callable[[], Any]) -> Any:
    """A value this process computed under `version` (of the content), or `compute()`
    kept for it. For small values whose key cannot contain the version because it is
    looked up before the version is read (the site and page of an address). None is
    never kept, so keys built from what anyone can request stay bounded."""
    entry = local.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    if value is not None:
        keep(key, version, value)
    return value


def keep(key: str, version: int, value: Any) -> None:
    """Keep `value` in this process under `version` of the content (see `kept`)."""
    local.set(key, (version, value), settings.PAGE_CACHE_TIMEOUT)


def peek(key: str) -> Any | None:
    """The value kept under `key`, whatever its version (to know what to read next)."""
    entry = local.get(key)
    return entry[1] if entry is not None else None


# Sites


def current_site(request: HttpRequest | None) -> Any | None:
    """Wagtail's site for the request (`Site.find_for_request`), looked up once per
    content version instead of once per request."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        key = "site:" + host_and_port(request)
        row = kept(key, content_version(request), lambda: site_row(request))
        request._wagtail_site = site_from_row(row)
    return request._wagtail_site


SITE_FIELDS = ["id", "hostname", "port", "site_name", "root_page_id", "is_default_site"]


def host_and_port(request: HttpRequest) -> str:
    return f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"


def site_row(request: HttpRequest) -> tuple | None:
    from wagtail.models import Site

    site = Site._find_for_request(request)
    return tuple(getattr(site, field) for field in SITE_FIELDS) if site else None


def site_from_row(row: tuple | None) -> Any | None:
    from wagtail.models import Site

    return Site.from_db("default", SITE_FIELDS, row) if row else None


# The template tag


class FragmentNode(template.Node):
    """`{% fragment "name" vary … %}…{% endfragment %}`: the enclosed template, cached
    under the versions of `version_keys`, the site, the language and the vary values.
    With vary values, the piece is cached only when the first one is set (it names what
    the piece is about, e.g. the page); without, it is the same on every page."""

    child_nodelists = ("nodelist",)

    def __init__(
        self,
        nodelist: template.NodeList,
        name: str,
        vary: list[template.base.FilterExpression],
        version_keys: tuple[str, ...],
        timeout_setting: str,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.version_keys = version_keys
        self.timeout_setting = timeout_setting

    def render(self, context: template.Context) -> str:
        vary = [expression.resolve(context) for expression in self.vary]
        request = context.get("request")
        # A preview shows a draft: kept pieces are the live page's, and a piece of the
        # draft must never be kept for readers.
        if (vary and vary[0] in (None, "")) or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        site = current_site(request)
        key = fragment_key(
            self.name, versions(request, *self.version_keys), [site.pk if site else "", *vary]
        )
        timeout = getattr(settings, self.timeout_setting)
        return cached(request, key, lambda: self.nodelist.render(context), timeout)


def fragment_tag(
    end: str, version_keys: tuple[str, ...], timeout_setting: str = "PAGE_CACHE_TIMEOUT"
) -> Callable[[template.base.Parser, template.base.Token], FragmentNode]:
    """A block tag caching its content under `version_keys` (see FragmentNode)."""

    def compile_tag(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
        bits = token.split_contents()
        if len(bits) < 2:
            raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
        nodelist = parser.parse((end,))
        parser.delete_first_token()
        name = bits[1].strip("\"'")
        vary = [parser.compile_filter(bit) for bit in bits[2:]]
        return FragmentNode(nodelist, name, vary, version_keys, timeout_setting)

    return compile_tag
