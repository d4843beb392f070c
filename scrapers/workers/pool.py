"""Run extraction for the spiders: inline, or in a pool of worker processes.

Extraction is CPU work; in the reactor's thread it would stall downloading and leave the other
cores idle. With ``EXTRACTION_WORKERS`` > 0 pages go to worker processes (``processes.py``: a worker
that crashes, passes ``EXTRACTION_TIMEOUT`` or its memory limit is replaced) and the reactor keeps
downloading.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import forkserver
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from ..extraction import ExtractionError, SiteSelectors
from .deadline import ExtractionTimeout, deadline
from .processes import MEMORY_EXIT, PoolClosed, TaskTimedOut, WorkerExited, WorkerPool

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


@dataclass(frozen=True)
class WorkerLimits:
    """How a worker process is held in: its address space (MB, 0 = unlimited) and the niceness added to
    its own (0 = none)."""

    memory_mb: int = 0
    nice: int = 0


def _limit_worker(limits: WorkerLimits) -> None:
    """Worker set-up. The address-space cap (RLIMIT_AS) makes one huge or hostile page fail with
    MemoryError in its worker instead of swapping the machine or waking the OOM killer; the niceness
    lets the crawler process, which feeds the workers, run first when it has work."""
    if limits.nice > 0:
        os.nice(limits.nice)
    if limits.memory_mb > 0:
        limit = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _start_forkserver() -> None:
    """Start multiprocessing's forkserver and resource tracker with SIGHUP ignored, which they and every
    worker forked from them keep. A closed terminal's hang-up reaches the whole foreground group (its
    Ctrl-C too, which workers ignore): it would kill the workers and the forkserver, and the pages a
    crawl's graceful stop waits for would become failures.
    Only the main thread may change a signal's handler; elsewhere they start as they would anyway."""
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGHUP, previous)


class ArticleExtractor:
    def __init__(self, workers: int, timeout: float, max_tasks: int,
                 function: Callable[..., dict[str, Any]] = extract_record, memory_mb: int = 0,
                 nice: int = 0) -> None:
        self.function = function
        self.workers = workers
        self.timeout = timeout
        self.max_tasks = max_tasks
        self.limits = WorkerLimits(memory_mb, nice)
        self.pool: WorkerPool | None = None
        if workers > 0:
            self.pool = self._new_pool()

    def _new_pool(self) -> WorkerPool:
        # Workers come from a forkserver that has imported extraction and nothing else: a
        # worker forked from the crawler would carry a copy of its growing memory (queued
        # requests, seen URLs), and it runs slower for it.
        context = multiprocessing.get_context("forkserver")
        # this module's own name (presswire.scrapers.workers.pool when installed) and the extractor it runs
        context.set_forkserver_preload([__name__, EXTRACTOR_MODULE])
        _start_forkserver()
        # started now, while the crawl is still finding articles
        return WorkerPool(context, self.workers, self.function, self.timeout, self.max_tasks,
                          initializer=_limit_worker, initarg=self.limits)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ArticleExtractor:
        """The pool every entry point uses (a crawl, ccnews, ``scrapy extract`` of WARC files, ``reextract``):
        the same workers, timeout, recycling, function, memory limit and priority from the same settings."""
        workers = settings.get("EXTRACTION_WORKERS")
        workers = os.cpu_count() or 1 if workers in (None, "", "auto") else int(workers)
        return cls(workers=workers, timeout=settings.getfloat("EXTRACTION_TIMEOUT"),
                   max_tasks=settings.getint("EXTRACTION_MAX_TASKS_PER_WORKER"),
                   function=load_object(settings.get("EXTRACTION_FUNCTION")),
                   memory_mb=settings.getint("EXTRACTION_MEMORY_LIMIT_MB"),
                   nice=settings.getint("EXTRACTION_WORKER_NICE"))

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
                return await self._in_pool(self.pool, args)
            except BrokenProcessPool as err:
                # the pool cannot start or keep workers (e.g. a main script without a __main__
                # guard, a memory limit too low to start one): the crawl goes on, slower, rather
                # than failing every page
                if self.pool is not None:
                    logger.error("extraction pool is broken (%s): extracting in the crawler process from now on",
                                 err)
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

    async def _in_pool(self, pool: WorkerPool, args: tuple[Any, ...]) -> dict[str, Any]:
        try:
            result: dict[str, Any] = await pool.submit(*args)
            return result
        except (ExtractionError, BrokenProcessPool):
            raise
        except TaskTimedOut as err:
            raise WorkerFailure("timeout", str(err)) from err
        except PoolClosed as err:  # the run is ending on an error: nobody waits for this page
            raise WorkerFailure("worker_crash", str(err)) from err
        except WorkerExited as err:
            if err.exitcode == MEMORY_EXIT:
                raise WorkerFailure("too_large", "extraction needed more than EXTRACTION_MEMORY_LIMIT_MB") from err
            raise WorkerFailure("worker_crash", str(err)) from err
        except Exception as err:  # a bug in extraction must not stop the crawl
            raise WorkerFailure("extraction_bug", f"{type(err).__name__}: {err}"[:300]) from err

    def __enter__(self) -> ArticleExtractor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers; a page still in a worker's hands is abandoned (nobody waits for it any more)."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            pool.close()
