"""A Redis of the test's own, on a free port, that a test can stop and start again: the shared
one (CACHE_URL, if any) is never stopped. Runs on plain SQLite without CACHE_URL as well."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tracker import pagecache

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """redis-server in ``folder``; stopping saves what it holds to disk and starting loads it,
    so pages kept before an outage are there again afterwards (as after a restart with Redis's
    snapshots on, or a network split, where nothing was lost)."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, _free_port(), None
        self.client = redis.Redis(host="127.0.0.1", port=self.port)

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):  # until it answers (a readiness poll, not a timing under test)
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        self.client.shutdown(save=True)
        self.process.wait(30)
        self.process = None

    def keys(self) -> int:
        return self.client.dbsize()

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    """The page cache on a Redis of this test's own, tried again at every use after an error
    (``RETRY_SECONDS = 0``: the test decides when the cache is back, not a clock)."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url()}}
    monkeypatch.setattr(pagecache, "RETRY_SECONDS", 0)
    pagecache.reset_outage()
    yield server
    if server.process is not None:
        server.process.terminate()
        server.process.wait(30)
    pagecache.reset_outage()
