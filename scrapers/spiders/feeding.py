"""What the spider needs to know of the engine to feed its scheduler lazily (spiders/news.py)."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task


def queued_requests(crawler: Crawler) -> int:
    """Requests waiting in the scheduler: Scrapy's queues, or with REDIS_URL the shared queue (so one
    process tops up the queue that every process of the run takes from)."""
    slot = getattr(crawler.engine, "_slot", None)
    scheduler = getattr(slot, "scheduler", None)
    if scheduler is not None and hasattr(scheduler, "__len__"):
        return len(scheduler)
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return int(stats.get("scheduler/enqueued", 0)) - int(stats.get("scheduler/dequeued", 0))


def engine_idle(crawler: Crawler) -> bool:
    """Nothing queued, downloading or being processed: no callback can add to the backlog any more.
    (Scrapy's own ``spider_is_idle`` is never true while ``start()`` runs, which is what waits here.)"""
    engine = crawler.engine
    slot = getattr(engine, "_slot", None)
    if engine is None or slot is None:
        return True
    scraper_slot = getattr(engine.scraper, "slot", None)
    return (not engine.downloader.active and not slot.inprogress
            and (scraper_slot is None or scraper_slot.is_idle())
            and not slot.scheduler.has_pending_requests())


async def pause(seconds: float) -> Any:
    """Wait without blocking the reactor (asyncio or not)."""
    # imported here: importing the reactor at module level would install the default one before Scrapy's
    from twisted.internet import reactor

    return await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))
