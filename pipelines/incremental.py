"""Incremental crawls: write only articles that are new or changed since earlier runs.

A changed article is written again with ``version`` raised by one and the same ``id``. What
this run wrote is committed to the store when the run ends; a job resumed from ``JOBDIR`` first
re-reads its partial dump, so records written before an interruption count as written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scrapers.incremental.store import SeenStore, store_path
from scrapers.jobs.drops import RecordDropped
from scrapers.jobs.files import partial_path, read_records, run_files


class IncrementalPipeline:
    def __init__(self, crawler: Crawler, path: Path, retention_days: float) -> None:
        self.crawler = crawler
        self.path = path
        self.retention = dt.timedelta(days=retention_days)
        self.store: SeenStore | None = None
        self.name = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalPipeline:
        if not crawler.settings.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured
        return cls(crawler, store_path(crawler.settings), crawler.settings.getfloat("INCREMENTAL_RETENTION_DAYS"))

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.name = getattr(spider, "output_name", spider.name)
        self.store = SeenStore(self.path)
        expired = self.store.expire(dt.datetime.now(dt.UTC) - self.retention)
        if expired:
            spider.logger.info("incremental store: %d entries older than %s expired", expired, self.retention)
        self._recover(partial_path(run_files(self.crawler, spider).dump))

    def _recover(self, part: Path) -> None:
        """Records already in this job's partial dump (a resumed job) count as written."""
        for record in read_records(part):
            self._remember(record["id"], record.get("url"), record.get("content_hash"), record.get("version"))

    def process_item(self, item: Any) -> Any:
        assert self.store is not None
        adapter = ItemAdapter(item)
        known = self.store.lookup(self.name, adapter["id"])
        if known is not None and known.content_hash == adapter.get("content_hash"):
            self.store.touch(self.name, adapter["id"])
            raise RecordDropped("incremental", "unchanged", adapter.get("url") or "")
        adapter["version"] = known.version + 1 if known else 1
        self._remember(adapter["id"], adapter.get("url"), adapter.get("content_hash"), adapter["version"])
        return item

    def _remember(self, record_id: str, url: str | None, content_hash: str | None, version: int | None) -> None:
        assert self.store is not None
        self.store.remember(self.name, record_id, url or "", content_hash, int(version or 1))

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.commit()
            self.store.close()
            self.store = None
