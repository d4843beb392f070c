"""A distributed run (REDIS_URL, a real redis-server): each process's summary line, manifest and files
agree (tests/test_counts.py has the local runs), and the exit code judges the run as a whole."""

from __future__ import annotations

from pathlib import Path

from tests.services.conftest import ARTICLE_PATHS, LoggedSite, RedisServer, start_crawl
from tests.test_counts import agree

SHARED = {"CONCURRENT_REQUESTS": "4", "DOWNLOAD_DELAY": "0.1", "REDIS_POLL_INTERVAL": "0.2"}


def test_each_process_of_a_redis_run_agrees_with_itself(redis_server: RedisServer, logged_site: LoggedSite,
                                                        tmp_path: Path) -> None:
    settings = {**SHARED, "REDIS_URL": redis_server.url}
    crawls = [start_crawl(tmp_path / f"p{n}", "news", "-a", f"url={logged_site.base_url}/", settings=settings)
              for n in (1, 2)]
    for crawl in crawls:
        assert crawl.wait(timeout=90) == 0, crawl.log[-3000:]
    written = 0
    for crawl in crawls:
        [summary] = [line for line in crawl.log.splitlines() if line.startswith("summary: ")]
        assert crawl.dump is not None
        agree(summary, crawl.manifest, crawl.dump, crawl.dump.with_name(crawl.manifest["failures_file"]))
        written += crawl.manifest["counts"]["articles_written"]
    assert written == len(ARTICLE_PATHS)
