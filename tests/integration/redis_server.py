"""A redis-server of the test's own, on a free port: started, stopped, paused and
restarted by the test (never the shared Redis of the test run)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, directory: Path, *, maxmemory: str = "", policy: str = "") -> None:
        if not Path(REDIS_SERVER).exists():
            pytest.fail("redis-server is not installed (apt-get install redis-server).")
        self.directory = directory
        self.port = free_port()
        self.maxmemory = maxmemory
        self.policy = policy
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def start(self) -> RedisServer:
        # No persistence: a restart starts empty, as docs/operations.md recommends.
        arguments = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        arguments += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        if self.maxmemory:
            arguments += ["--maxmemory", self.maxmemory]
        if self.policy:
            arguments += ["--maxmemory-policy", self.policy]
        self.process = subprocess.Popen(
            arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                os.kill(self.process.pid, signal.SIGCONT)  # in case it is paused
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def pause(self) -> None:
        """Unreachable but with its data kept (like a network partition)."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def evicted_keys(self) -> int:
        return int(self.client().info("stats")["evicted_keys"])


def cache_settings(url: str, **options: object) -> dict:
    """CACHES for lesefrei's Redis backend at `url`, quick to notice an outage and to
    try again (the shipped defaults wait longer)."""
    return {
        "default": {
            "BACKEND": "lesefrei.site.cache.RedisCache",
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
