"""A progress line on stderr at a fixed interval (``PROGRESS_INTERVAL`` seconds, 0 = off), whatever the
log level: ``-L WARNING`` keeps the log quiet, but a long crawl should still show that it is alive."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)
FAILURE_PREFIX = "presswire/failures/"


def discovery_counts(stats: Mapping[str, Any]) -> str:
    """What discovery did, for the progress and summary lines."""
    out_of_window = stats.get("presswire/skipped/out_of_window", 0) + stats.get("presswire/dropped/out_of_window", 0)
    return (f"{stats.get('presswire/discovery/sitemaps_read', 0)} sitemaps read, "
            f"{stats.get('presswire/discovery/urls_listed', 0)} URLs listed, "
            f"{stats.get('presswire/discovery/article_requests', 0)} article requests, "
            f"{stats.get('presswire/skipped/unchanged', 0)} skipped as unchanged, {out_of_window} out of window")


def progress_line(stats: Mapping[str, Any]) -> str:
    pages = stats.get("response_received_count", 0)
    failed = sum(v for k, v in stats.items() if k.startswith(FAILURE_PREFIX))
    queued = max(0, stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0))
    return (f"progress: {pages} pages fetched, {stats.get('presswire/articles_written', 0)} articles written, "
            f"{failed} failed, {queued} queued; {discovery_counts(stats)}")


class Progress:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        progress = cls(crawler, interval)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        assert self.crawler.stats is not None
        line = progress_line(self.crawler.stats.get_stats())
        print(line, file=sys.stderr, flush=True)
        if self.crawler.settings.get("LOG_FILE"):
            logger.info(line)  # Scrapyd's job log

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
