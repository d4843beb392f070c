"""Scrapy's item pipeline manager, closing every pipeline even when one of them raises.

Scrapy calls the ``close_spider`` methods together and stops at the first that raises, so a
pipeline after it never flushes or closes its files. Here each one runs, in Scrapy's order, and
an error is logged with its traceback and fails the run (``presswire/errors/pipeline``).
"""

from __future__ import annotations

import logging

from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.python import global_object_name

from .extension import job_error

logger = logging.getLogger(__name__)


class ClosingEveryPipeline(ItemPipelineManager):
    async def close_spider_async(self) -> None:
        for method in self.methods["close_spider"]:
            try:
                await self.get_awaitable(method)  # type: ignore[arg-type]
            except Exception as err:
                name = global_object_name(method)
                logger.error("%s failed", name, exc_info=True)
                if self.crawler is not None:
                    job_error(self.crawler, "pipeline", f"{name}: {type(err).__name__}: {err}")
