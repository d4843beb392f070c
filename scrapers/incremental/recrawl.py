"""Downloader middleware: skip article pages fetched recently by an earlier run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from ..discovery.refusals import PolicySkip
from .store import SeenStore, store_path


class RecentlyFetched(PolicySkip):
    """An earlier run wrote this page less than INCREMENTAL_RECRAWL_HOURS ago."""


class RecrawlIntervalMiddleware:
    def __init__(self, crawler: Crawler, interval: dt.timedelta) -> None:
        self.crawler = crawler
        self.interval = interval
        self.store: SeenStore | None = None
        # handed over when the run opens (scrapers/jobs/extension.py): whose articles, and what to count
        self.name: str | None = None
        self.on_skip: Callable[[], None] = lambda: None

    def use(self, name: str, on_skip: Callable[[], None]) -> None:
        self.name = name
        self.on_skip = on_skip

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecrawlIntervalMiddleware:
        hours = crawler.settings.getfloat("INCREMENTAL_RECRAWL_HOURS")
        if not crawler.settings.getbool("INCREMENTAL_ENABLED") or hours <= 0:
            raise NotConfigured
        middleware = cls(crawler, dt.timedelta(hours=hours))
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        if request.meta.get("stage") != "fetch" or self.name is None:
            return None
        if self.store is None:
            self.store = SeenStore(store_path(self.crawler.settings))
        since = dt.datetime.now(dt.UTC) - self.interval
        if self.store.seen_since(self.name, request.url, since):
            self.on_skip()
            raise RecentlyFetched(f"fetched less than {self.interval} ago")
        return None
