"""Versions of tags: the one idea the cache layer rests on.

A *tag* names something readers see that can change: ``page:12`` (an article),
``list:front`` (what the front page lists), ``comments:12`` (an article's comments),
``support:campaign`` (the campaign figure), ``content`` (any published content). Each
tag has a *version*: the time (in nanoseconds) of its last change, kept in the shared
cache without expiry under ``v:<tag>`` (a tag without one gets the negated time, see
``created``).

Everything kept is kept under the versions of the tags it depends on: a piece's key
contains them (pieces.py), a stored page records them and is served only while they
are unchanged (pages.py). A change sets new versions (``changed`` in __init__.py), so
nothing kept before it is read again. A version is a time, never a counter: a version
that was evicted or lost with a Redis restart comes back as a new time, never as an old
value, so eviction turns hits into misses and never brings old output back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "v:"
REQUEST_ATTRIBUTE = "_lesefrei_versions"
EXPECTED_ATTRIBUTE = "_lesefrei_expected_versions"


def key(tag: str) -> str:
    return PREFIX + tag


def read(tags: Iterable[str]) -> dict[str, int]:
    """The current version of each tag, creating missing ones (one round trip when they
    all exist)."""
    tags = list(dict.fromkeys(tags))
    found = cache.get_many([key(tag) for tag in tags])
    current: dict[str, int] = {}
    for tag in tags:
        value = found.get(key(tag))
        if value is None:
            stamp = created()
            value = stamp if cache.add(key(tag), stamp, None) else cache.get(key(tag), stamp)
        current[tag] = value
    return current


def created() -> int:
    """The version of a tag that had none (never changed, or evicted): new, so nothing
    kept before matches it, but negative, so it never reads as a change made after a
    render began (pages.PageStore.set refuses a page whose tags changed since)."""
    return -time.time_ns()


def of_request(request: HttpRequest | None, *tags: str) -> list[int]:
    """The versions of `tags`, read once per request: all of a page's pieces see the same
    state, and the first read also fetches every tag announced with `expect`."""
    if request is None:
        current = read(tags)
        return [current[tag] for tag in tags]
    known: dict[str, int] = request.__dict__.setdefault(REQUEST_ATTRIBUTE, {})
    missing = [tag for tag in tags if tag not in known]
    if missing:
        expected = request.__dict__.pop(EXPECTED_ATTRIBUTE, set())
        known.update(read([*missing, *(tag for tag in expected if tag not in known)]))
    return [known[tag] for tag in tags]


def expect(request: HttpRequest | None, *tags: str) -> None:
    """Announce tags whose versions the page will need, so the first read fetches them all."""
    if request is not None:
        request.__dict__.setdefault(EXPECTED_ATTRIBUTE, set()).update(tags)


def bump(tags: Iterable[str]) -> None:
    """New versions for `tags` now (see `changed` for the call services make)."""
    stamp = time.time_ns()
    cache.set_many({key(tag): stamp for tag in tags}, None)


# Tags whose versions a reader page needs on (nearly) every render, and those about the
# page being routed: apps register theirs in AppConfig.ready(), and the router reads them
# with the content version in one round trip (content/routing.py).
EVERY_PAGE: set[str] = set()
PER_PAGE: list[Callable[[int], str]] = []


def register(every_page: Iterable[str] = (), per_page: Callable[[int], str] | None = None) -> None:
    EVERY_PAGE.update(every_page)
    if per_page is not None and per_page not in PER_PAGE:
        PER_PAGE.append(per_page)


def expect_for_page(request: HttpRequest, page_id: int | None, *tags: str) -> None:
    """Announce the registered tags for a page (and `tags`)."""
    wanted = [*tags, *EVERY_PAGE]
    if page_id is not None:
        wanted += [tag_for(page_id) for tag_for in PER_PAGE]
    expect(request, *wanted)
