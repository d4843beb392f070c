"""Scrapy's own CPU cost per page: the generated site crawled by a spider that does nothing else.

    python benchmarks/floor_spider.py http://127.0.0.1:PORT [NAME=VALUE ...]

Reads the site's sitemap index and sitemaps, downloads every article with Scrapy's default
middlewares (what any Scrapy crawl pays for), and keeps only each page's length: no extraction,
no pipelines, no dump. Prints one JSON line: pages downloaded, CPU seconds of this process,
Scrapy's ``elapsed_time_seconds``. ``throughput.py`` runs it to show how close to the machine's
CPU limit any crawl driven by one Scrapy process can get. Extra ``NAME=VALUE`` arguments are
Scrapy settings.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.http import Response

SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "DOWNLOAD_DELAY": 0,
    "ROBOTSTXT_OBEY": False,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
}
_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")


class FloorSpider(scrapy.Spider):
    name = "floor"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.pages = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(f"{self.base_url}/sitemap_index.xml", callback=self.parse_index)

    def parse_index(self, response: Response) -> Iterator[scrapy.Request]:
        for url in _LOC.findall(response.body):
            yield scrapy.Request(url.decode(), callback=self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        for url in _LOC.findall(response.body):
            yield scrapy.Request(url.decode(), callback=self.parse_article)

    def parse_article(self, response: Response) -> None:
        self.pages += len(response.body) > 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    settings = {**SETTINGS, **dict(item.split("=", 1) for item in argv[1:])}
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(FloorSpider)
    process.crawl(crawler, base_url=argv[0])
    cpu = time.process_time()
    process.start()
    spider = crawler.spider
    assert isinstance(spider, FloorSpider) and crawler.stats is not None
    print(json.dumps({"pages": spider.pages, "cpu": time.process_time() - cpu,
                      "elapsed": crawler.stats.get_value("elapsed_time_seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
