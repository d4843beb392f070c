"""Two ccnews processes share the WARC files of one run through a real redis-server (REDIS_URL)."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.archive_files import numbered_articles, write_warc
from tests.range_server import serve_files
from tests.services.conftest import RedisServer, start_crawl

FILES = 6
PER_FILE = 8


def test_two_processes_read_each_file_once(redis_server: RedisServer, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    for n in range(FILES):
        write_warc(served / f"part-{n}.warc.gz", numbered_articles(f"https://site{n}.example", PER_FILE))
    listing = "".join(f"part-{n}.warc.gz\n" for n in range(FILES))
    (served / "warc.paths.gz").write_bytes(gzip.compress(listing.encode()))
    with serve_files(served) as base_url:
        settings = {"REDIS_URL": redis_server.url, "CCNEWS_BASE_URL": base_url, "CCNEWS_IN_FLIGHT": "1",
                    "REDIS_POLL_INTERVAL": "0.2"}
        crawls = [start_crawl(tmp_path / f"p{n}", "ccnews", "-a", f"paths={base_url}/warc.paths.gz",
                              settings=settings) for n in (1, 2)]
        codes = [crawl.wait(timeout=120) for crawl in crawls]
    for crawl, code in zip(crawls, codes, strict=True):
        assert code == 0, crawl.log[-3000:]
    urls = [record["url"] for crawl in crawls for record in crawl.all_records()]
    assert len(urls) == len(set(urls)) == FILES * PER_FILE
    read = [sum(1 for line in crawl.log.splitlines() if ": done," in line) for crawl in crawls]
    assert sum(read) == FILES and all(n > 0 for n in read), read
