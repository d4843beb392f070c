"""Incremental crawls: write only articles that are new or changed since earlier runs.

A changed article is written again with ``version`` raised by one and the same ``id``. During the
crawl the store is only read; the job's articles are recorded as pending when publication begins
and count as written once the job's manifest exists (``jobs/publication.py``, docs/jobs.md). A job
resumed from ``JOBDIR`` first re-reads its partial dump, so records written before an
interruption belong to the job.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scrapers.incremental.counts import CHANGED_STAT, NEW_STAT
from scrapers.incremental.shared import SharedFetches
from scrapers.incremental.store import Entry, SeenStore, store_path, utcnow
from scrapers.jobs.drops import RecordDropped
from scrapers.jobs.errors import record_job_error
from scrapers.jobs.files import RunFiles, partial_path, read_records, run_files
from scrapers.jobs.signals import job_closing, job_published


class IncrementalPipeline:
    def __init__(self, crawler: Crawler, store: SeenStore, retention_days: float) -> None:
        self.crawler = crawler
        self.retention = dt.timedelta(days=retention_days)
        self.store: SeenStore | None = store
        self.name = ""
        # this job's articles, by id: what the store learns when the job is published
        self.entries: dict[str, Entry] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalPipeline:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured
        # opened here, before the first request: an unusable store stops the crawl with one line
        store = SeenStore(store_path(settings), settings.getfloat("INCREMENTAL_BUSY_TIMEOUT"))
        pipeline = cls(crawler, store, settings.getfloat("INCREMENTAL_RETENTION_DAYS"))
        crawler.signals.connect(pipeline.job_closing, signal=job_closing)
        crawler.signals.connect(pipeline.job_published, signal=job_published)
        # after spider_closed, where the job is published
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        assert self.store is not None
        spider = self.crawler.spider
        assert spider is not None
        self.name = getattr(spider, "output_name", spider.name)
        # present from the start: the summary line tells a run with the store from one without it
        for stat in (NEW_STAT, CHANGED_STAT):
            self.crawler.stats.set_value(stat, 0)
        try:
            # jobs killed after their manifest but before the store learned their articles
            promoted = self.store.promote_published()
            if promoted:
                spider.logger.info("incremental store: articles of published jobs %s recorded", ", ".join(promoted))
            expired = self.store.expire(dt.datetime.now(dt.UTC) - self.retention)
            if expired:
                spider.logger.info("incremental store: %d entries older than %s expired", expired, self.retention)
        except sqlite3.OperationalError as err:
            # another crawl is writing: housekeeping waits for the next run
            spider.logger.warning("incremental store busy, housekeeping skipped: %s", err)
        self._recover(partial_path(run_files(self.crawler, spider).dump))

    def _recover(self, part: Path) -> None:
        """Records already in this job's partial dump (a resumed job) belong to this job."""
        for record in read_records(part):
            self._remember(record["id"], record.get("url"), record.get("content_hash"), record.get("version"))

    def process_item(self, item: Any) -> Any:
        assert self.store is not None
        adapter = ItemAdapter(item)
        try:
            known = self.store.lookup(self.name, adapter["id"])
        except sqlite3.DatabaseError as err:
            # damaged mid-run: the article is recorded as an item_error and the run fails
            record_job_error(self.crawler, "store", f"{self.store.path}: {type(err).__name__}: {err}")
            raise
        fetch = self._fetch_of(adapter)
        if known is not None and known.content_hash == adapter.get("content_hash"):
            if adapter["id"] not in self.entries:
                self.entries[adapter["id"]] = Entry(adapter["id"], adapter.get("url") or "", known.content_hash,
                                                    known.version, False, *fetch)
            raise RecordDropped("incremental", "unchanged", adapter.get("url") or "")
        adapter["version"] = known.version + 1 if known else 1
        # the summary line tells new from changed articles (commands/crawl.py)
        self.crawler.stats.inc_value(CHANGED_STAT if known else NEW_STAT)
        self._remember(adapter["id"], adapter.get("url"), adapter.get("content_hash"), adapter["version"], fetch)
        return item

    def _fetch_of(self, adapter: ItemAdapter) -> tuple[str | None, str | None, str | None, str | None]:
        """(URL requested, when, with which lastmod, the article's date) for incremental discovery: the
        spider notes the request of each article page it extracts (``fetch_notes``, by page URL)."""
        notes = getattr(self.crawler.spider, "fetch_notes", None)
        note = notes.pop(adapter.get("url"), None) if isinstance(notes, dict) else None
        requested, fetched, lastmod = note if note else (None, adapter.get("fetched_at"), None)
        return requested, fetched, lastmod, adapter.get("date_published")

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Spider) -> None:
        notes = getattr(spider, "fetch_notes", None)
        if isinstance(notes, dict) and ItemAdapter.is_item(item):
            notes.pop(ItemAdapter(item).get("url"), None)  # dropped before this pipeline: nothing to record

    def _remember(self, record_id: str, url: str | None, content_hash: str | None, version: int | None,
                  fetch: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)) -> None:
        self.entries[record_id] = Entry(record_id, url or "", content_hash, int(version or 1), True, *fetch)

    def job_closing(self, files: RunFiles, spider: Spider) -> None:
        """Publication begins: the job's articles go into the store as pending, in one transaction."""
        self._write("recording the job's articles", lambda store: store.record_pending(
            files.job_id, files.manifest, self.name, self.entries.values()))

    def job_published(self, files: RunFiles, spider: Spider) -> None:
        """The manifest exists: the job's articles now count as written for later runs (and, with
        REDIS_URL, for every process and machine crawling the site: incremental/shared.py)."""
        self._write("committing the published job", lambda store: store.promote(files.job_id))
        try:
            shared = SharedFetches.from_settings(self.crawler.settings, self.name)
            if shared is not None:
                shared.put_many(self.entries.values(), utcnow())
        except Exception as err:  # redis errors: the local store has them; peers may fetch them again
            spider.logger.warning("incremental state not shared in Redis: %s: %s", type(err).__name__, err)

    def _write(self, what: str, action: Any) -> None:
        if self.store is None:
            return
        try:
            action(self.store)
        except sqlite3.Error as err:
            # the dump is still published; a later run finds the articles new and writes them again
            record_job_error(self.crawler, "store", f"{what} in {self.store.path}: {type(err).__name__}: {err}")

    def engine_stopped(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
