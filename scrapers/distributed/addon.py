"""Scrapy add-on (enabled in ``ADDONS``): ``REDIS_URL`` switches on the shared frontier."""

from __future__ import annotations

from scrapy.settings import BaseSettings


class RedisFrontier:
    """``-s REDIS_URL=redis://host:6379/0`` makes every process with the same crawl share one
    frontier and one dupefilter in Redis (see ``scrapers.distributed.frontier``). Off when REDIS_URL is unset."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("REDIS_URL"):
            return
        # scrapy-redis's scheduler, made to end by itself and to start each run fresh; it decides when the
        # run's keys go (so scrapy-redis's SCHEDULER_PERSIST / SCHEDULER_FLUSH_ON_START /
        # SCHEDULER_IDLE_BEFORE_CLOSE do not apply) and keeps requests in scrapy-redis's priority queue.
        settings.set("SCHEDULER", f"{__package__}.frontier.SharedFrontierScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        # A JOBDIR resumes a local queue; with a shared frontier there is none to resume.
        if settings.get("JOBDIR"):
            raise ValueError("JOBDIR and REDIS_URL cannot be combined: the frontier lives in Redis")
