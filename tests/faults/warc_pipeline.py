"""A clean-up job that deletes the WARC being written, as a careless cron script might, mid-crawl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler


class DeleteWarcPart:
    """Deletes every ``*.warc.part`` under ``JSONL_ROOT`` when the third article passes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeleteWarcPart:
        return cls(Path(crawler.settings.get("JSONL_ROOT")))

    def process_item(self, item: Any) -> Any:
        self.seen += 1
        if self.seen == 3:
            for part in self.root.rglob("*.warc.part"):
                part.unlink()
        return item
