"""Rendered pieces of reader pages and small computed values, kept under the versions
of the tags they depend on (versions.py).

A render with the page cache missing (or off) should not build the same HTML again: the
article's body, the head metadata, the comment section, the support box and the
"meistkommentiert" list only change when something they show changes. Each piece is
stored under a key naming the current versions of its tags (`key`): ``content`` for
anything built from published content, ``comments:<id>`` for an article's comments,
``most-commented``, ``support:campaign``, ``live:<id>``. A change sets new versions
(`lesefrei.cache.changed`), so the next render builds and keeps a new piece; a piece
rendered from old data before a change lands under the old versions, which nobody reads
any more. Because a key names exactly one state of the data, pieces are also kept in the
process (a small LRU in front of the shared cache): only the versions are asked from the
shared cache on each request, in one round trip.

Page-cache tags (pages.py) added while a piece renders are stored with it and added
again whenever it is reused, so the page cache still knows what a page shows.
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
from django.http import HttpRequest
from django.utils.translation import get_language

from . import adapters, versions
from .pages import TAGS_ATTRIBUTE, add_cache_tags

# Any change of published content (publishing, unpublishing, moving, deleting a page,
# renaming a topic, saving an image, the site settings, view restrictions): pieces built
# from content depend on it (lesefrei/content/caching.py sends it).
CONTENT = "content"
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


# Pieces


def key(request: HttpRequest | None, name: str, depends_on: Iterable[str], *vary: Any) -> str:
    """The key of output `name` that depends on the tags `depends_on` (and on `vary`): it
    names their current versions, so a change of any of them leads to a new key."""
    return fragment_key(name, versions.of_request(request, *depends_on), vary)


def fragment_key(name: str, version_values: Iterable[int], vary: Iterable[Any]) -> str:
    parts = [name, get_language() or "", *map(str, version_values), *map(str, vary)]
    return "fragment:" + ":".join(parts)


def content_version(request: HttpRequest | None) -> int:
    return versions.of_request(request, CONTENT)[0]


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


# The template tag


class FragmentNode(template.Node):
    """`{% fragment "name" vary … %}…{% endfragment %}`: the enclosed template, cached
    under the versions of `tags`, the site, the language and the vary values.
    With vary values, the piece is cached only when the first one is set (it names what
    the piece is about, e.g. the page); without, it is the same on every page."""

    child_nodelists = ("nodelist",)

    def __init__(
        self,
        nodelist: template.NodeList,
        name: str,
        vary: list[template.base.FilterExpression],
        tags: tuple[str, ...],
        timeout_setting: str,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.tags = tags
        self.timeout_setting = timeout_setting

    def render(self, context: template.Context) -> str:
        vary = [expression.resolve(context) for expression in self.vary]
        request = context.get("request")
        # A preview shows a draft: kept pieces are the live page's, and a piece of the
        # draft must never be kept for readers.
        if (vary and vary[0] in (None, "")) or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        site = adapters.current_site(request)
        piece_key = key(request, self.name, self.tags, site.pk if site else "", *vary)
        timeout = getattr(settings, self.timeout_setting)
        return cached(request, piece_key, lambda: self.nodelist.render(context), timeout)


def fragment_tag(
    end: str, tags: tuple[str, ...], timeout_setting: str = "PAGE_CACHE_TIMEOUT"
) -> Callable[[template.base.Parser, template.base.Token], FragmentNode]:
    """A block tag caching its content under the versions of `tags` (see FragmentNode)."""

    def compile_tag(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
        bits = token.split_contents()
        if len(bits) < 2:
            raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
        nodelist = parser.parse((end,))
        parser.delete_first_token()
        name = bits[1].strip("\"'")
        vary = [parser.compile_filter(bit) for bit in bits[2:]]
        return FragmentNode(nodelist, name, vary, tags, timeout_setting)

    return compile_tag
