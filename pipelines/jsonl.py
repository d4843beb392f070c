"""Write records as JSONL while the crawl runs; publish the dump and its manifest at the end."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

import scrapers
from pipelines.run import RunFiles, open_append, partial_path, publish, run_files
from scrapers.extraction import SCHEMA_VERSION


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
            raise NotConfigured("JSONL_ENABLED is off")
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.files = run_files(self.crawler, spider)
        self.handle = open_append(partial_path(self.files.dump), self.files.gzip)
        spider.logger.info("writing articles to %s", self.files.dump)

    def process_item(self, item: Any) -> Any:
        assert self.handle is not None
        self.handle.write(dumps(ItemAdapter(item).asdict()))
        self.handle.flush()
        self.stats.inc_value("presswire/articles_written")
        return item

    def close_spider(self) -> None:
        spider = self.crawler.spider
        assert self.handle is not None and self.files is not None
        self.handle.close()
        publish(self.files.dump)
        if not self.files.dump.exists():  # a run that wrote nothing still leaves an (empty) dump
            open_append(self.files.dump, self.files.gzip).close()
        manifest = self._manifest(spider)
        self.files.manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        counts = manifest["counts"]
        spider.logger.info(
            "dump %s: %d articles written, %d dropped, %d failed, %d duplicates",
            self.files.dump, counts["articles_written"], counts["dropped"], counts["failures"], counts["duplicates"],
        )

    def _manifest(self, spider: Spider) -> dict[str, Any]:
        assert self.files is not None
        stats = self.stats.get_stats()
        failures = _by_reason(stats, "presswire/failures/")
        dropped = _by_reason(stats, "presswire/dropped/")
        duplicates = sum(v for k, v in dropped.items() if k.startswith("duplicate"))
        sha, lines = _digest(self.files.dump.read_bytes(), self.files.gzip)
        return {
            "spider": spider.name,
            "site": getattr(spider, "site_name", None),
            "job_id": self.files.job_id,
            "started_at": self.files.started_at.isoformat(),
            "finished_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "dump": self.files.dump.name,
            "failures_file": self.files.failures.name,
            "counts": {
                "pages_fetched": stats.get("response_received_count", 0),
                "articles_written": stats.get("presswire/articles_written", 0),
                "duplicates": duplicates,
                "dropped": sum(dropped.values()) - duplicates,
                "dropped_by_reason": {k: v for k, v in dropped.items() if not k.startswith("duplicate")},
                "failures": sum(failures.values()),
                "failures_by_reason": failures,
            },
            "schema_version": SCHEMA_VERSION,
            "project_version": scrapers.__version__,
            "sha256": sha,
            "lines": lines,
        }


def _by_reason(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}


def _digest(data: bytes, is_gzip: bool) -> tuple[str, int]:
    """sha256 of the file as stored; the line count of its (decompressed) content."""
    text = gzip.decompress(data) if is_gzip and data else data
    return hashlib.sha256(data).hexdigest(), text.count(b"\n")
