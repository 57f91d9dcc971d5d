"""Django's Redis cache as an optimisation, never a dependency.

``RedisCache`` is Django's backend with two additions, both on its public API:

- **An outage is a miss, not an error.** When Redis does not answer (refused, timed out,
  restarting, out of memory), a read returns the caller's default, a write is skipped and
  ``add`` reports success. Everything built on the cache then takes its slow path: pages and
  pieces are rendered from the database, rate limits are not counted (they fail open:
  ``incr`` counts from zero, ``add`` succeeds, so a cache lock never blocks),
  ``cached_db`` sessions are read from the database. After a failure the backend waits
  ``RETRY_SECONDS`` (an OPTIONS entry, default 5) before it asks Redis again, so a dead
  Redis costs one connection timeout per process every few seconds, not one per call.
  One warning is logged when Redis goes away and one when it answers again.
- **A write lost during an outage empties the cache when Redis returns.** The cache holds
  versions, invalidation stamps and sessions; a bump or a delete that never reached Redis
  would otherwise let an old page, piece or session come back with Redis. So the first
  call that finds Redis again first empties the cache database (``clear``): give lesefrei
  a Redis database of its own.

Outage state is kept per process and per Redis address, shared by all threads (Django
builds one backend object per thread).

It also keeps one redis-py client per connection pool: Django's ``RedisCacheClient``
builds a new ``redis.Redis`` object for every cache call (about 170 attribute writes
each), and a reader page makes several calls. That reuse overrides two of Django's
private methods; ``tests/test_redis.py`` fails if Django renames them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# Without these a Redis host that drops packets would hold every request for minutes.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


@dataclass
class Outage:
    """What one process knows about one Redis address."""

    lock: threading.Lock
    retry_at: float = 0.0  # no call before this moment (monotonic)
    down_since: float | None = None  # wall clock, for the health endpoint and the log
    lost_writes: int = 0


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_for(location: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage(lock=threading.Lock()))


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": {**DEFAULT_OPTIONS, **options}})
        self._class = ReusingRedisCacheClient
        self.location = ";".join(self._servers)
        self.outage = outage_for(self.location)

    def validate_key(self, key: str) -> None:
        """Django warns about keys memcached could not store; Redis stores any key, and
        the check costs about a third of a page-cache hit (15 keys per hit)."""

    # Health

    @property
    def available(self) -> bool:
        """Whether the last call reached Redis (no call is made)."""
        return self.outage.down_since is None

    def ping(self) -> bool:
        """Ask Redis now, whatever the back-off (for the health endpoint): True when it
        answers; a successful ping also ends an outage (emptying the cache if needed)."""
        self.outage.retry_at = 0.0
        return self._call(lambda: self._cache.get_client(write=True).ping(), False) is True

    # Django's cache API, each call guarded

    def _call(self, operation: Callable[[], Any], fallback: Any, write: bool = False) -> Any:
        outage = self.outage
        if outage.down_since is not None and (
            time.monotonic() < outage.retry_at or not self._recover()
        ):
            with outage.lock:
                if outage.down_since is not None:  # (else it came back meanwhile: go on)
                    outage.lost_writes += int(write)
                    return fallback
        try:
            return operation()
        except RedisError as error:
            self._went_away(error, write)
            return fallback

    def _went_away(self, error: Exception, write: bool) -> None:
        outage = self.outage
        with outage.lock:
            outage.retry_at = time.monotonic() + self.retry_seconds
            if write:
                outage.lost_writes += 1
            if outage.down_since is None:
                outage.down_since = time.time()
                logger.warning(
                    "Redis at %s unreachable (%s): pages are rendered from the database, "
                    "rate limits are not enforced; next try in %g s",
                    self.location,
                    error,
                    self.retry_seconds,
                )

    def _recover(self) -> bool:
        """Try Redis again after the back-off; empty it first when writes were lost."""
        outage = self.outage
        with outage.lock:
            if outage.down_since is None:
                return True
            try:
                client = self._cache.get_client(write=True)
                client.ping()
                lost = outage.lost_writes
                if lost:
                    client.flushdb()
            except RedisError:
                outage.retry_at = time.monotonic() + self.retry_seconds
                return False
            seconds = time.time() - outage.down_since
            outage.down_since, outage.lost_writes = None, 0
        logger.warning(
            "Redis at %s answers again after %.0f s%s",
            self.location,
            seconds,
            f"; emptied it: {lost} writes had not reached it" if lost else "",
        )
        return True

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        parent = super()
        return self._call(lambda: parent.get(key, default, version), default)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        parent = super()
        return self._call(lambda: parent.get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        parent = super()
        return self._call(lambda: parent.has_key(key, version), False)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        parent = super()
        # Unreachable, `add` reports success: a lock taken through the cache (allauth's rate
        # limits take one) then lets the caller go on instead of waiting and refusing.
        return self._call(lambda: parent.add(key, value, timeout, version), True, write=True)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        parent = super()
        self._call(lambda: parent.set(key, value, timeout, version), None, write=True)

    def set_many(
        self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[str]:
        parent = super()
        return self._call(lambda: parent.set_many(data, timeout, version), list(data), write=True)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        parent = super()
        return self._call(lambda: parent.touch(key, timeout, version), False, write=True)

    def delete(self, key: Any, version: Any = None) -> bool:
        parent = super()
        return self._call(lambda: parent.delete(key, version), False, write=True)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        parent = super()
        self._call(lambda: parent.delete_many(keys, version), None, write=True)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        # Unreachable, a counter answers as if it had just started: rate limits fail open.
        parent = super()
        return self._call(lambda: parent.incr(key, delta, version), delta, write=True)

    def clear(self) -> bool:
        parent = super()
        return self._call(lambda: parent.clear(), False, write=True)

    # Sets, for the page cache's index of which addresses show a tag (best effort)

    def add_to_set(self, key: str, member: str, timeout: int) -> None:
        def operation() -> None:
            name = self.make_and_validate_key(key)
            pipe = self._cache.get_client(write=True).pipeline()
            pipe.sadd(name, member)
            pipe.expire(name, timeout)
            pipe.execute()

        self._call(operation, None, write=True)

    def pop_set(self, key: str) -> set[str]:
        """Every member of the set at `key`, removing the set."""

        def operation() -> set[str]:
            name = self.make_and_validate_key(key)
            pipe = self._cache.get_client(write=True).pipeline()
            pipe.smembers(name)
            pipe.delete(name)
            members, _ = pipe.execute()
            return {member.decode() for member in members}

        return self._call(operation, set(), write=True)
