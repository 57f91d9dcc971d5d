"""A redis-server of the test's own, on a free port: started, stopped, paused and
restarted by the test (never the shared Redis of the test run)."""

from __future__ import annotations

from pathlib import Path

import redis

from scripts.processes import Server, free_port, start_redis


class RedisServer:
    """Keeps its port across stop() and start(): a restart is the same Redis, empty."""

    def __init__(self, directory: Path, *, maxmemory: str = "", policy: str = "") -> None:
        self.directory = directory
        self.port = free_port()
        self.maxmemory = maxmemory
        self.policy = policy
        self.server: Server | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def start(self) -> RedisServer:
        self.server = start_redis(
            self.directory, port=self.port, maxmemory=self.maxmemory, policy=self.policy
        )
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def pause(self) -> None:
        """Unreachable but with its data kept (like a network partition)."""
        assert self.server is not None
        self.server.pause()

    def resume(self) -> None:
        assert self.server is not None
        self.server.resume()

    def evicted_keys(self) -> int:
        return int(self.client().info("stats")["evicted_keys"])


def cache_settings(url: str, **options: object) -> dict:
    """CACHES for lesefrei's Redis backend at `url`, quick to notice an outage and to
    try again (the shipped defaults wait longer)."""
    return {
        "default": {
            "BACKEND": "lesefrei.cache.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "lesefrei-test",
            "OPTIONS": {
                "RETRY_SECONDS": 0.2,
                "socket_connect_timeout": 0.3,
                "socket_timeout": 0.3,
                **options,
            },
        }
    }
