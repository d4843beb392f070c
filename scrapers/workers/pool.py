"""Run extraction for the spiders: inline, or in a pool of worker processes.

Extraction is CPU work; in the reactor's thread it would stall downloading and leave the other
cores idle. With ``EXTRACTION_WORKERS`` > 0 pages go to worker processes (pebble replaces a
worker that crashes or passes ``EXTRACTION_TIMEOUT``) and the reactor keeps downloading.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from typing import Any

from pebble import ProcessExpired, ProcessPool
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from ..extraction import ExtractionError, SiteSelectors
from .deadline import ExtractionTimeout, deadline

logger = logging.getLogger(__name__)


class WorkerFailure(Exception):
    """A worker died or hung on a page; ``reason`` is ``worker_crash``, ``timeout``, ``too_large``
    (past its memory limit) or ``extraction_bug``."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def extract_record(body: bytes, url: str, content_type: str | None, selectors: SiteSelectors) -> dict[str, Any]:
    """What a worker runs: the record as a plain dict, cheap to send back."""
    # imported here, not at the top: the crawler process, which only hands pages over, never loads
    # extraction's libraries (the forkserver preloads them for the workers)
    from ..extraction.core import extract_article

    return extract_article(body, url=url, content_type=content_type, selectors=selectors).to_dict()


EXTRACTOR_MODULE = __name__.removesuffix("workers.pool") + "extraction.core"


def _ready() -> None:
    """A no-op task: scheduling it makes the pool start its workers now."""


# A worker that ran out of its address space exits with this code, so the pool replaces it: after
# a MemoryError half-built parser state may be left behind.
MEMORY_EXIT = 86


def _limit_memory(megabytes: int) -> None:
    """Pool initializer: cap the worker's address space (RLIMIT_AS), so one huge or hostile page
    fails with MemoryError in its worker instead of swapping the machine or waking the OOM killer."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _start_forkserver() -> None:
    """Start multiprocessing's forkserver and resource tracker with SIGHUP ignored, which they and every
    worker forked from them keep. A closed terminal's hang-up reaches the whole foreground group (its
    Ctrl-C too, which they already ignore): a forkserver it killed takes its workers' exit statuses with
    it, pebble reads each as a crash, and the pages a crawl's graceful stop waits for become failures.
    Only the main thread may change a signal's handler; elsewhere they start as they would anyway."""
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGHUP, previous)


