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


class BlockPublication:
    """Puts a folder where the job will publish one of its files (``FAULT_BLOCK_SUFFIX``: ``.warc.gz``
    or ``.jsonl``) when the third article passes: that file's rename fails as a full disk's would."""

    def __init__(self, root: Path, suffix: str) -> None:
        self.root = root
        self.suffix = suffix
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockPublication:
        return cls(Path(crawler.settings.get("JSONL_ROOT")), crawler.settings.get("FAULT_BLOCK_SUFFIX"))

    def process_item(self, item: Any) -> Any:
        self.seen += 1
        if self.seen == 3:
            for part in self.root.rglob("*.dump.part"):
                blocker = part.with_name(part.name.removesuffix(".dump.part") + self.suffix)
                blocker.mkdir()
                (blocker / "in-the-way").write_bytes(b"")
        return item
