"""Write records as JSONL while the crawl runs; publish the dump and its manifest at the end."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

import scrapers
from pipelines.digest import file_digest
from pipelines.run import (
    RunFiles, finish_job, mark_job, open_partial, partial_path, publish, read_records, run_files,
)
from scrapers.extraction import SCHEMA_VERSION

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
        manifest = self._manifest(spider, reason)
        self.files.manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        counts = manifest["counts"]
        spider.logger.info(
            "dump %s: %d articles written, %d dropped, %d failed, %d duplicates, %d unchanged",
            self.files.dump, counts["articles_written"], counts["dropped"], counts["failures"],
            counts["duplicates"], counts["unchanged"],
        )

    def _manifest(self, spider: Spider, reason: str) -> dict[str, Any]:
        assert self.files is not None
        stats = self.stats.get_stats()
        failures, refused = failure_counts(self.files)
        dropped = _by_reason(stats, "presswire/dropped/")
        duplicates = sum(v for k, v in dropped.items() if k.startswith("duplicate"))
        unchanged = dropped.get("unchanged", 0)
        sha, lines = file_digest(self.files.dump, self.files.gzip)
        return {
            "spider": spider.name,
            "site": getattr(spider, "site_name", None),
            "job_id": self.files.job_id,
            "started_at": self.files.started_at.isoformat(),
            "finished_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "finish_reason": reason,
            "dump": self.files.dump.name,
            "failures_file": self.files.failures.name,
            "counts": {
                "pages_fetched": stats.get("response_received_count", 0),
                "articles_written": lines,
                "duplicates": duplicates,
                "unchanged": unchanged,
                "dropped": sum(refused.values()),
                "dropped_by_reason": refused,
                "failures": sum(failures.values()),
                "failures_by_reason": failures,
            },
            "schema_version": SCHEMA_VERSION,
            "project_version": scrapers.__version__,
            "sha256": sha,
            "lines": lines,
        }


def failure_counts(files: RunFiles) -> tuple[dict[str, int], dict[str, int]]:
    """(failures, validation drops) by reason, counted from the failures file itself, so a
    resumed job's manifest covers every session of the job."""
    path = files.failures if files.failures.exists() else partial_path(files.failures)
    failures: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for entry in read_records(path):
        (dropped if entry.get("stage") == "validate" else failures)[entry.get("reason", "unknown")] += 1
    return dict(sorted(failures.items())), dict(sorted(dropped.items()))


def _by_reason(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}
