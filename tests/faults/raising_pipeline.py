"""An item pipeline with a bug, as a third-party or site-specific pipeline might have one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler


class RaisingPipeline:
    """Raises on one article (``FAULT_RAISE_ON``, a URL substring) and in close_spider."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RaisingPipeline:
        return cls(crawler.settings.get("FAULT_RAISE_ON"))

    def process_item(self, item: Any) -> Any:
        if self.pattern in ItemAdapter(item).get("url", ""):
            raise ValueError("a bug in a pipeline")
        return item

    def close_spider(self) -> None:
        raise RuntimeError("a bug in close_spider")


class MarkerPipeline:
    """Writes ``FAULT_CLOSED_MARKER`` when its close_spider runs."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkerPipeline:
        return cls(crawler.settings.get("FAULT_CLOSED_MARKER"))

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        Path(self.marker).write_text("closed", "utf-8")


class HangingClosePipeline:
    """Its close_spider never returns (a flush to a dead network share, a lock never released)."""

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        import time

        time.sleep(600)
