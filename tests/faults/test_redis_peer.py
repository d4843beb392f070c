"""One of two Redis-frontier processes is killed mid-crawl: the survivor fetches what it had taken."""

from __future__ import annotations

from pathlib import Path

from scrapers.jobs.dumpcheck import check_dump
from tests.services.conftest import ARTICLE_PATHS, LoggedSite, RedisServer, dumps_under, start_crawl, wait_for

SHARED = {"CONCURRENT_REQUESTS": "4", "DOWNLOAD_DELAY": "0.2", "REDIS_POLL_INTERVAL": "0.2",
          "REDIS_WORKER_TTL": "3"}


def _lines(root: Path) -> int:
    parts = [p for p in root.rglob("*.jsonl.part") if ".failures." not in p.name]
    return parts[0].read_bytes().count(b"\n") if parts else 0


def test_a_killed_peer_is_replaced_by_the_survivor(redis_server: RedisServer, logged_site: LoggedSite,
                                                   tmp_path: Path) -> None:
    url = f"{logged_site.base_url}/"
    settings = {**SHARED, "REDIS_URL": redis_server.url}
    victim = start_crawl(tmp_path / "victim", "news", "-a", f"url={url}", settings=settings)
    survivor = start_crawl(tmp_path / "survivor", "news", "-a", f"url={url}", settings=settings)
    try:
        wait_for(lambda: _lines(victim.root) >= 3, 60, "the victim to write some articles")
    finally:
        victim.process.kill()  # SIGKILL: its heartbeat stops, its .part is never published
        victim.process.wait()
    assert survivor.wait(timeout=120) == 0, survivor.log[-3000:]
    assert dumps_under(victim.root) == []
    for dump in dumps_under(survivor.root):
        assert check_dump(dump).ok
    paths = sorted(record["url"][len(logged_site.base_url):] for record in survivor.all_records())
    assert paths == ARTICLE_PATHS
    assert "back in the shared queue" in survivor.log
    assert redis_server.client.keys("presswire:*") == []