def _run_bounded(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    try:
        return function(*args)
    except MemoryError:
        os._exit(MEMORY_EXIT)


# EXTRACTION_STALL_GRACE's default (scrapers/settings.py says why)
STALL_GRACE = 10.0


class ArticleExtractor:
    def __init__(self, workers: int, timeout: float, max_tasks: int,
                 function: Callable[..., dict[str, Any]] = extract_record, memory_mb: int = 0,
                 stall_grace: float = STALL_GRACE) -> None:
        self.function = function
        self.workers = workers
        self.timeout = timeout
        self.max_tasks = max_tasks
        self.memory_mb = memory_mb
        self.stall_after = timeout + stall_grace
        self.pool: ProcessPool | None = None
        self._in_flight = 0
        self._progress_at = time.monotonic()
        self._stalled: asyncio.Future[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._retry_lock: asyncio.Lock | None = None
        if workers > 0:
            self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPool:
        # Workers come from a forkserver that has imported extraction and nothing else: a
        # worker forked from the crawler would carry a copy of its growing memory (queued
        # requests, seen URLs), and it runs slower for it.
        context = multiprocessing.get_context("forkserver")
        # this module's own name (presswire.scrapers.workers.pool when installed) and the extractor it runs
        context.set_forkserver_preload([__name__, EXTRACTOR_MODULE])
        _start_forkserver()
        pool = ProcessPool(max_workers=self.workers, max_tasks=self.max_tasks, context=context,
                           initializer=_limit_memory, initargs=(self.memory_mb,))
        for _ in range(self.workers):  # start the workers while the crawl is still finding articles
            pool.schedule(_ready)
        return pool

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ArticleExtractor:
        """The pool every entry point uses (a crawl, ccnews, ``scrapy extract`` of WARC files, ``reextract``):
        the same workers, timeout, recycling, function and memory limit from the same settings."""
        workers = settings.get("EXTRACTION_WORKERS")
        workers = os.cpu_count() or 1 if workers in (None, "", "auto") else int(workers)
        return cls(workers=workers, timeout=settings.getfloat("EXTRACTION_TIMEOUT"),
                   max_tasks=settings.getint("EXTRACTION_MAX_TASKS_PER_WORKER"),
                   function=load_object(settings.get("EXTRACTION_FUNCTION")),
                   memory_mb=settings.getint("EXTRACTION_MEMORY_LIMIT_MB"),
                   stall_grace=settings.getfloat("EXTRACTION_STALL_GRACE", STALL_GRACE))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleExtractor:
        extractor = cls.from_settings(crawler.settings)
        crawler.signals.connect(extractor.close, signal=signals.spider_closed)
        return extractor

    async def extract(self, body: bytes, url: str, content_type: str | None,
                      selectors: SiteSelectors) -> dict[str, Any]:
        """The article record; raises ExtractionError or WorkerFailure."""
        args = (body, url, content_type, selectors)
        if self.pool is not None:
            try:
                return await self._in_pool(args)
            except BrokenProcessPool as err:
                # the pool cannot start or keep workers (e.g. a main script without a __main__
                # guard): the crawl goes on, slower, rather than failing every page
                logger.error("extraction pool is broken (%s): extracting in the crawler process from now on", err)
                self.close()
        try:
            with deadline(self.timeout):
                return self.function(*args)
        except ExtractionError:
            raise
        except ExtractionTimeout as err:
            raise WorkerFailure("timeout", str(err)) from err
        except Exception as err:  # a bug in extraction must not stop the crawl
            raise WorkerFailure("extraction_bug", f"{type(err).__name__}: {err}"[:300]) from err

    async def _in_pool(self, args: tuple[Any, ...], retried: bool = False) -> dict[str, Any]:
        assert self.pool is not None
        stalled = self._stall_signal()
        try:
            future = self.pool.schedule(_run_bounded, args=(self.function, *args), timeout=self.timeout)
        except RuntimeError as err:  # pebble refuses work once its pool is in error
            raise BrokenProcessPool(str(err)) from err
        result = asyncio.wrap_future(future)
        if not self._in_flight:
            self._progress_at = time.monotonic()  # an idle pool is not a stalled one
        self._in_flight += 1
        try:
            waiting: set[asyncio.Future[Any]] = {result, stalled}
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._in_flight -= 1
        if not result.done():  # the pool was wedged and replaced: this page may not be at fault
            future.cancel()
            if retried or self.pool is None:
                raise WorkerFailure("worker_crash", "the extraction pool stalled (a worker died holding its lock)")
            # Retried pages go one at a time: when the pool wedges again, the one in flight did it.
            if self._retry_lock is None:
                self._retry_lock = asyncio.Lock()
            async with self._retry_lock:
                if self.pool is None:
                    raise WorkerFailure("worker_crash", "the extraction pool stalled and was closed")
                return await self._in_pool(args, retried=True)
        self._progress_at = time.monotonic()
        try:
            return result.result()
        except (ExtractionError, BrokenProcessPool):
            raise
        except FutureTimeout as err:
            raise WorkerFailure("timeout", f"extraction took more than {self.timeout:g}s") from err
        except ProcessExpired as err:
            if err.exitcode == MEMORY_EXIT:
                raise WorkerFailure("too_large", "extraction needed more than EXTRACTION_MEMORY_LIMIT_MB") from err
            raise WorkerFailure("worker_crash", f"worker exited with code {err.exitcode}") from err
        except Exception as err:  # a bug in extraction must not stop the crawl
            raise WorkerFailure("extraction_bug", f"{type(err).__name__}: {err}"[:300]) from err

    def _stall_signal(self) -> asyncio.Future[None]:
        """Resolved when the current pool is found wedged; starts the watcher on first use."""
        loop = asyncio.get_running_loop()
        if self._stalled is None:
            self._stalled = loop.create_future()
        if self._watcher is None:
            self._watcher = loop.create_task(self._watch())
        return self._stalled

    async def _watch(self) -> None:
        """A worker SIGKILLed while it holds the pool's channel lock leaves every other worker waiting
        on that lock: no task starts, so none times out, and pebble cannot stop a worker without the
        lock either. Nothing inside the pool notices; here a pool with pages in flight and none done
        for ``stall_after`` seconds is replaced, and its pages go to the new one."""
        while self.pool is not None:
            await asyncio.sleep(min(1.0, self.stall_after / 4))
            if self.pool is None or not self._in_flight:
                continue
            stalled_for = time.monotonic() - self._progress_at
            if stalled_for > self.stall_after:
                logger.error("extraction pool stalled: %d pages in flight, none done for %.0f s; replacing its "
                             "workers", self._in_flight, stalled_for)
                old, self.pool = self.pool, self._new_pool()
                waiting, self._stalled = self._stalled, asyncio.get_running_loop().create_future()
                self._progress_at = time.monotonic()
                if waiting is not None:
                    waiting.set_result(None)
                threading.Thread(target=_dispose, args=(old,), daemon=True).start()
        self._watcher = None

    def __enter__(self) -> ArticleExtractor:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        # a run that ended on an error (a signal, an output that cannot be written) wants no page in flight
        self.close(abandon=error_type is not None)

    def close(self, abandon: bool = False) -> None:
        """Let the pages in flight finish (at most 10 s), or with ``abandon`` stop the workers now."""
        if self.pool is not None:
            if abandon:
                self.pool.stop()
            else:
                self.pool.close()
            self.pool.join(timeout=10)
            self.pool.stop()
            self.pool = None
        if self._stalled is not None and not self._stalled.done():
            try:
                self._stalled.set_result(None)  # nothing waits on a closed pool
            except RuntimeError:  # its event loop is gone: so is every page that waited
                pass


def _dispose(pool: ProcessPool) -> None:
    """Stop a wedged pool's workers; in a thread, as a wedged pool may take long to join."""
    pool.stop()
    pool.join(timeout=10)
