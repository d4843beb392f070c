"""Redis goes away in the middle of a distributed crawl: killed (the process stops within
REDIS_LOST_TIMEOUT, publishes what it wrote, exits 1 with one line, no tracebacks) or restarted empty
(the run notices its frontier is gone and fails loudly instead of ending "finished" with part of the
articles)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services.conftest import LoggedSite, dumps_under, free_port, start_crawl, stop, unavailable, wait_for

SETTINGS = {"CONCURRENT_REQUESTS": "2", "DOWNLOAD_DELAY": "0.1", "REDIS_POLL_INTERVAL": "0.2",
            "REDIS_WORKER_TTL": "4", "REDIS_LOST_TIMEOUT": "5", "INCREMENTAL_ENABLED": "0"}


@dataclass
class KillableRedis:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        try:
            wait_for(client.ping, 10, "redis-server to answer")
        finally:
            client.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def killable_redis(tmp_path: Path) -> Iterator[KillableRedis]:
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = KillableRedis(free_port(), folder)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            stop(server.process)


def _lines(root: Path) -> int:
    parts = list(root.rglob("*.dump.part"))
    return parts[0].read_bytes().count(b"\n") if parts else 0


def test_redis_killed_mid_crawl_stops_the_process_in_bounded_time(
        killable_redis: KillableRedis, logged_site: LoggedSite, tmp_path: Path) -> None:
    crawl = start_crawl(tmp_path / "out", "news", "-a", f"url={logged_site.base_url}/",
                        settings={**SETTINGS, "REDIS_URL": killable_redis.url})
    wait_for(lambda: _lines(crawl.root) >= 3, 60, "the crawl to write some articles")
    written_before = _lines(crawl.root)
    killable_redis.kill()
    killed_at = time.monotonic()
    code = crawl.wait(timeout=60)
    assert time.monotonic() - killed_at < 30, "the crawl did not stop within its bound"
    assert code == 1, crawl.log[-3000:]
    last = crawl.log.strip().splitlines()[-1]
    assert last.startswith("scrapy crawl: crawl of news failed") and "Redis" in last, last
    assert crawl.log.count("Traceback") == 0, crawl.log[-5000:]
    # what it had written is published, checked by the harness against its manifest
    assert dumps_under(crawl.root) and len(crawl.records) >= written_before


def test_redis_back_empty_fails_the_run_loudly(
        killable_redis: KillableRedis, logged_site: LoggedSite, tmp_path: Path) -> None:
    crawl = start_crawl(tmp_path / "out", "news", "-a", f"url={logged_site.base_url}/",
                        settings={**SETTINGS, "REDIS_URL": killable_redis.url})
    wait_for(lambda: _lines(crawl.root) >= 3, 60, "the crawl to write some articles")
    killable_redis.kill()
    killable_redis.start()  # the same address, nothing in it
    code = crawl.wait(timeout=90)
    assert code == 1, crawl.log[-3000:]
    last = crawl.log.strip().splitlines()[-1]
    assert last.startswith("scrapy crawl: crawl of news failed") and "frontier" in last, last
    assert crawl.log.count("Traceback") == 0, crawl.log[-5000:]


def test_redis_frozen_mid_crawl_stops_the_process_in_bounded_time(
        killable_redis: KillableRedis, logged_site: LoggedSite, tmp_path: Path) -> None:
    """SIGSTOP: the server accepts connections and never answers (a hung host, a full disk under AOF)."""
    crawl = start_crawl(tmp_path / "out", "news", "-a", f"url={logged_site.base_url}/",
                        settings={**SETTINGS, "REDIS_URL": killable_redis.url})
    wait_for(lambda: _lines(crawl.root) >= 3, 60, "the crawl to write some articles")
    assert killable_redis.process is not None
    killable_redis.process.send_signal(signal.SIGSTOP)
    frozen_at = time.monotonic()
    try:
        code = crawl.wait(timeout=150)
    finally:
        killable_redis.process.send_signal(signal.SIGCONT)
    assert code == 1, crawl.log[-3000:]
    assert crawl.log.count("Traceback") == 0, crawl.log[-5000:]
    assert time.monotonic() - frozen_at < 90, "the crawl did not stop within its bound"


def test_redis_back_within_the_bound_loses_nothing(
        killable_redis: KillableRedis, logged_site: LoggedSite, tmp_path: Path) -> None:
    """Frozen for a few seconds (shorter than REDIS_LOST_TIMEOUT): the crawl goes on, every article once."""
    from tests.services.conftest import ARTICLE_PATHS

    crawl = start_crawl(tmp_path / "out", "news", "-a", f"url={logged_site.base_url}/",
                        settings={**SETTINGS, "REDIS_URL": killable_redis.url, "REDIS_LOST_TIMEOUT": "12"})
    wait_for(lambda: _lines(crawl.root) >= 3, 60, "the crawl to write some articles")
    assert killable_redis.process is not None
    killable_redis.process.send_signal(signal.SIGSTOP)
    time.sleep(5)  # longer than a call waits (REDIS_LOST_TIMEOUT / 4 = 3 s), shorter than the bound
    killable_redis.process.send_signal(signal.SIGCONT)
    code = crawl.wait(timeout=150)
    assert code == 0, crawl.log[-3000:]
    assert "Redis answers again" in crawl.log
    assert crawl.log.count("Traceback") == 0, crawl.log[-5000:]
    paths = [record["url"][len(logged_site.base_url):] for record in crawl.records]
    assert sorted(paths) == ARTICLE_PATHS
