"""Write records as JSONL while the crawl runs; publish the dump and its manifest at the end."""

from __future__ import annotations

import json
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from scrapers.jobs.errors import record_job_error
from scrapers.jobs.faults import kill_point
from scrapers.jobs.files import RunFiles, open_partial, run_files
from scrapers.jobs.publication import publish_job
from scrapers.jobs.state import mark_job

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
        self.lines = 0
        self.stopping = False

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
        assert spider is not None
        self.files = run_files(self.crawler, spider)
        self.handle = open_partial(self.files.dump)
        spider.logger.info("writing articles to %s", self.files.dump)

    def process_item(self, item: Any) -> Any:
        assert self.handle is not None
        # a dict is written as it is; asdict() would deep-copy every record first
        line = dumps(item if isinstance(item, dict) else ItemAdapter(item).asdict())
        try:
            self.handle.write(line)
            self.handle.flush()  # a killed crawl loses at most the line being written
        except OSError as err:
            # disk full, file-size limit: the dump is torn, so this job must not publish it
            record_job_error(self.crawler, "write", f"writing {self.files.dump.name if self.files else 'dump'}: {err}")
            self._stop()
            raise
        self.lines += 1
        self.stats.inc_value("presswire/articles_written")
        kill_point("article_written", self.lines)
        return item

    def _stop(self) -> None:
        """End the crawl: every later line would be lost the same way."""
        engine = self.crawler.engine
        if engine is not None and not self.stopping:
            self.stopping = True
            deferred_from_coro(engine.close_spider_async(reason="write_error"))

    def close_spider(self) -> None:
        if self.handle is not None:
            try:
                self.handle.close()
            except OSError as err:
                record_job_error(self.crawler, "write", f"closing the dump: {err}")
            self.handle = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.files is None:
            return
        if reason in RESUMABLE_REASONS and self.crawler.settings.get("JOBDIR"):
            mark_job(self.crawler.settings.get("JOBDIR"), "interrupted")
            spider.logger.info("crawl interrupted (%s): partial dump kept for the resumed job", reason)
            return
        manifest = publish_job(self.crawler, spider, self.files, reason)
        if manifest is None:
            return
        counts = manifest["counts"]
        spider.logger.info(
            "dump %s: %d articles written, %d dropped, %d failed, %d duplicates, %d unchanged",
            self.files.dump, counts["articles_written"], counts["dropped"], counts["failures"],
            counts["duplicates"], counts["unchanged"],
        )
