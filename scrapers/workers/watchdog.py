"""The crawl's watchdog: a scheduled crawl always ends, whatever hangs.

A thread outside the reactor (which may itself be what hangs) watches two bounds:
``WATCHDOG_MAX_RUNTIME`` seconds since the crawl started, and ``WATCHDOG_STALL_TIMEOUT`` seconds
without progress (no response, no item, no failure). Past either, it logs one line and asks the
engine to close the spider (finish reason ``watchdog_runtime`` or ``watchdog_stall``: the crawl
command then exits 1, and what the job holds is published as after any early end). A close that
itself hangs for ``WATCHDOG_CLOSE_TIMEOUT`` seconds ends the process: one line on stderr, exit
``EXIT_HUNG``, nothing published (a ``JOBDIR`` job resumes; the store has counted nothing).
0 switches a bound off.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

EXIT_HUNG = 1
_PROGRESS_SIGNALS = (signals.response_received, signals.item_scraped, signals.item_dropped, signals.item_error,
                     signals.spider_error, signals.request_dropped)


class Watchdog:
    def __init__(self, crawler: Crawler, max_runtime: float, stall_timeout: float, close_timeout: float) -> None:
        self.crawler = crawler
        self.max_runtime = max_runtime
        self.stall_timeout = stall_timeout
        self.close_timeout = close_timeout
        self.started = self.progress = time.monotonic()
        self.closed = threading.Event()
        self.thread: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Watchdog:
        settings = crawler.settings
        watchdog = cls(crawler, settings.getfloat("WATCHDOG_MAX_RUNTIME"), settings.getfloat("WATCHDOG_STALL_TIMEOUT"),
                       settings.getfloat("WATCHDOG_CLOSE_TIMEOUT"))
        if watchdog.max_runtime <= 0 and watchdog.stall_timeout <= 0:
            raise NotConfigured
        crawler.signals.connect(watchdog.spider_opened, signal=signals.spider_opened)
        # engine_stopped, not spider_closed: publishing the job runs in spider_closed handlers
        crawler.signals.connect(watchdog.engine_stopped, signal=signals.engine_stopped)
        for signal in _PROGRESS_SIGNALS:
            crawler.signals.connect(watchdog.on_progress, signal=signal)
        return watchdog

    def spider_opened(self, spider: Spider) -> None:
        self.started = self.progress = time.monotonic()
        self.thread = threading.Thread(target=self._watch, name="presswire-watchdog", daemon=True)
        self.thread.start()

    def engine_stopped(self) -> None:
        self.closed.set()

    def on_progress(self, *args: Any, **kwargs: Any) -> None:
        self.progress = time.monotonic()

    def _watch(self) -> None:
        reason = None
        while reason is None:
            if self.closed.wait(1.0):
                return
            now = time.monotonic()
            if self.max_runtime > 0 and now - self.started > self.max_runtime:
                reason, line = "watchdog_runtime", f"ran past WATCHDOG_MAX_RUNTIME={self.max_runtime:g}s"
            elif self.stall_timeout > 0 and now - self.progress > self.stall_timeout:
                reason, line = "watchdog_stall", f"no progress for WATCHDOG_STALL_TIMEOUT={self.stall_timeout:g}s"
        logger.error("watchdog: the crawl %s; closing it", line)
        self._close(reason)
        if self.close_timeout > 0 and not self.closed.wait(self.close_timeout):
            message = (f"scrapy crawl: the crawl {line} and did not close within WATCHDOG_CLOSE_TIMEOUT="
                       f"{self.close_timeout:g}s: stopped; nothing of this run was published (re-run; with "
                       "JOBDIR the job resumes)")
            logger.critical(message)
            print(message, file=sys.stderr, flush=True)
            for handler in logging.getLogger().handlers:
                handler.flush()
            os._exit(EXIT_HUNG)

    def _close(self, reason: str) -> None:
        from twisted.internet import reactor

        engine = self.crawler.engine

        def close() -> None:
            if engine is not None and getattr(engine, "_slot", None) is not None:  # not already closed
                deferred_from_coro(engine.close_spider_async(reason=reason))

        reactor.callFromThread(close)
