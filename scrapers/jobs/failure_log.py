"""Record every page that produced no article, and every refused record, with a reason."""

from __future__ import annotations

import datetime as dt
import json
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scrapers.discovery.scope import redact
from scrapers.jobs.drops import RecordDropped
from scrapers.jobs.errors import record_job_error
from scrapers.jobs.files import RunFiles, open_partial, run_files
from scrapers.jobs.signals import page_failed

# Drops that are not failures: the article exists in this dump or an earlier one.
COUNTED_ONLY_STAGES = {"dedupe", "incremental"}


class FailureLog:
    """Writes ``<job>.failures.ndjson`` beside the dump: url, stage, reason, detail, time."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.files: RunFiles | None = None
        self.handle: IO[bytes] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureLog:
        if not crawler.settings.getbool("JSONL_ENABLED"):
            raise NotConfigured
        log = cls(crawler)
        crawler.signals.connect(log.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(log.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(log.page_failed, signal=page_failed)
        crawler.signals.connect(log.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(log.spider_error, signal=signals.spider_error)
        crawler.signals.connect(log.item_error, signal=signals.item_error)
        return log

    def spider_opened(self, spider: Spider) -> None:
        self.files = run_files(self.crawler, spider)
        self.handle = open_partial(self.files.failures)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the file; the job publishes it with the dump (``jobs/publication.py``)."""
        if self.handle is None:
            return
        try:
            self.handle.close()
        except OSError as err:
            record_job_error(self.crawler, "write", f"closing the failures file: {err}")
        self.handle = None

    def page_failed(self, url: str, stage: str, reason: str, detail: str = "", spider: Spider | None = None) -> None:
        self.crawler.stats.inc_value(f"presswire/failures/{reason}")
        self._write({"url": url, "stage": stage, "reason": reason, "detail": detail})

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Spider) -> None:
        record = ItemAdapter(item).asdict()
        if isinstance(exception, RecordDropped):
            stage, reason, detail = exception.stage, exception.reason, exception.detail
        else:
            stage, reason, detail = "pipeline", "dropped", str(exception)
        self.crawler.stats.inc_value(f"presswire/dropped/{reason}")
        if stage not in COUNTED_ONLY_STAGES:
            self._write({"url": record.get("url"), "stage": stage, "reason": reason, "detail": detail,
                         "record": record})

    def spider_error(self, failure: Any, response: Any, spider: Spider) -> None:
        self.crawler.stats.inc_value("presswire/failures/spider_error")
        self._write({"url": getattr(response, "url", None), "stage": "spider", "reason": "spider_error",
                     "detail": f"{failure.type.__name__}: {failure.value}"[:500]})

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        """A pipeline raised something other than a drop: the record is lost to this dump, so it is
        a failure with its own reason, never only a log line."""
        self.crawler.stats.inc_value("presswire/failures/item_error")
        url = ItemAdapter(item).get("url") if ItemAdapter.is_item(item) else None
        self._write({"url": url or getattr(response, "url", None), "stage": "pipeline", "reason": "item_error",
                     "detail": f"{failure.type.__name__}: {failure.value}"[:500]})

    def _write(self, entry: dict[str, Any]) -> None:
        # credentials in a URL never reach the failures file, whichever component reported it
        for key in ("url", "detail"):
            if isinstance(entry.get(key), str):
                entry[key] = redact(entry[key])
        entry["time"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        if self.handle is None:
            return
        try:
            self.handle.write(json.dumps(entry, ensure_ascii=False, default=str).encode("utf-8") + b"\n")
            self.handle.flush()
        except OSError as err:
            record_job_error(self.crawler, "write", f"writing the failures file: {err}")
