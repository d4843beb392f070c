"""Write records as JSONL while the crawl runs; publish the dump and its manifest at the end."""

from __future__ import annotations

import json
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scrapers.jobs.files import RunFiles, open_partial, publish, run_files
from scrapers.jobs.manifest import build_manifest
from scrapers.jobs.state import finish_job, mark_job

# Close reasons after which a JOBDIR job will be resumed: keep the partial dump for it.
RESUMABLE_REASONS = {"shutdown"}


def dumps(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class JsonlWriterPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.files: RunFiles | None = None
        self.handle: IO[bytes] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonlWriterPipeline:
        if not crawler.settings.getbool("JSONL_ENABLED"):
            raise NotConfigured
        writer = cls(crawler)
        # published after every pipeline has closed, when the close reason is known
        crawler.signals.connect(writer.spider_closed, signal=signals.spider_closed)
        return writer

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.files = run_files(self.crawler, spider)
        self.handle = open_partial(self.files.dump)
        spider.logger.info("writing articles to %s", self.files.dump)

    def process_item(self, item: Any) -> Any:
        assert self.handle is not None
        # a dict is written as it is; asdict() would deep-copy every record first
        self.handle.write(dumps(item if isinstance(item, dict) else ItemAdapter(item).asdict()))
        self.handle.flush()  # a killed crawl loses at most the line being written
        self.stats.inc_value("presswire/articles_written")
        return item

    def close_spider(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.files is None:
            return
        if reason in RESUMABLE_REASONS and self.crawler.settings.get("JOBDIR"):
            mark_job(self.crawler.settings.get("JOBDIR"), "interrupted")
            spider.logger.info("crawl interrupted (%s): partial dump kept for the resumed job", reason)
            return
        publish(self.files.dump, self.files.gzip)
        finish_job(self.crawler.settings.get("JOBDIR"))
        manifest = build_manifest(self.files, spider, reason, self.stats.get_stats())
        self.files.manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        counts = manifest["counts"]
        spider.logger.info(
            "dump %s: %d articles written, %d dropped, %d failed, %d duplicates, %d unchanged",
            self.files.dump, counts["articles_written"], counts["dropped"], counts["failures"],
            counts["duplicates"], counts["unchanged"],
        )
