"""Scrapy's own files in ``JOBDIR`` (the request queue's state, ``spider.state``) written when the spider
closes: a disk that is full there is one error line, not a traceback. The job itself fails through its
own record in the same JOBDIR (``jobs/publication.py``: nothing published, exit 1); a queue or state
left unwritten by a Ctrl-C stop is refused at the next start as damaged (``config/jobdir.py``).

The add-on (``ADDONS``) sets the scheduler only with ``JOBDIR``: a distributed crawl has its own."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.core.scheduler import Scheduler
from scrapy.extensions.spiderstate import SpiderState
from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

SCRAPY_SCHEDULER = "scrapy.core.scheduler.Scheduler"


class JobdirScheduler(Scheduler):
    def close(self, reason: str) -> Any:
        try:
            return super().close(reason)
        except OSError as err:
            logger.error("JOBDIR %s: the request queue cannot be written: %s", self.dqdir, err)
            return self.df.close(reason)


class JobdirSpiderState(SpiderState):
    def spider_closed(self, spider: Spider) -> None:
        try:
            super().spider_closed(spider)
        except OSError as err:
            logger.error("JOBDIR %s: spider.state cannot be written: %s", self.jobdir, err)


class JobdirFiles:
    def update_settings(self, settings: BaseSettings) -> None:
        if settings.get("JOBDIR") and settings.get("SCHEDULER") == SCRAPY_SCHEDULER:
            settings.set("SCHEDULER", f"{__name__}.JobdirScheduler", "addon")
