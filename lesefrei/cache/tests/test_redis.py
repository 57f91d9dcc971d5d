"""lesefrei's Redis cache backend (lesefrei/cache/redis.py) against a redis-server of the
test's own: an outage reads as a miss, Redis is used again when it returns, and a write
lost in between can never bring back what it should have replaced."""

import logging
import time

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from lesefrei.cache.redis import RedisCache, ReusingRedisCacheClient
from tests.integration.redis_server import RedisServer, cache_settings, free_port


def backend(url: str, **options: object) -> RedisCache:
    params = cache_settings(url, **options)["default"]
    return RedisCache(params["LOCATION"], params)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def wait_until_used_again(cache: RedisCache) -> None:
    time.sleep(cache.retry_seconds + 0.05)


def test_a_closed_port_reads_as_a_miss_and_writes_are_skipped(caplog):
    cache = backend(f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.WARNING, logger="lesefrei.cache.redis"):
        assert cache.get("a", "default") == "default"
        cache.set("a", 1)
        assert cache.add("a", 1) is True, "a lock taken through the cache never blocks"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.incr("count") == 1, "a counter fails open"
        assert cache.delete("a") is False
        cache.delete_many(["a"])
        assert cache.get_or_set("a", 2) == 2
    assert not cache.available and cache.ping() is False
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1, "one line per outage, not one per call"


def test_redis_is_used_again_when_it_returns_without_a_restart(redis_server):
    cache = backend(redis_server.url)
    cache.set("a", "before")
    redis_server.stop()
    assert cache.get("a") is None and not cache.available
    redis_server.start()  # same port, empty (no persistence)
    wait_until_used_again(cache)
    cache.set("a", "after")
    assert cache.get("a") == "after" and cache.available


def test_a_write_lost_while_redis_was_away_empties_it_when_it_returns(redis_server):
    """Paused (a partition): Redis keeps its data. A new version that could not be
    written must not let the old one be read when Redis answers again."""
    cache = backend(redis_server.url)
    cache.set("content:version", "old", None)
    redis_server.pause()
    try:
        cache.set("content:version", "new", None)  # lost
        assert cache.get("content:version") is None
    finally:
        redis_server.resume()
    wait_until_used_again(cache)
    assert cache.get("content:version") is None, "the old version must not come back"
    assert redis_server.client().dbsize() == 0


def test_an_outage_without_lost_writes_keeps_what_redis_holds(redis_server):
    cache = backend(redis_server.url)
    cache.set("piece", "kept", None)
    redis_server.pause()
    try:
        assert cache.get("piece") is None
    finally:
        redis_server.resume()
    assert cache.ping() is True
    assert cache.get("piece") == "kept"


def test_ping_ends_an_outage_at_once(redis_server):
    cache = backend(redis_server.url, RETRY_SECONDS=3600)
    redis_server.stop()
    assert cache.get("a") is None
    redis_server.start()
    assert cache.get("a", "skipped") == "skipped", "still backing off"
    assert cache.ping() is True
    cache.set("a", 1)
    assert cache.get("a") == 1


def test_sets_for_the_page_cache_index(redis_server):
    cache = backend(redis_server.url)
    cache.add_to_set("index", "one", 60)
    cache.add_to_set("index", "two", 60)
    assert cache.pop_set("index") == {"one", "two"}
    assert cache.pop_set("index") == set()


def test_the_client_reuse_still_fits_djangos_redis_client(redis_server):
    """ReusingRedisCacheClient overrides private methods of Django's RedisCacheClient:
    this fails when Django renames them, instead of the reuse silently stopping."""
    for name in ("_get_connection_pool_index", "_get_connection_pool", "_client"):
        assert hasattr(RedisCacheClient(redis_server.url), name), name
    cache = backend(redis_server.url)
    client = cache._cache
    assert isinstance(client, ReusingRedisCacheClient)
    assert client.get_client(write=True) is client.get_client(write=True)
