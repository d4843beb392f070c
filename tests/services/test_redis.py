"""Two crawler processes share one frontier in a real redis-server (REDIS_URL)."""

from __future__ import annotations

import re
from pathlib import Path

from scrapy import Request

from tests.services.conftest import ARTICLE_PATHS, TRUTH, LoggedSite, RedisServer, start_crawl

# Each process may hold only a few requests, so the work is spread; a small delay makes the
# processes overlap even when one of them starts a little late.
SHARED = {"CONCURRENT_REQUESTS": "4", "DOWNLOAD_DELAY": "0.1", "REDIS_POLL_INTERVAL": "0.2"}
RETRIES = 2  # Scrapy's RETRY_TIMES, as in scrapers/settings.py
FETCHED = re.compile(r"'response_received_count': (\d+)")


def test_two_processes_fetch_each_url_once(redis_server: RedisServer, logged_site: LoggedSite,
                                           tmp_path: Path) -> None:
    url = f"{logged_site.base_url}/"
    settings = {**SHARED, "REDIS_URL": redis_server.url}
    crawls = [start_crawl(tmp_path / f"p{n}", "news", "-a", f"url={url}", settings=settings) for n in (1, 2)]
    codes = [crawl.wait(timeout=60) for crawl in crawls]
    for crawl, code in zip(crawls, codes, strict=True):
        assert code == 0, crawl.log[-3000:]
        assert 'frontier.py", line' not in crawl.log and "scrapy_redis/" not in crawl.log  # no error of ours

    # Every demo article lands exactly once in the union of the two dumps.
    records = [record for crawl in crawls for record in crawl.all_records()]
    paths = sorted(record["url"][len(logged_site.base_url):] for record in records)
    assert paths == ARTICLE_PATHS

    # The server saw each URL once in total. Exceptions: robots.txt and the sitemaps, which every
    # process reads itself so that each holds the whole backlog (a killed one loses nothing; robots.txt
    # also by each process's robots.txt middleware), and 5xx pages, retried RETRY_TIMES times,
    # whichever process picks the retry up.
    requests = logged_site.requests
    assert requests["/robots.txt"] <= 4
    expected_5xx = {path: 1 + RETRIES for path, status in TRUTH["errors"].items() if status >= 500}
    assert {path: requests[path] for path in expected_5xx} == expected_5xx
    read_by_each = {path for path in requests if path == "/robots.txt" or "sitemap" in path}
    assert all(requests[path] <= 2 for path in read_by_each if path != "/robots.txt")
    twice = {path: n for path, n in requests.items() if n > 1 and path not in read_by_each and path not in expected_5xx}
    assert twice == {}

    # Both processes did part of the work, and the run left nothing behind in Redis.
    fetched = [int(m.group(1)) if (m := FETCHED.search(crawl.log)) else 0 for crawl in crawls]
    assert all(n > 0 for n in fetched), fetched
    assert "new run" in crawls[0].log + crawls[1].log and "joined a running crawl" in crawls[0].log + crawls[1].log
    assert redis_server.client.keys("presswire:*") == []


def test_a_new_run_clears_what_a_killed_run_left(redis_server: RedisServer, logged_site: LoggedSite,
                                                tmp_path: Path) -> None:
    """Keys of a run whose processes are gone (no live heartbeat) are cleared, not resumed: with the old
    dupefilter still in place the new run would skip robots.txt and the homepage and fetch nothing."""
    from scrapy_redis.dupefilter import RFPDupeFilter  # installed: the redis_server fixture checked

    url = f"{logged_site.base_url}/"
    key = "presswire:news:killed"
    client = redis_server.client
    stale = RFPDupeFilter(client, key=f"{key}:dupefilter")
    for start in (url, f"{url}robots.txt"):
        stale.request_seen(Request(start))
    client.zadd(f"{key}:workers", {"gone:1:abc": 1})  # heartbeat long expired
    crawl = start_crawl(tmp_path / "out", "news", "-a", f"url={url}",
                        settings={"REDIS_URL": redis_server.url, "REDIS_CRAWL_KEY": key})
    assert crawl.wait(timeout=60) == 0, crawl.log[-3000:]
    assert "new run" in crawl.log
    assert sorted(r["url"][len(logged_site.base_url):] for r in crawl.all_records()) == ARTICLE_PATHS
    assert client.keys("presswire:*") == []
